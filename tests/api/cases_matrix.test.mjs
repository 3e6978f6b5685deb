// Authorization matrix of every case endpoint (issue 5, rounds 1 and 2), black box on SQLite and
// PostgreSQL: each demo role and anonymous, on a case in her own commune (Đắk Liêng, 24595) and
// on one in another commune (Ea Nuôl, 24250). Every status is asserted, and the body of every
// denied call is checked for survivor data (name, phone, survivor code, note text).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { assertProblem, forEachDatabase } from '../lib/api.mjs';

const keyDir = mkdtempSync(join(tmpdir(), 'khien-cases-matrix-key-'));
process.env.KHIEN_KEY_FILE = join(keyDir, 'master.key');
writeFileSync(process.env.KHIEN_KEY_FILE, randomBytes(32), { mode: 0o600 });

const OWN = '24595';
const OTHER = '24250';
const SURVIVOR = { name: 'Y Ma Trận Thử', phone: '0977000111', sex: 'female', birth_year: 2005 };
const NOTE = 'Ghi chú ma trận không được lộ';
// username → short role label used in the expectations.
const ROLES = {
  admin: 'admin',
  'tinh.daklak': 'province',
  'xa.daklieng': 'supervisor',        // commune officer of the case's commune
  'xa.eanuol': 'officer_other',       // commune officer of another commune
  'canbo.daklieng': 'owner',          // case worker who opens the case
  'tincay.yanglah': 'trusted',        // trusted address in the case's commune, nothing referred yet
  'truyenthong.yanglah': 'media',
  'xem.daklak': 'viewer',
};
const vietnamDate = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

forEachDatabase('cases matrix', (ctx) => {
  let own;     // the case in Đắk Liêng, owned by canbo.daklieng
  let other;   // the case in Ea Nuôl, owned by xa.eanuol
  let taskId;
  const secrets = () => [SURVIVOR.name, SURVIVOR.phone, NOTE, own.survivor_code, other.survivor_code];
  const put = (path, body, auth) => ctx.api.call('PUT', path, { auth, body });
  const auth = (user) => (user === 'anonymous' ? undefined : ctx.as(user));

  // The per-case calls, old and new. A case worker's writes come first so that closure is last.
  const calls = (id) => [
    { name: 'GET case', route: 'GET /api/v1/cases/{id}', send: (a) => ctx.api.get(`/api/v1/cases/${id}`, { auth: a })},
    { name: 'PATCH case', route: 'PATCH /api/v1/cases/{id}', send: (a) => ctx.api.patch(`/api/v1/cases/${id}`, { high_risk: true }, { auth: a })},
    { name: 'POST incidents', route: 'POST /api/v1/cases/{id}/incidents', send: (a) => ctx.api.post(`/api/v1/cases/${id}/incidents`, { occurred_on: '2024-06-01', core_type: 'psychological_abuse' }, { auth: a })},
    { name: 'POST consents', route: 'POST /api/v1/cases/{id}/consents', send: (a) => ctx.api.post(`/api/v1/cases/${id}/consents`, { purpose: 'services', granted: true }, { auth: a })},
    { name: 'POST referrals', route: 'POST /api/v1/cases/{id}/referrals', send: (a) => ctx.api.post(`/api/v1/cases/${id}/referrals`, { provider: '24595', service: 'police' }, { auth: a })},
    { name: 'GET access-log', route: 'GET /api/v1/cases/{id}/access-log', send: (a) => ctx.api.get(`/api/v1/cases/${id}/access-log`, { auth: a })},
    { name: 'POST tasks', route: 'POST /api/v1/cases/{id}/tasks', send: (a) => ctx.api.post(`/api/v1/cases/${id}/tasks`, { title: 'Việc ma trận', due: vietnamDate(2) }, { auth: a })},
    { name: 'POST notes', route: 'POST /api/v1/cases/{id}/notes', send: (a) => ctx.api.post(`/api/v1/cases/${id}/notes`, { text: NOTE }, { auth: a })},
    { name: 'PUT risk', route: 'PUT /api/v1/cases/{id}/risk', send: (a) => put(`/api/v1/cases/${id}/risk`, { answers: { pregnant: true } }, a)},
    { name: 'PUT safety-plan', route: 'PUT /api/v1/cases/{id}/safety-plan', send: (a) => put(`/api/v1/cases/${id}/safety-plan`, { safe_places: 'Nhà hàng xóm' }, a)},
    { name: 'POST closure/approve', route: 'POST /api/v1/cases/{id}/closure/approve', send: (a) => ctx.api.post(`/api/v1/cases/${id}/closure/approve`, {}, { auth: a })},
    { name: 'POST closure', route: 'POST /api/v1/cases/{id}/closure', send: (a) => ctx.api.post(`/api/v1/cases/${id}/closure`, { reason: 'needs_met' }, { auth: a })},
    { name: 'POST closure/reject', route: 'POST /api/v1/cases/{id}/closure/reject', send: (a) => ctx.api.post(`/api/v1/cases/${id}/closure/reject`, {}, { auth: a })},
    { name: 'POST break-glass', route: 'POST /api/v1/cases/{id}/break-glass', send: (a) => ctx.api.post(`/api/v1/cases/${id}/break-glass`, { reason: 'Khẩn cấp: kiểm tra ma trận quyền' }, { auth: a })},
  ];
  // Expected status on the case in the caller's own commune, for the roles that get more than
  // 404; every other role gets 404 (and anonymous 401). Order matters for the closure rows.
  const allowed = {
    'GET case': { owner: 200, supervisor: 200 },
    'PATCH case': { owner: 200, supervisor: 200 },
    'POST incidents': { owner: 201 },
    'POST consents': { owner: 200 },
    'POST referrals': { owner: 409, supervisor: 409 },       // authorized, refused for lack of consent
    'GET access-log': { owner: 200, supervisor: 200 },
    'POST tasks': { owner: 201 },
    'POST notes': { owner: 201 },
    'PUT risk': { owner: 200 },
    'PUT safety-plan': { owner: 200 },
    'POST closure/approve': { owner: 403, supervisor: 409 },  // nothing pending yet
    'POST closure': { owner: 200 },
    'POST closure/reject': { owner: 403, supervisor: 200 },
    'POST break-glass': { owner: 204, supervisor: 204 },
  };
  // Roles run in this order so that the owner asks for closure before the supervisor rejects it.
  const ORDER = ['anonymous', 'admin', 'tinh.daklak', 'xa.eanuol', 'tincay.yanglah', 'truyenthong.yanglah', 'xem.daklak',
    'canbo.daklieng', 'xa.daklieng'];

  test('set-up: a case in each commune', async () => {
    let r = await ctx.api.post('/api/v1/cases', { org_unit: OWN, survivor: SURVIVOR }, { auth: await ctx.as('canbo.daklieng') });
    assert.equal(r.status, 201, r.text);
    own = r.json;
    r = await ctx.api.post('/api/v1/cases', { org_unit: OTHER, survivor: SURVIVOR }, { auth: await ctx.as('xa.eanuol') });
    assert.equal(r.status, 201, r.text);
    other = r.json;
  });

  test('every per-case endpoint × every role, on a case of her commune', async () => {
    for (const { name, send } of calls(own.id)) {
      for (const user of ORDER) {
        const role = ROLES[user] ?? 'anonymous';
        const expected = user === 'anonymous' ? 401 : (allowed[name][role] ?? 404);
        const r = await send(await auth(user));
        assert.equal(r.status, expected, `${name} as ${user}: ${r.text}`);
        if (name === 'POST tasks' && r.status === 201) taskId = r.json.id;
        if (r.status >= 400) {
          for (const s of secrets()) assert.ok(!r.text.includes(s), `${name} as ${user} leaks ${s}`);
        }
      }
    }
  });

  test('every per-case endpoint × every role, on a case of another commune', async () => {
    for (const { name, send } of calls(other.id)) {
      for (const user of ORDER.filter((u) => u !== 'xa.eanuol')) {  // she owns that case
        const r = await send(await auth(user));
        const expected = user === 'anonymous' ? 401 : 404;
        assert.equal(r.status, expected, `${name} on the other commune's case as ${user}: ${r.text}`);
        for (const s of secrets()) assert.ok(!r.text.includes(s), `${name} as ${user} leaks ${s}`);
      }
    }
  });

  test('task and referral steps by role', async () => {
    for (const user of ORDER) {
      const r = await ctx.api.post(`/api/v1/tasks/${taskId}/done`, undefined, { auth: await auth(user) });
      // The supervisor broke the glass above: four hours of case-team access, tasks included.
      const expected = user === 'anonymous' ? 401 : user === 'canbo.daklieng' || user === 'xa.daklieng' ? 200 : 404;
      assert.equal(r.status, expected, `task done as ${user}: ${r.text}`);
      if (r.status >= 400) for (const s of secrets()) assert.ok(!r.text.includes(s));
    }
    const owner = await ctx.as('canbo.daklieng');
    await ctx.api.post(`/api/v1/cases/${own.id}/consents`, { purpose: 'referral', provider: OWN, granted: true }, { auth: owner });
    const ref = await ctx.api.post(`/api/v1/cases/${own.id}/referrals`, { provider: OWN, service: 'shelter' }, { auth: owner });
    assert.equal(ref.status, 201, ref.text);
    for (const user of ['admin', 'tinh.daklak', 'xa.eanuol', 'truyenthong.yanglah', 'xem.daklak', 'canbo.daklieng']) {
      const r = await ctx.api.post(`/api/v1/referrals/${ref.json.id}/accept`, undefined, { auth: await ctx.as(user) });
      // The case worker may see the referral (409: only the provider accepts); the rest may not.
      assert.equal(r.status, user === 'canbo.daklieng' ? 409 : 404, `accept as ${user}: ${r.text}`);
      for (const s of secrets()) assert.ok(!r.text.includes(s));
    }
    assertProblem(await ctx.api.post(`/api/v1/referrals/${ref.json.id}/accept`), 401, 'unauthorized');
    const accepted = await ctx.api.post(`/api/v1/referrals/${ref.json.id}/accept`, undefined, { auth: await ctx.as('tincay.yanglah') });
    assert.equal(accepted.status, 200, accepted.text);
    for (const user of ['admin', 'tinh.daklak', 'xa.eanuol', 'xem.daklak']) {
      const r = await ctx.api.post(`/api/v1/referrals/${ref.json.id}/complete`, undefined, { auth: await ctx.as(user) });
      assert.equal(r.status, 404, `complete as ${user}`);
      const d = await ctx.api.post(`/api/v1/referrals/${ref.json.id}/decline`, undefined, { auth: await ctx.as(user) });
      assert.equal(d.status, 404, `decline as ${user}`);
    }
    // Now referred, the trusted address sees the shared part only.
    const seen = await ctx.api.get(`/api/v1/cases/${own.id}`, { auth: await ctx.as('tincay.yanglah') });
    assert.equal(seen.status, 200, seen.text);
    for (const s of [SURVIVOR.name, SURVIVOR.phone, NOTE]) assert.ok(!seen.text.includes(s));
    assert.deepEqual(seen.json.notes, []);
    assert.deepEqual(seen.json.tasks, []);
    assert.equal(seen.json.risk, null);
    assert.equal(seen.json.safety_plan, null);
  });

  // The routes the tests below cover, for role_matrix.test.mjs's "every route has a row" check:
  // route: 'POST /api/v1/tasks/{id}/done', route: 'POST /api/v1/referrals/{id}/accept',
  // route: 'POST /api/v1/referrals/{id}/decline', route: 'POST /api/v1/referrals/{id}/complete',
  // route: 'GET /api/v1/cases', route: 'POST /api/v1/cases', route: 'GET /api/v1/tasks',
  // route: 'GET /api/v1/reports', route: 'GET /api/v1/cases/stats', route: 'GET /api/v1/cases/stats.xlsx',
  // route: 'POST /api/v1/reports', route: 'GET /api/v1/reports/{code}', route: 'GET /api/v1/cases/vocabulary'
  test('collection endpoints by role', async () => {
    const expect = {
      'GET /api/v1/cases': { owner: 200, supervisor: 200, officer_other: 200, trusted: 200, province: 200, admin: 403, media: 403, viewer: 403 },
      'GET /api/v1/tasks?scope=mine': { owner: 200, supervisor: 200, officer_other: 200, trusted: 200, province: 200, admin: 200, media: 200, viewer: 200 },
      'GET /api/v1/reports': { owner: 200, supervisor: 200, officer_other: 200, trusted: 403, province: 403, admin: 403, media: 403, viewer: 403 },
      [`GET /api/v1/cases/stats?org=${OWN}`]: { owner: 403, supervisor: 200, officer_other: 404, trusted: 403, province: 200, admin: 200, media: 403, viewer: 403 },
      [`GET /api/v1/cases/stats.xlsx?org=${OWN}`]: { owner: 403, supervisor: 200, officer_other: 404, trusted: 403, province: 200, admin: 403, media: 403, viewer: 403 },
    };
    for (const [call, byRole] of Object.entries(expect)) {
      const path = call.slice(4);
      assertProblem(await ctx.api.get(path), 401, 'unauthorized');
      for (const [user, role] of Object.entries(ROLES)) {
        const r = await ctx.api.get(path, { auth: await ctx.as(user) });
        assert.equal(r.status, byRole[role], `${call} as ${user}: ${r.status}`);
        if (user !== 'canbo.daklieng') {
          for (const s of [SURVIVOR.name, SURVIVOR.phone, NOTE, own.survivor_code]) {
            // Her commune's list, and the trusted address's list of referred cases, show codes.
            if ((role === 'supervisor' || role === 'trusted') && s === own.survivor_code) continue;
            if (role === 'officer_other' && s === other.survivor_code) continue;
            assert.ok(!r.text.includes(s), `${call} as ${user} shows ${s}`);
          }
        }
      }
    }
    const created = { owner: 201, supervisor: 201 };
    for (const [user, role] of Object.entries(ROLES)) {
      const r = await ctx.api.post('/api/v1/cases', { org_unit: OWN, survivor: { sex: 'unknown' } }, { auth: await ctx.as(user) });
      assert.equal(r.status, created[role] ?? 403, `POST /cases as ${user}: ${r.text}`);
    }
  });

  test('public endpoints: the same for every role and anonymous', async () => {
    for (const user of [...Object.keys(ROLES), 'anonymous']) {
      const a = await auth(user);
      const vocab = await ctx.api.get('/api/v1/cases/vocabulary', { auth: a });
      assert.equal(vocab.status, 200, `vocabulary as ${user}`);
      const report = await ctx.api.post('/api/v1/reports', { org_unit: OWN, anonymous: true, about: 'myself', description: 'Ma trận: tin báo thử' }, { auth: a });
      assert.equal(report.status, 201, `report as ${user}: ${report.text}`);
      const check = await ctx.api.get(`/api/v1/reports/${report.json.code}`, { auth: a, headers: { 'X-Report-Pin': report.json.pin } });
      assert.equal(check.status, 200, `report check as ${user}: ${check.text}`);
      assert.deepEqual(Object.keys(check.json).sort(), ['created_at', 'status', 'updated_at'], 'the reporter sees the status only');
    }
  });
});
