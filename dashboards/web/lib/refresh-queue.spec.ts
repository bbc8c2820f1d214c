import { RefreshQueue } from './refresh-queue';

function harness() {
  const timers: (() => void)[] = [];
  const runs: (string[] | 'all')[] = [];
  let release: () => void = () => undefined;
  const q = new RefreshQueue<string>(
    (which) => {
      runs.push(which === 'all' ? 'all' : [...which].sort());
      return new Promise<void>((r) => (release = r));
    },
    { setTimeout: (fn) => timers.push(fn) },
  );
  const fire = async () => {
    timers.shift()!();
    await Promise.resolve();
  };
  return { q, timers, runs, fire, done: () => release() };
}

describe('refresh queue', () => {
  it('merges a burst of asks into one refetch of each panel', async () => {
    const h = harness();
    for (let i = 0; i < 24; i++) h.q.ask(['performance']);
    h.q.ask(['drift', 'performance']);
    expect(h.timers).toHaveLength(1);
    await h.fire();
    expect(h.runs).toEqual([['drift', 'performance']]);
  });

  it('never runs two refetches at once: what is asked meanwhile runs after', async () => {
    const h = harness();
    h.q.ask(['alerts']);
    await h.fire();
    h.q.ask(['training']);
    h.q.ask('all');
    expect(h.timers).toHaveLength(0);
    h.done();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.timers).toHaveLength(1);
    await h.fire();
    expect(h.runs).toEqual([['alerts'], 'all']);
  });
});
