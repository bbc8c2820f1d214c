/** The login page: posts the form to POST /auth/browser-session, which sets the session's cookies, then opens the dashboard. */
const form = document.getElementById('login') as HTMLFormElement;
const error = document.getElementById('login-error')!;

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  error.textContent = '';
  void fetch('/auth/browser-session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ email: data.get('email'), password: data.get('password') }),
  }).then(async (res) => {
    if (res.ok) return location.assign('/dashboard');
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    error.textContent =
      res.status === 401 ? 'Wrong email or password.' : (body.message ?? `Sign-in failed (${res.status}).`);
  });
});
