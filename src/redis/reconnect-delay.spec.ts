import { reconnectDelay } from './reconnect-delay';

describe('reconnectDelay', () => {
  it('waits 200 ms more at each attempt, never more than the cap', () => {
    const delay = reconnectDelay(2_000);
    expect([1, 2, 5, 10, 11, 1_000].map(delay)).toEqual([200, 400, 1_000, 2_000, 2_000, 2_000]);
  });
});
