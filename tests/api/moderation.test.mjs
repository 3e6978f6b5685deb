// Safety checker surfaces (issue 4): anonymous checks are rate limited and store nothing;
// reports need consent; only media members and admins see the report queue; confirming a scam
// puts its phone number on the block list and the running checker flags it at once; list
// entries managed by hand take effect (and stop) without a restart. Rows are counted straight
// in the database (sqlite3 / psql), not through the API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Api, DEMO_USERS, assertProblem, forEachDatabase, sql } from '../lib/api.mjs';
import { startApiServer } from '../lib/api_server.mjs';

// Row count of every safety_* table and of the audit log, by table name.
async function safetyRowCounts(db) {
  const list = db.url.startsWith('sqlite:')
    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'safety%' ORDER BY name"
    : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'safety%' ORDER BY tablename";
  const tables = (await sql(db, list)).map((r) => r[0]);
  assert.ok(tables.length >= 3, `safety tables found: ${tables}`);
  const counts = {};
  for (const t of [...tables, 'audit_log']) counts[t] = Number((await sql(db, `SELECT COUNT(*) FROM ${t}`))[0][0]);
  return counts;
}

// Invented numbers and names only.
const SCAM = 'Chúc mừng quý khách trúng thưởng 50 triệu! Gọi ngay 0912 345 678 để nhận, chuyển phí 500k vào stk 1234567890 Vietcombank.';
const OTHER_WITH_NUMBER = 'Chị ơi, có ai gọi số 0912.345.678 hỏi mua hàng, chị gọi lại giúp em nha';
const ROLES = [...Object.keys(DEMO_USERS), 'anonymous'];

const reasonIds = (r) => r.json.reasons.map((x) => x.rule);

forEachDatabase('moderation', (ctx) => {
  const check = async (text) => {
    const r = await ctx.api.post('/api/v1/safety/check', { text });
    assert.equal(r.status, 200, r.text);
    return r;
  };
  const report = (body) => ctx.api.post('/api/v1/safety/reports', body);
  const queue = async (who, status = 'pending') =>
    ctx.api.get(`/api/v1/safety/reports?status=${status}`, { auth: who === 'anonymous' ? undefined : await ctx.as(who) });

  test('anonymous checks work and store nothing in any safety table or the audit log', async () => {
    const before = await safetyRowCounts(ctx.srv.db);
    const r = await check(SCAM);
    assert.notEqual(r.json.verdict, 'safe');
    await check(OTHER_WITH_NUMBER);
    await ctx.api.post('/api/v1/safety/check', { messages: [{ from: 'a', text: 'Em mấy tuổi, học trường nào?' }] });
    assert.deepEqual(await safetyRowCounts(ctx.srv.db), before);
  });

  test('nothing of a checked text reaches the server log; the check is one access-log line by route pattern', async () => {
    const marker = 'Khienmarker' + Date.now();
    const r = await ctx.api.post('/api/v1/safety/check', { text: `${marker} gọi 0912 345 678, chuyển 500k vào stk 1234567890` });
    assert.equal(r.status, 200, r.text);
    const id = r.headers.get('x-request-id');
    // The access log is flushed on a timer, not per line: wait for this request's line.
    let line;
    for (const deadline = Date.now() + 5000; !line && Date.now() < deadline; await sleep(100)) {
      line = ctx.srv.log().split('\n').find((l) => l.includes(id));
    }
    assert.ok(line, `an access-log line for request ${id}`);
    const entry = JSON.parse(line);
    assert.equal(entry.route, '/api/v1/safety/check');
    assert.equal(entry.status, 200);
    for (const secret of [marker, '0912', '345 678', '1234567890']) {
      assert.ok(!ctx.srv.log().includes(secret), `"${secret}" is not in the server's output`);
    }
  });

  test('a report without consent is 400 on "consent" and stores nothing', async () => {
    const before = await safetyRowCounts(ctx.srv.db);
    for (const body of [{ text: SCAM }, { text: SCAM, consent: false }, { text: SCAM, consent: 'true' }, { text: SCAM, consent: 1 }]) {
      const p = assertProblem(await report(body), 400, 'invalid_input', { field: 'consent' });
      assert.match(p.detail, /đồng ý/);
    }
    assertProblem(await report({ consent: true }), 400, 'invalid_input', { field: 'text' });
    assertProblem(await report({ text: '   ', consent: true }), 400, 'invalid_input', { field: 'text' });
    assertProblem(await report({ text: SCAM, consent: true, org_unit: 'no-such-unit' }), 400, 'invalid_input', { field: 'org_unit' });
    assert.deepEqual(await safetyRowCounts(ctx.srv.db), before);
  });

  test('feedback stores one row with only the verdict shown and whether it was right', async () => {
    const before = await safetyRowCounts(ctx.srv.db);
    const r = await ctx.api.post('/api/v1/safety/feedback', { verdict: 'caution', correct: false });
    assert.equal(r.status, 204, r.text);
    assertProblem(await ctx.api.post('/api/v1/safety/feedback', { verdict: 'maybe', correct: false }), 400, 'invalid_input', { field: 'verdict' });
    assertProblem(await ctx.api.post('/api/v1/safety/feedback', { verdict: 'safe', correct: false, text: SCAM }), 400, 'invalid_input');
    const after = await safetyRowCounts(ctx.srv.db);
    assert.equal(after.safety_feedback, before.safety_feedback + 1);
    const columns = ctx.srv.db.url.startsWith('sqlite:')
      ? (await sql(ctx.srv.db, "SELECT name FROM pragma_table_info('safety_feedback') ORDER BY cid")).map((r) => r[0])
      : (await sql(ctx.srv.db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'safety_feedback' ORDER BY ordinal_position")).map((r) => r[0]);
    assert.deepEqual(columns, ['id', 'verdict', 'correct', 'created_at']);
    const rows = await sql(ctx.srv.db, "SELECT verdict, correct FROM safety_feedback WHERE verdict = 'caution'");
    assert.deepEqual(rows.at(-1), ['caution', '0']);
  });

  test('a consented report stores the NFC text and the verdict at report time, nothing about the sender', async () => {
    const before = await safetyRowCounts(ctx.srv.db);
    const decomposed = SCAM.normalize('NFD');
    const r = await report({ text: decomposed, consent: true, verdict: 'danger' });
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof r.json.id, 'string');
    const after = await safetyRowCounts(ctx.srv.db);
    assert.equal(after.safety_reports, before.safety_reports + 1);
    const [row] = await sql(ctx.srv.db, `SELECT text, verdict, categories, status, shown_verdict FROM safety_reports WHERE id = '${r.json.id}'`);
    assert.equal(row[0], SCAM.normalize('NFC'));
    assert.notEqual(row[1], 'safe');
    assert.match(row[2], /scam/);
    assert.equal(row[3], 'pending');
    assert.equal(row[4], 'danger');
    const columns = ctx.srv.db.url.startsWith('sqlite:')
      ? (await sql(ctx.srv.db, "SELECT name FROM pragma_table_info('safety_reports')")).map((x) => x[0])
      : (await sql(ctx.srv.db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'safety_reports'")).map((x) => x[0]);
    for (const c of columns) assert.doesNotMatch(c, /ip|addr|agent|user_id|created_by/, `column ${c}`);
  });

  test('only media members and admins see the queue (every demo role), scoped by place', async () => {
    const mine = await report({ text: 'Tin nhắn thử: nhận quà miễn phí tại quatang-mienphi.example', consent: true });
    assert.equal(mine.status, 201, mine.text);
    const elsewhere = await report({ text: 'Tin nhắn thử ở xã khác: trúng thưởng xe máy', consent: true, org_unit: '24250' });
    assert.equal(elsewhere.status, 201, elsewhere.text);
    for (const role of ROLES) {
      const r = await queue(role);
      if (role === 'admin' || role === 'media_member') {
        assert.equal(r.status, 200, `${role}: ${r.text}`);
        const ids = r.json.items.map((x) => x.id);
        assert.ok(ids.includes(mine.json.id), `${role} sees a report without a place`);
        assert.equal(r.json.items.every((x) => x.status === 'pending'), true);
        // The media member of Yang Lah does not see a report from Ea Nuôl; the admin does.
        assert.equal(ids.includes(elsewhere.json.id), role === 'admin', `${role} and a report from another commune`);
      } else if (role === 'anonymous') {
        assertProblem(r, 401, 'unauthorized');
      } else {
        assertProblem(r, 403, 'forbidden');
      }
    }
    assertProblem(await queue('admin', 'bogus'), 400, 'invalid_input', { field: 'status' });
  });

  test('confirming a scam blocks its phone number: a different message with that number is flagged by the list', async () => {
    const beforeCheck = await check(OTHER_WITH_NUMBER);
    assert.ok(!reasonIds(beforeCheck).includes('scam.blocklisted_phone'));
    const r = await report({ text: SCAM, consent: true, verdict: 'danger' });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    const viewer = await ctx.as('viewer');
    assertProblem(await ctx.api.post(`/api/v1/safety/reports/${id}/confirm`, { label: 'scam' }, { auth: viewer }), 403, 'forbidden');
    assertProblem(await ctx.api.post(`/api/v1/safety/reports/${id}/confirm`, { label: 'scam' }), 401, 'unauthorized');
    const media = await ctx.as('media_member');
    assertProblem(await ctx.api.post(`/api/v1/safety/reports/${id}/confirm`, { label: 'maybe' }, { auth: media }), 400, 'invalid_input', { field: 'label' });
    const auditBefore = (await safetyRowCounts(ctx.srv.db)).audit_log;
    const c = await ctx.api.post(`/api/v1/safety/reports/${id}/confirm`, { label: 'scam' }, { auth: media });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.report.status, 'confirmed');
    assert.equal(c.json.report.label, 'scam');
    const added = c.json.added.map((e) => `${e.kind}:${e.value}`);
    assert.ok(added.includes('phone:0912345678'), added.join(','));
    assert.ok(added.includes('account:1234567890'), added.join(','));
    assert.ok(!added.some((a) => a.includes('vietcombank')), 'a real bank is never blocked');
    const rows = await sql(ctx.srv.db, `SELECT kind, value, list, source_report FROM safety_list_entries WHERE source_report = '${id}' ORDER BY kind`);
    assert.deepEqual(rows.map((x) => x.slice(0, 3).join(':')).sort(), ['account:1234567890:block', 'phone:0912345678:block']);
    const audit = await sql(ctx.srv.db, `SELECT action, target_id FROM audit_log WHERE target_id = '${id}'`);
    assert.deepEqual(audit, [['safety.report_confirmed', id]]);
    assert.equal((await safetyRowCounts(ctx.srv.db)).audit_log, auditBefore + 1);

    const afterCheck = await check(OTHER_WITH_NUMBER);
    const reason = afterCheck.json.reasons.find((x) => x.rule === 'scam.blocklisted_phone');
    assert.ok(reason, afterCheck.text);
    assert.equal(reason.text, '0912.345.678');
    assert.ok(afterCheck.json.scores.scam > beforeCheck.json.scores.scam);

    assertProblem(await ctx.api.post(`/api/v1/safety/reports/${id}/confirm`, { label: 'safe' }, { auth: media }), 409, 'conflict');
    const confirmed = await queue('admin', 'confirmed');
    assert.ok(confirmed.json.items.some((x) => x.id === id));
    assert.ok(!(await queue('admin')).json.items.some((x) => x.id === id), 'no longer pending');
  });

  test('confirming a scam blocks its own domain, never a shortener, a chat host or a 1900 hotline everyone uses', async () => {
    // Scams quote a bank's real hotline too: a 1900 number is never blocked from a report.
    const text = 'Tài khoản của bạn bị khóa, xác minh tại https://xacminh-taikhoan-vn.top/login hoặc bit.ly/3xKhoa, hỗ trợ qua t.me/hotro_xacminh, tổng đài 1900 545 413';
    const innocent = 'Lịch họp phụ huynh ở đây: bit.ly/hop-phu-huynh, nhóm lớp t.me/lop3a_eanuol. Ngân hàng: tổng đài 1900 545 413';
    assert.ok(!reasonIds(await check(innocent)).some((id) => id.startsWith('scam.blocklisted_')));
    const r = await report({ text, consent: true, verdict: 'danger' });
    assert.equal(r.status, 201, r.text);
    const c = await ctx.api.post(`/api/v1/safety/reports/${r.json.id}/confirm`, { label: 'scam' }, { auth: await ctx.as('media_member') });
    assert.equal(c.status, 200, c.text);
    const added = c.json.added.map((e) => `${e.kind}:${e.value}`);
    assert.deepEqual(added, ['domain:xacminh-taikhoan-vn.top']);
    assert.ok(reasonIds(await check('Vào xacminh-taikhoan-vn.top ngay')).includes('scam.blocklisted_domain'));
    const after = await check(innocent);
    assert.ok(!reasonIds(after).some((id) => id.startsWith('scam.blocklisted_')), after.text);
    assert.equal(after.json.verdict, 'safe', after.text);
  });

  test('list entries by hand: add, take effect at once, duplicates and bad values refused, remove', async () => {
    const admin = await ctx.as('admin');
    const msg = 'Xem ngay ưu đãi tại khuyenmai-gia.xyz/nhan-qua';
    assert.ok(!reasonIds(await check(msg)).includes('scam.blocklisted_domain'));
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: 'x.example' }, { auth: await ctx.as('commune_officer') }), 403, 'forbidden');
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: 'x.example' }), 401, 'unauthorized');
    const add = await ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: 'https://KhuyenMai-Gia.XYZ/abc' }, { auth: admin });
    assert.equal(add.status, 201, add.text);
    assert.equal(add.json.value, 'khuyenmai-gia.xyz');
    assert.equal(add.json.list, 'block');
    assert.ok(reasonIds(await check(msg)).includes('scam.blocklisted_domain'));
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: 'khuyenmai-gia.xyz' }, { auth: admin }), 409, 'conflict');
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'phone', value: '12345' }, { auth: admin }), 400, 'invalid_input', { field: 'value' });
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'email', value: 'a@b.c' }, { auth: admin }), 400, 'invalid_input', { field: 'kind' });
    assertProblem(await ctx.api.post('/api/v1/safety/lists', { kind: 'account', value: '12 34', list: 'grey' }, { auth: admin }), 400, 'invalid_input', { field: 'list' });
    const list = await ctx.api.get('/api/v1/safety/lists', { auth: await ctx.as('media_member') });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((e) => e.id === add.json.id));
    assertProblem(await ctx.api.get('/api/v1/safety/lists', { auth: await ctx.as('province_officer') }), 403, 'forbidden');
    assertProblem(await ctx.api.call('DELETE', `/api/v1/safety/lists/${add.json.id}`, { auth: await ctx.as('viewer') }), 403, 'forbidden');
    const del = await ctx.api.call('DELETE', `/api/v1/safety/lists/${add.json.id}`, { auth: admin });
    assert.equal(del.status, 204, del.text);
    assert.ok(!reasonIds(await check(msg)).includes('scam.blocklisted_domain'));
    assertProblem(await ctx.api.call('DELETE', `/api/v1/safety/lists/${add.json.id}`, { auth: admin }), 404, 'not_found');
    const audit = await sql(ctx.srv.db, `SELECT action FROM audit_log WHERE target_id = '${add.json.id}' ORDER BY seq`);
    assert.deepEqual(audit.map((x) => x[0]), ['safety.list_entry_added', 'safety.list_entry_removed']);
  });

  test('list entries survive a restart: a new server on the same database flags the number', async () => {
    // The entries of the previous test live in the database; the checker reloads them at start.
    const r = await sql(ctx.srv.db, "SELECT COUNT(*) FROM safety_list_entries WHERE value = '0912345678'");
    assert.equal(r[0][0], '1');
    const second = await startApiServer({ db: ctx.srv.db });
    try {
      const c = await new Api(second.url).post('/api/v1/safety/check', { text: OTHER_WITH_NUMBER });
      assert.equal(c.status, 200, c.text);
      assert.ok(reasonIds(c).includes('scam.blocklisted_phone'), c.text);
    } finally {
      await second.stop();
    }
  });
});

describe('moderation: anonymous endpoints are rate limited per address (--checks-per-minute 5)', () => {
  let srv;
  let api;
  before(async () => {
    srv = await startApiServer({ backend: 'sqlite', extraArgs: ['--checks-per-minute', '5'] });
    api = new Api(srv.url);
  });
  after(async () => {
    await srv?.stop();
  });

  for (const [path, body, okStatus] of [
    ['/api/v1/safety/check', { text: 'Xin chào, mai họp phụ huynh lúc 7 giờ.' }, 200],
    ['/api/v1/safety/reports', { text: 'Tin nhắn thử để báo cáo', consent: true }, 201],
    ['/api/v1/safety/feedback', { verdict: 'safe', correct: true }, 204],
  ]) {
    test(`${path}: 5 answered, the 6th is 429`, async () => {
      for (let i = 0; i < 5; i++) {
        const r = await api.post(path, body);
        assert.equal(r.status, okStatus, `request ${i + 1}: ${r.text}`);
      }
      const p = assertProblem(await api.post(path, body), 429, 'too_many_requests');
      assert.match(p.detail, /Quá nhiều yêu cầu/);
    });
  }
});
