import { OUTAGE_LOG_INTERVAL_MS, OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('warns when refusals start, then once per interval with the count of the others', () => {
    const warn = jest.fn();
    let now = 1_000_000;
    const log = new OutageLog({ warn }, () => now);
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

    log.refused('PostgreSQL', cause, 'r1');
    now += 1;
    log.refused('PostgreSQL', cause, 'r2');
    log.refused('PostgreSQL', cause, 'r3');
    log.refused('Redis', new Error('Connection is closed.'), 'r4');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]).toEqual([
      {
        dependency: 'PostgreSQL',
        cause: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
        requestId: 'r1',
      },
      'PostgreSQL is unavailable: requests that need it answer 503',
    ]);
    expect(warn.mock.calls[1][0]).toMatchObject({ dependency: 'Redis', requestId: 'r4' });

    now += OUTAGE_LOG_INTERVAL_MS;
    log.refused('PostgreSQL', cause, 'r5');
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[2][0]).toMatchObject({ dependency: 'PostgreSQL', requestId: 'r5', refusedSince: 2 });
  });
});
