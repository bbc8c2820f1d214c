import { StreamRing } from './stream-ring';

describe('StreamRing', () => {
  let now = 0;
  const ring = (maxEvents = 5, maxAgeMs = 1000) => new StreamRing('boot', { maxEvents, maxAgeMs }, () => now);
  const add = (r: StreamRing, n: number) => {
    for (let i = 0; i < n; i++) r.append((id) => `frame ${id}`);
  };
  const frames = (r: StreamRing, id: string) => {
    const replay = r.since(id);
    return replay.kind === 'replay' ? replay.entries.map((e) => e.frame) : 'reset';
  };

  beforeEach(() => (now = 0));

  it('numbers events <bootId>.<seq> from 1 and names the newest', () => {
    const r = ring();
    expect(r.lastId).toBe('boot.0');
    add(r, 2);
    expect(r.lastId).toBe('boot.2');
    expect(frames(r, 'boot.0')).toEqual(['frame boot.1', 'frame boot.2']);
  });

  it('replays exactly what came after the last id seen, nothing when it is the newest', () => {
    const r = ring();
    add(r, 4);
    expect(frames(r, 'boot.2')).toEqual(['frame boot.3', 'frame boot.4']);
    expect(frames(r, 'boot.4')).toEqual([]);
  });

  it('resets an id of another boot, a malformed one, or one from the future', () => {
    const r = ring();
    add(r, 3);
    for (const id of ['other.1', 'boot', 'boot.x', 'boot.-1', 'boot.4', '', '.1', 'boot.1.2'])
      expect(frames(r, id)).toBe('reset');
  });

  it('keeps the newest maxEvents: an id whose successors were dropped gets a reset', () => {
    const r = ring(3);
    add(r, 6);
    expect(r.size).toBe(3);
    expect(frames(r, 'boot.2')).toBe('reset');
    expect(frames(r, 'boot.3')).toEqual(['frame boot.4', 'frame boot.5', 'frame boot.6']);
  });

  it('forgets events older than maxAgeMs', () => {
    const r = ring(100, 1000);
    add(r, 2);
    now = 600;
    add(r, 1);
    now = 1500;
    expect(frames(r, 'boot.2')).toEqual(['frame boot.3']);
    expect(frames(r, 'boot.1')).toBe('reset');
    now = 1700;
    expect(frames(r, 'boot.3')).toEqual([]);
    expect(r.size).toBe(0);
    expect(frames(r, 'boot.2')).toBe('reset');
  });

  it('stays correct after compacting its storage', () => {
    const r = ring(10, 1e9);
    add(r, 5000);
    expect(r.size).toBe(10);
    expect(frames(r, 'boot.4998')).toEqual(['frame boot.4999', 'frame boot.5000']);
    expect(frames(r, 'boot.4989')).toBe('reset');
  });

  it('refuses a boot id that would make ids ambiguous', () => {
    expect(() => new StreamRing('a.b', { maxEvents: 1, maxAgeMs: 1 })).toThrow(/dot/);
  });
});
