import { strict } from '../../test/support/strict';
import type { WorkerHeartbeats } from '../health';
import { JobLiveness } from './job-liveness';
import type { TrainingJobEntity } from './training-job.entity';

const now = Date.parse('2026-01-01T12:00:00Z');
const job = (over: Partial<TrainingJobEntity>) =>
  ({
    id: 'j1',
    state: 'running',
    workerId: 'host:1',
    startedAt: new Date(now - 60_000),
    updatedAt: new Date(now - 20_000),
    ...over,
  }) as TrainingJobEntity;

describe('JobLiveness', () => {
  const liveness = new JobLiveness(strict<WorkerHeartbeats>('heartbeats', { staleAfterMs: 15_000 }));

  it('calls a running job stalled when its worker is not among the live ones, naming it and its last progress', () => {
    expect(liveness.stalledReason(job({}), new Set(['host:2']), now)).toBe(
      'worker host:1 has sent no heartbeat for 15000 ms (last progress at 2026-01-01T11:59:40.000Z); ' +
        'another worker retries the job once its lock expires (TRAINING_LOCK_MS)',
    );
  });

  it('passes no verdict while the worker beats, on jobs not running, or younger than the heartbeat window', () => {
    expect(liveness.stalledReason(job({}), new Set(['host:1']), now)).toBeNull();
    expect(liveness.stalledReason(job({ state: 'queued' }), new Set(), now)).toBeNull();
    expect(liveness.stalledReason(job({ workerId: null }), new Set(), now)).toBeNull();
    expect(liveness.stalledReason(job({ startedAt: new Date(now - 5_000) }), new Set(), now)).toBeNull();
  });

  it('answers no verdicts when the heartbeats cannot be read', async () => {
    const blind = new JobLiveness(
      strict<WorkerHeartbeats>('heartbeats', { alive: () => Promise.reject(new Error('Redis down')) }),
    );
    expect(await blind.stalled([job({})])).toEqual(new Map());
  });
});
