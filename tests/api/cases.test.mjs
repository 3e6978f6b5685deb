// Cases API, black box on SQLite and PostgreSQL: every case endpoint × every demo role (own and
// other commune), consent and supervisor override, public reports (code + PIN in a header,
// rate limited), bad input, encryption at rest seen through the database, and
// `khien audit verify` catching an edited and a deleted audit row.
// The server gets a fresh master key through KHIEN_KEY_FILE (read by `khien serve`).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';

import { DEMO_USERS, assertProblem, forEachDatabase } from '../lib/api.mjs';
import { binaryPath } from '../lib/server.mjs';

const run = promisify(execFile);
const keyDir = mkdtempSync(join(tmpdir(), 'khien-cases-key-'));
process.env.KHIEN_KEY_FILE = join(keyDir, 'master.key');
writeFileSync(process.env.KHIEN_KEY_FILE, randomBytes(32), { mode: 0o600 });

// Invented identity; searched for in the stored bytes.
const SURVIVOR = { name: 'Hờ Thị Thử Nghiệm', phone: '0911222333', address: 'Nhà 9 Buôn Giả Định', sex: 'female', birth_year: 2011 };
const OWN = '24595';      // Đắk Liêng: canbo.daklieng and tincay.yanglah
const OTHER = '24250';    // Ea Nuôl: xa.eanuol

// One SQL statement on the test database: psql for PostgreSQL, the sqlite3 shell for SQLite.
async function dbQuery(db, sql) {
  const { stdout } = db.url.startsWith('sqlite:')
    ? await run('sqlite3', ['-cmd', '.timeout 5000', db.url.replace(/^sqlite:/, ''), sql])
    : await run('psql', [db.url, '-At', '-c', sql]);
  return stdout.trim();
}

forEachDatabase('cases', (ctx) => {
  let caseId;
  let referralId;

  test('a case worker opens a case in her commune; identity is hers to see', async () => {
    const worker = await ctx.as('case_worker');
    const r = await ctx.api.post('/api/v1/cases', { org_unit: OWN, survivor: SURVIVOR }, { auth: worker });
    assert.equal(r.status, 201, r.text);
    caseId = r.json.id;
    assert.match(r.json.survivor_code, /^[A-Z]{2}-[0-9A-Z]{5}$/);
    assert.equal(r.json.survivor.name, SURVIVOR.name);
    const list = await ctx.api.get('/api/v1/cases', { auth: worker });
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((c) => c.id === caseId));
    assert.ok(!list.text.includes(SURVIVOR.name), 'lists show the survivor code, not the name');
  });

  test('read matrix: every role, own and other commune', async () => {
    const expected = {
      admin: 404, province_officer: 404, commune_officer: 404, commune_officer_other: 404,
      case_worker: 200, trusted_address: 404, media_member: 404, viewer: 404,
    };
    for (const [role, status] of Object.entries(expected)) {
      const r = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: await ctx.as(role) });
      assert.equal(r.status, status, `${role}: ${r.text}`);
      if (status === 404) {
        assertProblem(r, 404, 'not_found');
        assert.ok(!r.text.includes(SURVIVOR.name));
      }
    }
    assertProblem(await ctx.api.get(`/api/v1/cases/${caseId}`), 401, 'unauthorized');
    // Tampered and unknown ids look exactly like a case out of scope.
    assertProblem(await ctx.api.get(`/api/v1/cases/${caseId}x`, { auth: await ctx.as('case_worker') }), 404, 'not_found');
    const traversal = await ctx.api.get('/api/v1/cases/..%2F..%2Fetc', { auth: await ctx.as('case_worker') });
    assert.ok(traversal.status === 400 || traversal.status === 404, traversal.text);
    assert.ok(!traversal.text.includes(SURVIVOR.name));
  });

  test('write matrix: incidents, consents, referrals, access log, break-glass by role', async () => {
    const writes = [
      (auth) => ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2025-01-01', core_type: 'physical_assault' }, { auth }),
      (auth) => ctx.api.post(`/api/v1/cases/${caseId}/consents`, { purpose: 'statistics', granted: true }, { auth }),
      (auth) => ctx.api.patch(`/api/v1/cases/${caseId}`, { high_risk: true }, { auth }),
      (auth) => ctx.api.get(`/api/v1/cases/${caseId}/access-log`, { auth }),
    ];
    for (const role of Object.keys(DEMO_USERS)) {
      if (role === 'case_worker') continue;
      for (const send of writes) assertProblem(await send(await ctx.as(role)), 404, 'not_found');
    }
    const worker = await ctx.as('case_worker');
    for (const send of writes) {
      const r = await send(worker);
      assert.ok(r.status === 200 || r.status === 201, r.text);
    }
    // Break-the-glass from another commune is refused like any out-of-scope id.
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/break-glass`, { reason: 'Khẩn cấp: cần liên hệ ngay' }, { auth: await ctx.as('commune_officer') }), 404, 'not_found');
    const log = await ctx.api.get(`/api/v1/cases/${caseId}/access-log`, { auth: worker });
    const actions = log.json.items.map((e) => e.action);
    for (const a of ['case.created', 'case.read', 'case.denied', 'case.incident_added']) assert.ok(actions.includes(a), a);
    assert.ok(!log.text.includes(SURVIVOR.name));
  });

  test('referral needs consent; trusted address then sees only what it shares', async () => {
    const worker = await ctx.as('case_worker');
    const p = assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/referrals`, { provider: OWN, service: 'shelter' }, { auth: worker }), 409, 'consent_required');
    assert.ok(p.detail.length > 0);
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/referrals`, { provider: OWN, service: 'shelter', override_reason: 'Tôi không phải người giám sát' }, { auth: worker }), 409, 'consent_required');
    let r = await ctx.api.post(`/api/v1/cases/${caseId}/consents`, { purpose: 'referral', provider: OWN, granted: true }, { auth: worker });
    assert.equal(r.status, 200, r.text);
    r = await ctx.api.post(`/api/v1/cases/${caseId}/referrals`, { provider: OWN, service: 'shelter' }, { auth: worker });
    assert.equal(r.status, 201, r.text);
    referralId = r.json.id;
    const trusted = await ctx.as('trusted_address');
    const seen = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: trusted });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.identity_visible, false);
    assert.equal(seen.json.survivor, undefined);
    assert.ok(!seen.text.includes(SURVIVOR.name) && !seen.text.includes(SURVIVOR.phone));
    assert.deepEqual(seen.json.incidents, []);
    assertProblem(await ctx.api.post(`/api/v1/referrals/${referralId}/accept`, undefined, { auth: await ctx.as('commune_officer') }), 404, 'not_found');
    r = await ctx.api.post(`/api/v1/referrals/${referralId}/accept`, undefined, { auth: trusted });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'accepted');
    assertProblem(await ctx.api.post(`/api/v1/referrals/${referralId}/decline`, undefined, { auth: trusted }), 409, 'conflict');
  });

  test('bad input: cross-province provider, incident before birth, unknown vocabulary', async () => {
    const worker = await ctx.as('case_worker');
    await ctx.api.post(`/api/v1/cases/${caseId}/consents`, { purpose: 'referral', provider: '01', granted: true }, { auth: worker });
    const cross = await ctx.api.post(`/api/v1/cases/${caseId}/referrals`, { provider: '01', service: 'police' }, { auth: worker });
    assert.ok(cross.status === 400, cross.text);
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2010-05-05', core_type: 'rape' }, { auth: worker }), 400, 'invalid_input', { field: 'occurred_on' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2025-05-05', core_type: 'theft' }, { auth: worker }), 400, 'invalid_input', { field: 'core_type' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2025-05-05', core_type: 'rape', dv_acts: ['z'] }, { auth: worker }), 400, 'invalid_input', { field: 'dv_acts' });
    assertProblem(await ctx.api.post('/api/v1/cases', { org_unit: OTHER, survivor: SURVIVOR }, { auth: worker }), 403, 'forbidden');
    assertProblem(await ctx.api.post('/api/v1/cases', { org_unit: OWN, survivor: { ...SURVIVOR, nickname: 'x' } }, { auth: worker }), 400, 'invalid_input');
  });

  test('public report: code and PIN, PIN only in a header, forged codes rate limited', async () => {
    const r = await ctx.api.post('/api/v1/reports', { org_unit: OWN, anonymous: true, about: 'someone_else', description: 'Em bé hàng xóm bị đánh.' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    assert.match(r.json.pin, /^\d{6}$/);
    const ok = await ctx.api.get(`/api/v1/reports/${r.json.code}`, { headers: { 'X-Report-Pin': r.json.pin } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'received');
    assertProblem(await ctx.api.get(`/api/v1/reports/${r.json.code}?pin=${r.json.pin}`), 400, 'invalid_input');
    const wrong = r.json.pin === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      assertProblem(await ctx.api.get(`/api/v1/reports/${r.json.code}`, { headers: { 'X-Report-Pin': wrong } }), 404, 'not_found');
    }
    assertProblem(await ctx.api.get(`/api/v1/reports/${r.json.code}`, { headers: { 'X-Report-Pin': r.json.pin } }), 429, 'too_many_requests');
  });

  test('statistics: a commune with few cases shows "<5" and the total does not reveal it', async () => {
    const stats = await ctx.api.get(`/api/v1/cases/stats?org=${OWN}&by=core_type`, { auth: await ctx.as('province_officer') });
    assert.equal(stats.status, 200, stats.text);
    assert.equal(stats.json.suppression_applied, true);
    assert.equal(stats.json.total, '<5');
    for (const c of stats.json.cells) assert.equal(c.count, '<5');
    assertProblem(await ctx.api.get(`/api/v1/cases/stats?org=${OWN}`, { auth: await ctx.as('case_worker') }), 403, 'forbidden');
    assertProblem(await ctx.api.get(`/api/v1/cases/stats?org=${OWN}`, { auth: await ctx.as('commune_officer') }), 404, 'not_found');
  });

  test('no survivor identity in the stored bytes', async () => {
    if (ctx.backend === 'postgres') {
      const text = await dbQuery(ctx.srv.db, 'SELECT CAST(c.* AS TEXT) FROM case_records c');
      assert.ok(text.length > 0);
      for (const v of [SURVIVOR.name, SURVIVOR.phone, SURVIVOR.address]) assert.ok(!text.includes(v), v);
    } else {
      const { readFileSync, existsSync } = await import('node:fs');
      const path = ctx.srv.db.url.replace(/^sqlite:/, '');
      let bytes = readFileSync(path).toString('latin1');
      if (existsSync(path + '-wal')) bytes += readFileSync(path + '-wal').toString('latin1');
      for (const v of [SURVIVOR.name, SURVIVOR.phone, SURVIVOR.address]) {
        assert.ok(!bytes.includes(Buffer.from(v, 'utf8').toString('latin1')), v);
      }
    }
  });

  test('khien audit verify catches an edited and a deleted row', async () => {
    const db = ctx.srv.db;
    const verify = () => run(binaryPath(), ['audit', 'verify', '--db', db.url]).then(() => 0, (e) => e.code ?? 1);
    assert.equal(await verify(), 0);
    const seq = await dbQuery(db, "SELECT MIN(seq) FROM audit_log WHERE action = 'case.read'");
    const actor = await dbQuery(db, `SELECT actor_id FROM audit_log WHERE seq = ${seq}`);
    await dbQuery(db, `UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = ${seq}`);
    assert.notEqual(await verify(), 0, 'an edited row is caught');
    await dbQuery(db, `UPDATE audit_log SET actor_id = '${actor}' WHERE seq = ${seq}`);
    assert.equal(await verify(), 0, 'restored');
    await dbQuery(db, `DELETE FROM audit_log WHERE seq = ${seq}`);
    assert.notEqual(await verify(), 0, 'a deleted row is caught');
  });
});
