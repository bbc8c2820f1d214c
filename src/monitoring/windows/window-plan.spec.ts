import { scheduledWindow, servedVersions } from './window-plan';

describe('the window job planning', () => {
  it('ends the window at the start of the newest minute flushed, `windowMs` long', () => {
    const now = new Date('2026-01-05T10:07:04.500Z');
    expect(scheduledWindow(now, 3_600_000, 3_000)).toEqual({
      from: new Date('2026-01-05T09:07:00Z'),
      to: new Date('2026-01-05T10:07:00Z'),
    });
    // Within the grace after a minute ends, that minute is left for the next tick.
    expect(scheduledWindow(new Date('2026-01-05T10:07:02Z'), 60_000, 3_000)).toEqual({
      from: new Date('2026-01-05T10:05:00Z'),
      to: new Date('2026-01-05T10:06:00Z'),
    });
  });

  it('takes each version an alias names once, with all its aliases, by model and version', () => {
    expect(
      servedVersions([
        { name: 'loans', aliases: { production: 2 } },
        { name: 'credit', aliases: { shadow: 4, production: 3, challenger: 4, canary: 1 } },
        { name: 'unserved', aliases: {} },
      ]),
    ).toEqual([
      { model: 'credit', version: 1, aliases: ['canary'] },
      { model: 'credit', version: 3, aliases: ['production'] },
      { model: 'credit', version: 4, aliases: ['challenger', 'shadow'] },
      { model: 'loans', version: 2, aliases: ['production'] },
    ]);
  });
});
