import { DataSource } from 'typeorm';
import { loginAs } from '../support/auth';
import type { Http } from '../support/http';
import { InferenceFixture } from '../support/inference-fixture';

/** Issue #17, item 6: the first label stands; only its giver or an admin may change it, audited. */
describe('feedback: who may change a label (real app, PostgreSQL)', () => {
  let f: InferenceFixture;
  let giver: Http;
  let other: Http;
  let admin: Http;
  const ids: Record<string, string> = {};

  const stored = (id: string) =>
    f.t.app
      .get(DataSource)
      .query<{ label: string; given_by: string }[]>(
        'SELECT label, given_by FROM inference.feedback WHERE prediction_id = $1',
        [id],
      );
  const audit = (id: string) =>
    f.t.app
      .get(DataSource)
      .query<{ old_label: string; new_label: string; changed_by: string; changed_at: Date }[]>(
        'SELECT old_label, new_label, changed_by, changed_at FROM inference.feedback_audit WHERE prediction_id = $1 ORDER BY changed_at, id',
        [id],
      );
  const newPrediction = async () =>
    (await f.predict({ features: f.features })).body.predictions[0].predictionId as string;

  beforeAll(async () => {
    f = await InferenceFixture.start();
    const a = await loginAs(f.t, 'consumer');
    ids.giver = a.user.id;
    giver = f.http.as(a.accessToken);
    other = f.http.as((await loginAs(f.t, 'consumer')).accessToken);
    const boss = await loginAs(f.t, 'admin');
    ids.admin = boss.user.id;
    admin = f.http.as(boss.accessToken);
  });
  afterAll(() => f.t.close());

  it("refuses another caller's different label with 409 naming the prediction, and keeps the first", async () => {
    const id = await newPrediction();
    expect((await giver.post(`/predictions/${id}/feedback`, { label: 'good' })).status).toBe(200);
    for (const caller of [other, f.http.as(await f.apiToken('feedback'))]) {
      const res = await caller.post(`/predictions/${id}/feedback`, { label: 'bad' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('inference.feedback_conflict');
      expect(res.body.message).toBe(`Prediction ${id} already has the label good from another caller`);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'label', message: 'already good; only its giver or an admin may change it' }),
      ]);
    }
    expect(await stored(id)).toEqual([{ label: 'good', given_by: `user:${ids.giver}` }]);
    expect(await audit(id)).toEqual([]);
  });

  it('answers the same label from anyone with the stored feedback, changing nothing', async () => {
    const id = await newPrediction();
    const first = await giver.post(`/predictions/${id}/feedback`, { label: 'good' });
    const same = await other.post(`/predictions/${id}/feedback`, { label: 'good' });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(first.body);
    expect(await audit(id)).toEqual([]);
  });

  it('lets the giver and an admin correct it, each change audited: old, new, who, when', async () => {
    const id = await newPrediction();
    const before = new Date();
    await giver.post(`/predictions/${id}/feedback`, { label: 'good' });
    const corrected = await giver.post(`/predictions/${id}/feedback`, { label: 'bad' });
    expect([corrected.status, corrected.body.label]).toEqual([200, 'bad']);
    const byAdmin = await admin.post(`/predictions/${id}/feedback`, { label: 'good' });
    expect([byAdmin.status, byAdmin.body.label]).toEqual([200, 'good']);
    // The label still belongs to its first giver, who may correct it again.
    expect((await giver.post(`/predictions/${id}/feedback`, { label: 'bad' })).status).toBe(200);
    const rows = await audit(id);
    expect(rows.map(({ old_label, new_label, changed_by }) => [old_label, new_label, changed_by])).toEqual([
      ['good', 'bad', `user:${ids.giver}`],
      ['bad', 'good', `user:${ids.admin}`],
      ['good', 'bad', `user:${ids.giver}`],
    ]);
    for (const r of rows) expect(r.changed_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await stored(id)).toEqual([{ label: 'bad', given_by: `user:${ids.giver}` }]);
  });

  it('refuses a whole batch when one item conflicts, naming each conflicting item, and stores none', async () => {
    const [taken, fresh] = [await newPrediction(), await newPrediction()];
    await giver.post(`/predictions/${taken}/feedback`, { label: 'good' });
    const res = await other.post('/predictions/feedback', {
      items: [
        { predictionId: fresh, label: 'good' },
        { predictionId: taken, label: 'bad' },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('inference.feedback_conflict');
    expect(res.body.details).toEqual([
      expect.objectContaining({
        field: 'items[1].label',
        message: 'already good; only its giver or an admin may change it',
        index: 1,
      }),
    ]);
    expect(await stored(fresh)).toEqual([]);
    expect(await stored(taken)).toEqual([{ label: 'good', given_by: `user:${ids.giver}` }]);
  });

  it('keeps the first of two callers racing to label the same prediction', async () => {
    const id = await newPrediction();
    const [a, b] = await Promise.all([
      giver.post(`/predictions/${id}/feedback`, { label: 'good' }),
      other.post(`/predictions/${id}/feedback`, { label: 'bad' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'good' : 'bad';
    expect((await stored(id)).map((r) => r.label)).toEqual([winner]);
  });
});
