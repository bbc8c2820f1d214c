import { parseSchedules } from './retrain.scheduler';

describe('parseSchedules', () => {
  it('reads model=cron pairs', () => {
    expect(parseSchedules('credit=0 3 * * *; lending = 30 4 * * 1')).toEqual([
      { model: 'credit', cron: '0 3 * * *' },
      { model: 'lending', cron: '30 4 * * 1' },
    ]);
  });

  it('is empty for an empty setting', () => {
    expect(parseSchedules('')).toEqual([]);
  });

  it('names a malformed entry', () => {
    expect(() => parseSchedules('credit')).toThrow(/"credit"/);
    expect(() => parseSchedules('credit=0 3 *')).toThrow(/cron/);
  });
});
