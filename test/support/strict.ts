/**
 * A fake for unit tests that fails the test on any member not stubbed: a collaborator the code
 * under test starts to use shows up as an error instead of passing silently.
 */
export function strict<T extends object>(name: string, stubs: Partial<Record<keyof T, unknown>> = {}): T {
  return new Proxy(stubs, {
    get(target, prop) {
      // Awaiting a fake (returning it from an async function) reads `then`: it is not a thenable.
      if (prop === 'then') return undefined;
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      throw new Error(`unexpected call: ${name}.${String(prop)}`);
    },
  }) as T;
}
