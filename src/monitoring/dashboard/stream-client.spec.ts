import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { MAX_BUFFERED_BYTES, StreamClient } from './stream-client';

/** A socket that takes bytes only when the test lets it read (`read()`), as a slow reader's does. */
class SlowSocket extends Writable {
  readonly received: string[] = [];
  private pending: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 16 * 1024, decodeStrings: false });
  }

  override _write(chunk: string, _: BufferEncoding, done: () => void): void {
    this.received.push(String(chunk));
    this.pending.push(done);
  }

  /** Lets every write held so far complete. */
  read(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

const frame = (n: number) => `event: e\nid: b.${n}\ndata: ${JSON.stringify({ pad: 'x'.repeat(1000), n })}\n\n`;

describe('StreamClient', () => {
  it('writes frames while the reader keeps up', () => {
    const socket = new SlowSocket();
    const client = new StreamClient(
      socket as unknown as ServerResponse,
      { userId: 'u', sessionId: 's' },
      () => 'reset',
    );
    client.send(frame(1));
    socket.read();
    client.send(frame(2));
    socket.read();
    expect(socket.received).toEqual([frame(1), frame(2)]);
  });

  it('keeps at most MAX_BUFFERED_BYTES (and one frame) for a reader that stops, then sends a reset once it drains', async () => {
    const socket = new SlowSocket();
    const client = new StreamClient(
      socket as unknown as ServerResponse,
      { userId: 'u', sessionId: 's' },
      () => 'RESET',
    );
    for (let n = 0; n < 5000; n++) client.send(frame(n));
    expect(client.skipping).toBe(true);
    expect(socket.writableLength).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + frame(0).length);
    // The held writes complete one after another; Node calls _write for each buffered chunk in turn.
    while (socket.writableLength > 0) {
      socket.read();
      await new Promise((r) => setImmediate(r));
    }
    expect(client.skipping).toBe(false);
    expect(socket.received.at(-1)).toBe('RESET');
    // Frames skipped meanwhile are not sent later: the reset stands for them.
    expect(socket.received.filter((c) => c !== 'RESET').length).toBeLessThan(5000);
    client.send(frame(9999));
    expect(socket.received.at(-1)).toBe(frame(9999));
  });

  it('ends a reader that has not drained for the stuck limit', () => {
    const socket = new SlowSocket();
    const client = new StreamClient(
      socket as unknown as ServerResponse,
      { userId: 'u', sessionId: 's' },
      () => 'RESET',
    );
    for (let n = 0; n < 1000; n++) client.send(frame(n), 0);
    expect(client.skipping).toBe(true);
    client.checkStuck(60_000, 59_000);
    expect(client.open).toBe(true);
    client.checkStuck(60_000, 61_000);
    expect(client.open).toBe(false);
  });
});
