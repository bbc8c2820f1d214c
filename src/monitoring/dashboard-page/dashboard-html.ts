/**
 * The dashboard's HTML: shells without data (the script fetches everything) and without inline
 * script or style, so the page's Content-Security-Policy can forbid both.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string, script?: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    '<link rel="stylesheet" href="/dashboard/assets/dashboard.css">',
    script ? `<script type="module" src="/dashboard/assets/${script}"></script>` : '',
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
}

export function shellPage(): string {
  return page(
    'ml-api · monitoring dashboard',
    '<div id="app" class="app"><p class="loading">Loading the dashboard… (it needs JavaScript)</p></div>',
    'dashboard.js',
  );
}

export function loginPage(): string {
  return page(
    'ml-api · sign in',
    [
      '<main class="login">',
      '<h1>ml-api monitoring</h1>',
      '<form id="login" class="card" novalidate>',
      '<label for="email">Email</label>',
      '<input id="email" name="email" type="email" autocomplete="username" required autofocus>',
      '<label for="password">Password</label>',
      '<input id="password" name="password" type="password" autocomplete="current-password" required>',
      '<button type="submit">Sign in</button>',
      '<p id="login-error" class="error" role="alert" aria-live="assertive"></p>',
      '</form>',
      '<p class="hint">Admins and scientists may open the dashboard. The session lives in HttpOnly cookies; nothing is kept in the page.</p>',
      '</main>',
    ].join(''),
    'login.js',
  );
}

export function deniedPage(message: string): string {
  return page(
    'ml-api · dashboard not available',
    `<main class="login"><h1>Dashboard not available</h1><p class="card" role="alert">${escape(message)}</p><p><a href="/dashboard/login">Sign in as another user</a></p></main>`,
  );
}

export function missingAssetsPage(): string {
  return 'The dashboard is not built: run `npm run build` (it bundles dashboards/web into dist/dashboards/web).';
}
