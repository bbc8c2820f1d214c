import type { EventBus } from '../events';
import { strict } from '../../test/support/strict';
import { ProgressAnnouncer } from './progress-announcer';
import type { TrainingProgressEvent } from './training-progress.event';

describe('ProgressAnnouncer', () => {
  let now: number;
  let sent: TrainingProgressEvent[];
  let announcer: ProgressAnnouncer;
  const epoch = (n: number) => ({ epoch: n, maxEpochs: 10, loss: 1 / n, valLoss: 2 / n });

  beforeEach(() => {
    now = 0;
    sent = [];
    const events = strict<EventBus>('events', {
      publish: (_: unknown, e: TrainingProgressEvent) => {
        sent.push(e);
        return Promise.resolve();
      },
    });
    announcer = new ProgressAnnouncer(events, () => now);
  });

  it('sends the start, at most one epoch a second per job, and the end with the last epoch', () => {
    announcer.started('a');
    for (let e = 1; e <= 5; e++) {
      now += 300;
      announcer.epoch('a', epoch(e));
    }
    announcer.ended('a', 'succeeded');
    expect(sent.map((e) => [e.state, e.epoch])).toEqual([
      ['running', null],
      ['running', 4],
      ['succeeded', 5],
    ]);
    expect(sent[2]).toMatchObject({
      jobId: 'a',
      maxEpochs: 10,
      loss: 1 / 5,
      valLoss: 2 / 5,
      at: new Date(1500).toISOString(),
    });
  });

  it('throttles each job on its own', () => {
    announcer.epoch('a', epoch(1));
    announcer.epoch('b', epoch(1));
    announcer.epoch('a', epoch(2));
    expect(sent.map((e) => [e.jobId, e.epoch])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('ends a job that never reported an epoch with empty progress, and never throws when sending fails', async () => {
    const failing = new ProgressAnnouncer(
      strict<EventBus>('events', { publish: () => Promise.reject(new Error('redis down')) }),
      () => now,
    );
    expect(() => failing.ended('x', 'failed')).not.toThrow();
    announcer.ended('x', 'queued');
    expect(sent).toEqual([
      {
        jobId: 'x',
        state: 'queued',
        epoch: null,
        maxEpochs: null,
        loss: null,
        valLoss: null,
        at: new Date(0).toISOString(),
      },
    ]);
    await new Promise((r) => setImmediate(r));
  });
});
