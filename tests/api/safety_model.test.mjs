// The learned model learns from moderators (issue 4): `khien serve --model FILE` serves a model
// file; POST /api/v1/safety/model/retrain trains the scam head again on the curated examples
// plus every confirmed report, writes FILE and swaps the model in at once; a second process
// serving the same file picks it up within seconds, and a restart serves it. Only media members
// and admins may see or retrain the model; without --model retraining is 409.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Api, DEMO_USERS, assertProblem, forEachDatabase, sql } from '../lib/api.mjs';
import { khienCli, startApiServer } from '../lib/api_server.mjs';

// Invented messages of one scam family the shipped model does not know: pets sold online for
// a deposit that is never honoured. The last one is kept out of the reports.
const PET_SCAMS = [
  'Thanh lý chó Poodle con 1 triệu, cọc trước 300k qua ví để giữ bé, giao tận nhà',
  'Trại mèo Anh lông ngắn bán bé 2 tháng 900k, chuyển cọc 300k giữ bé, ship tận nơi',
  'Bán gấp chó Corgi 3 tháng giá 1tr2, anh chị cọc 500k em giữ bé cho, giao hàng toàn quốc',
  'Trại chó Phốc sóc thanh lý đàn con 700k, cọc trước 200k để em giữ bé và ship về nhà',
  'Mèo Ba Tư con giá rẻ 800k, chuyển khoản cọc 300k giữ bé, shop giao tận nhà trong ngày',
  'Thanh lý chó Alaska con giá 1tr5, cọc 500k qua chuyển khoản để giữ bé, ship tận nhà',
];
const NEW_PET_SCAM = 'Trại chó Husky thanh lý bé 2 tháng giá 800k, chuyển khoản cọc trước 300k để giữ bé, ship toàn quốc';
const SAFE_REPORTS = [
  'Tối nay cả nhà sang bà ngoại ăn cơm nhé, mẹ nấu canh chua',
  'Lớp 3A nghỉ học chiều thứ sáu để giáo viên họp chuyên môn, phụ huynh đón con lúc 11 giờ',
];
const MODERATORS = ['admin', 'media_member'];
const OTHERS = Object.keys(DEMO_USERS).filter((r) => !MODERATORS.includes(r));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

forEachDatabase('safety model retraining', (ctx) => {
  let dir, modelFile;
  const scamScore = async (client, text) => {
    const r = await client.post('/api/v1/safety/check', { text });
    assert.equal(r.status, 200, r.text);
    return r.json.scores.scam;
  };
  const reportAndConfirm = async (text, label) => {
    const r = await ctx.api.post('/api/v1/safety/reports', { text, consent: true });
    assert.equal(r.status, 201, r.text);
    const c = await ctx.api.post(`/api/v1/safety/reports/${r.json.id}/confirm`, { label }, { auth: await ctx.as('media_member') });
    assert.equal(c.status, 200, c.text);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khien-model-'));
    modelFile = join(dir, 'khien.model');
    ctx.srv = await startApiServer({ backend: ctx.backend, extraArgs: ['--model', modelFile] });
    ctx.api = new Api(ctx.srv.url);
  });
  after(async () => {
    await ctx.srv?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('only media members and admins see or retrain the model', async () => {
    for (const who of MODERATORS) {
      const r = await ctx.api.get('/api/v1/safety/model', { auth: await ctx.as(who) });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.source, 'built_in');
      assert.equal(r.json.can_retrain, true);
      assert.equal(r.json.trained_at, null);
    }
    for (const who of OTHERS) {
      const auth = await ctx.as(who);
      assertProblem(await ctx.api.get('/api/v1/safety/model', { auth }), 403, 'forbidden');
      assertProblem(await ctx.api.post('/api/v1/safety/model/retrain', {}, { auth }), 403, 'forbidden');
    }
    assertProblem(await ctx.api.get('/api/v1/safety/model'), 401, 'unauthorized');
    assertProblem(await ctx.api.post('/api/v1/safety/model/retrain', {}), 401, 'unauthorized');
    await assert.rejects(stat(modelFile), 'nothing was written');
  });

  test('retraining learns a family moderators confirmed, at once, in other processes and after a restart', async () => {
    const before = await scamScore(ctx.api, NEW_PET_SCAM);
    let afterScore;
    assert.ok(before < 0.5, `the shipped model does not know it yet (${before})`);
    for (const text of PET_SCAMS) await reportAndConfirm(text, 'scam');
    for (const text of SAFE_REPORTS) await reportAndConfirm(text, 'safe');
    const status = await ctx.api.get('/api/v1/safety/model', { auth: await ctx.as('admin') });
    assert.equal(status.json.confirmed_scam, PET_SCAMS.length);
    assert.equal(status.json.confirmed_safe, SAFE_REPORTS.length);

    // A second process serving the same file (started before the retraining).
    const second = await startApiServer({ db: ctx.srv.db, extraArgs: ['--model', modelFile] });
    try {
      const other = new Api(second.url);
      assert.equal(await scamScore(other, NEW_PET_SCAM), before);

      const r = await ctx.api.post('/api/v1/safety/model/retrain', {}, { auth: await ctx.as('media_member') });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.source, 'trained');
      assert.equal(r.json.reports_used, PET_SCAMS.length + SAFE_REPORTS.length);
      assert.ok(r.json.examples > r.json.reports_used, 'the curated examples are kept');
      assert.equal(typeof r.json.trained_at, 'number');
      assert.ok((await stat(modelFile)).size > 0, 'the model file is written');

      afterScore = await scamScore(ctx.api, NEW_PET_SCAM);
      assert.ok(afterScore >= 0.5, `an unseen message of the family is flagged now (${before} -> ${afterScore})`);
      // Legitimate messages stay safe.
      for (const text of ['Chiều nay mẹ đón con lúc 5 giờ nhé, nhớ mang áo mưa.', ...SAFE_REPORTS]) {
        assert.ok((await scamScore(ctx.api, text)) < 0.5, text);
      }
      let seen = false;
      const deadline = Date.now() + 8000;
      while (!seen && Date.now() < deadline) {
        seen = (await scamScore(other, NEW_PET_SCAM)) === afterScore;
        if (!seen) await sleep(250);
      }
      assert.ok(seen, 'the second process serves the retrained model');
    } finally {
      await second.stop();
    }
    // `khien safety train --from-reports` builds the same model from the same database.
    const cliModel = join(dir, 'cli.model');
    const trained = await khienCli(['safety', 'train', '--from-reports', '--db', ctx.srv.db.url, '--category', 'scam', '--out', cliModel]);
    assert.match(trained.stdout, new RegExp(`${PET_SCAMS.length} confirmed scam and ${SAFE_REPORTS.length} confirmed safe`));
    const checked = JSON.parse((await khienCli(['check', '--json', '--model', cliModel, NEW_PET_SCAM])).stdout);
    assert.equal(checked.scores.scam, afterScore);
    const restarted = await startApiServer({ db: ctx.srv.db, extraArgs: ['--model', modelFile] });
    try {
      const client = new Api(restarted.url);
      assert.ok((await scamScore(client, NEW_PET_SCAM)) >= 0.5, 'a restart serves the file');
      const token = await client.login(DEMO_USERS.admin);
      const s = await client.get('/api/v1/safety/model', { auth: token });
      assert.equal(s.json.source, 'trained');
    } finally {
      await restarted.stop();
    }
  });

  test('the retraining is audited with counts and never the texts', async () => {
    const rows = await sql(ctx.srv.db, "SELECT actor_id, detail FROM audit_log WHERE action = 'safety.model_retrained'");
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const detail = JSON.parse(rows[0][1]);
    assert.equal(detail.confirmed_scam, PET_SCAMS.length);
    assert.equal(detail.confirmed_safe, SAFE_REPORTS.length);
    assert.ok(!rows[0][1].includes('Poodle'), 'no report text in the audit log');
  });
}, { server: false });  // its own server, with --model

describe('safety model retraining without --model', () => {
  let srv, api;
  before(async () => {
    srv = await startApiServer({});
    api = new Api(srv.url);
  });
  after(async () => srv?.stop());

  test('is 409 conflict on "model" with a Vietnamese message, and the status says so', async () => {
    const auth = await api.login(DEMO_USERS.admin);
    const s = await api.get('/api/v1/safety/model', { auth });
    assert.equal(s.status, 200, s.text);
    assert.deepEqual([s.json.source, s.json.can_retrain], ['built_in', false]);
    const p = assertProblem(await api.post('/api/v1/safety/model/retrain', {}, { auth }), 409, 'conflict', { field: 'model' });
    assert.match(p.detail, /mô hình/);
  });
});
