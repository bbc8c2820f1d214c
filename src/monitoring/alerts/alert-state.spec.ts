import { step, type OpenEpisode } from './alert-state';

const T0 = new Date('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Runs the state machine over a series of evaluations a minute apart, as the evaluator applies it. */
function run(conditions: boolean[], forSeconds: number): string[] {
  let open: OpenEpisode | null = null;
  return conditions.map((breached, i) => {
    const now = at(i * 60);
    const s = step(open, breached, forSeconds, now);
    if (s.kind === 'open') open = { state: s.state, pendingSince: now };
    if (s.kind === 'fire' && open) open = { ...open, state: 'firing' };
    if (s.kind === 'clear' || s.kind === 'resolve') open = null;
    return s.kind === 'open' ? `open:${s.state}` : s.kind;
  });
}

describe('the alert state machine', () => {
  it('stays inactive while the condition does not hold', () => {
    expect(run([false, false], 300)).toEqual(['none', 'none']);
  });

  it('is pending until the condition has held for the for-duration, then fires once and stays firing', () => {
    expect(run([true, true, true, true, true], 180)).toEqual(['open:pending', 'stay', 'stay', 'fire', 'stay']);
  });

  it('fires at the first evaluation when the for-duration is 0', () => {
    expect(run([true, true], 0)).toEqual(['open:firing', 'stay']);
  });

  it('does not fire on one bad window, nor on a flapping signal shorter than the for-duration', () => {
    expect(run([true, false, true, false, true, false], 60)).toEqual([
      'open:pending',
      'clear',
      'open:pending',
      'clear',
      'open:pending',
      'clear',
    ]);
  });

  it('starts counting again after a break: the for-duration must hold without one', () => {
    expect(run([true, true, false, true, true, true], 120)).toEqual([
      'open:pending',
      'stay',
      'clear',
      'open:pending',
      'stay',
      'fire',
    ]);
  });

  it('resolves a firing alert when the condition no longer holds, and a new episode starts pending', () => {
    expect(run([true, true, false, true], 60)).toEqual(['open:pending', 'fire', 'resolve', 'open:pending']);
  });

  it('fires at exactly the for-duration, not a moment before', () => {
    const open: OpenEpisode = { state: 'pending', pendingSince: T0 };
    expect(step(open, true, 120, at(119)).kind).toBe('stay');
    expect(step(open, true, 120, at(120)).kind).toBe('fire');
  });
});
