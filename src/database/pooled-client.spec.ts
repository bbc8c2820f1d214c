import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { checkoutClient } from './pooled-client';

describe('checkoutClient', () => {
  function dataSourceWith(client: EventEmitter & { release: jest.Mock }) {
    return { driver: { master: { connect: async () => client } } } as unknown as DataSource;
  }

  it('keeps an error listener while the client is out (a dropped connection does not end the process), and removes it on release', async () => {
    const poolRelease = jest.fn();
    const pooled = Object.assign(new EventEmitter(), { release: poolRelease });
    const client = await checkoutClient(dataSourceWith(pooled));
    expect(() => client.emit('error', new Error('Connection terminated unexpectedly'))).not.toThrow();
    client.release(true);
    expect(poolRelease).toHaveBeenCalledWith(true);
    expect(pooled.listenerCount('error')).toBe(0);
    // Without a listener, EventEmitter throws an 'error' event: what the listener was there for.
    expect(() => pooled.emit('error', new Error('x'))).toThrow('x');
  });
});
