import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { loginAs, tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv } from '../support/training';

// An API replica only: no worker consumes the queue, so every job stays queued for the test.
describe('training jobs: who may cancel them, and what submit refuses (issue #17)', () => {
  let t: TestApp;
  let owner: Http;
  let other: Http;
  let admin: Http;
  let trainToken: Http;

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api' });
    const http = new Http(t.baseUrl);
    owner = http.as(await tokenFor(t, 'scientist'));
    other = http.as(await tokenFor(t, 'scientist'));
    const { user, accessToken } = await loginAs(t, 'admin');
    admin = http.as(accessToken);
    const { token } = await t.app.get(ApiTokensService).create({ name: 'ci', scopes: ['train'] }, user.id);
    trainToken = http.as(token);
    await importCsv(t, 'two', 'test/fixtures/training/two-classes.csv', 'outcome');
  });
  afterAll(() => t.close());

  let seed = 100;
  const submit = (as: Http, body: Record<string, unknown> = {}) =>
    as.post('/training-jobs', { dataset: 'two', task: 'binary', model: '', seed: seed++, ...body });

  describe('cancel', () => {
    it("refuses another scientist's or token's cancel with 403 naming why, and leaves the job queued", async () => {
      const job = await submit(owner);
      expect(job.status).toBe(202);
      for (const caller of [other, trainToken]) {
        const res = await caller.delete(`/training-jobs/${job.body.id}`);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('training.job_not_owned');
        expect(res.body.message).toMatch(/created by another caller; only they or an admin may cancel it/);
      }
      expect((await owner.get(`/training-jobs/${job.body.id}`)).body.state).toBe('queued');
      const cancelled = await owner.delete(`/training-jobs/${job.body.id}`);
      expect([cancelled.status, cancelled.body.state]).toEqual([200, 'cancelled']);
    });

    it("lets an admin cancel anyone's job, and a token its own", async () => {
      const byOwner = await submit(owner);
      expect((await admin.delete(`/training-jobs/${byOwner.body.id}`)).body.state).toBe('cancelled');
      const byToken = await submit(trainToken);
      expect((await trainToken.delete(`/training-jobs/${byToken.body.id}`)).body.state).toBe('cancelled');
    });

    it('answers 404 for an unknown job before anything else', async () => {
      const res = await other.delete('/training-jobs/00000000-0000-4000-8000-000000000000');
      expect([res.status, res.body.code]).toEqual([404, 'training.job_not_found']);
    });
  });

  describe('positiveClass', () => {
    it("refuses a class the version's profile does not have for the target, naming the value and the classes", async () => {
      const before = (await owner.get('/training-jobs')).body.total;
      const res = await submit(owner, { positiveClass: 'maybe' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('common.validation_failed');
      expect(res.body.details).toEqual([
        expect.objectContaining({
          field: 'positiveClass',
          message: 'maybe is not a class of outcome in version 1 (its classes: bad, good)',
        }),
      ]);
      expect((await owner.get('/training-jobs')).body.total).toBe(before);
    });

    it('checks the classes of a numeric (integer) target too, by their text', async () => {
      const bad = await submit(owner, { target: 'flag', positiveClass: 'yes' });
      expect(bad.status).toBe(422);
      expect(bad.body.details[0].message).toBe('yes is not a class of flag in version 1 (its classes: 0, 1)');
      expect((await submit(owner, { target: 'flag', positiveClass: '1' })).status).toBe(202);
    });

    it('refuses it for a task that has no positive class', async () => {
      const res = await submit(owner, { task: 'multiclass', positiveClass: 'bad' });
      expect(res.status).toBe(422);
      expect(res.body.details[0]).toMatchObject({
        field: 'positiveClass',
        message: 'applies to task "binary" only, not "multiclass"',
      });
    });

    it('accepts a class of the target', async () => {
      expect((await submit(owner, { positiveClass: 'bad' })).status).toBe(202);
    });
  });
});
