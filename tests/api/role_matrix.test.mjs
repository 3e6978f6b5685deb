// Every endpoint × every demo account (and anonymous): the expected status, one row per
// endpoint. Expectations follow src/access/access.cc (ManageUsers: admin; ViewUsers: admin,
// province officer; ManageOrgUnits: admin, province and commune officers, each within her org
// units) and the handlers (the org tree is public; /auth/* needs a session). Reach: RecordReach
// (admin, province and commune officers, media members) and ViewReach (those and viewers), each
// within her org units; a record outside them is 404 like an unknown id. Safety: checks, reports
// and feedback are public; the queue and lists need ModerateSafety (admin, media members).
// Case routes have their own matrix (cases_matrix.test.mjs: own/other commune, assignment).
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USERS, assertProblem, forEachDatabase, uniqueName } from '../lib/api.mjs';
import { REPO } from '../lib/server.mjs';

async function routesInSource() {
  const dir = join(REPO, 'src/http/api');
  const routes = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cc')).sort()) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\.Add\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g)) routes.push(`${m[1]} ${m[2]}`);
  }
  return routes;
}

const COLUMNS = [...Object.keys(DEMO_USERS), 'anonymous'];

// Expected statuses: `all` for every signed-in account, overridden per column.
function expect(all, overrides) {
  return Object.fromEntries(COLUMNS.map((c) => [c, overrides[c] ?? all]));
}
const ADMIN_ONLY = (ok) => expect(403, { admin: ok, anonymous: 401 });

// Accounts that may record reach in Ea Nuôl: admin, the province officer, Ea Nuôl's officer (the
// media member is bound to Yang Lah, elsewhere).
const RECORD_EA_NUOL = (ok) => ({ admin: ok, province_officer: ok, commune_officer: ok });
// Writes to Ea Nuôl's activity: allowed as above; another place's recorders get 404 (the record
// does not exist for them); roles without RecordReach get 403.
const RECORD_ACTIVITY = (ok) => expect(403, { ...RECORD_EA_NUOL(ok), commune_officer_other: 404, media_member: 404, anonymous: 401 });
// Reading Ea Nuôl's figures: as above plus the province-wide viewer; `outside` for those who may
// view reach elsewhere (403 for a place asked by code, 404 for a record asked by id).
const VIEW_EA_NUOL = (ok, outside) => expect(403, {
  ...RECORD_EA_NUOL(ok), viewer: ok, commune_officer_other: outside, media_member: outside, anonymous: 401,
});
const MODERATORS = (ok) => expect(403, { admin: ok, media_member: ok, anonymous: 401 });

const activity = (over = {}) => ({
  org_unit: '24250', type: 'training', title: 'Ma trận quyền', topics: ['online_fraud'],
  date: '2025-03-08', status: 'held', ...over,
});

const PROBLEM_FOR = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

forEachDatabase('role matrix', (ctx) => {
  let targetId;
  let activityId;
  const session = (column) => (column === 'anonymous' ? undefined : ctx.as(column));

  const rows = [
    {
      name: 'POST /api/v1/auth/login',
      route: 'POST /api/v1/auth/login',
      // Each account with its own password; "anonymous" sends no credentials.
      send: (column) => ctx.api.post('/api/v1/auth/login',
        column === 'anonymous' ? {} : { username: DEMO_USERS[column], password: DEMO_PASSWORD }),
      expected: expect(200, { anonymous: 400 }),
    },
    {
      name: 'GET /api/v1/auth/me',
      route: 'GET /api/v1/auth/me',
      send: async (column, auth) => ctx.api.get('/api/v1/auth/me', { auth }),
      expected: expect(200, { anonymous: 401 }),
    },
    {
      name: 'PATCH /api/v1/auth/me',
      route: 'PATCH /api/v1/auth/me',
      send: async (column, auth) => ctx.api.patch('/api/v1/auth/me', { lang: 'vi' }, { auth }),
      expected: expect(200, { anonymous: 401 }),
    },
    {
      name: 'POST /api/v1/auth/password',
      route: 'POST /api/v1/auth/password',
      // The same password again: allowed, and it keeps the session that asks.
      send: async (column, auth) => ctx.api.post('/api/v1/auth/password',
        { current_password: DEMO_PASSWORD, new_password: DEMO_PASSWORD }, { auth }),
      expected: expect(204, { anonymous: 401 }),
    },
    {
      name: 'GET /api/v1/org-units',
      route: 'GET /api/v1/org-units',
      send: async (column, auth) => ctx.api.get('/api/v1/org-units?q=ea', { auth }),
      expected: expect(200, {}),
    },
    {
      name: 'GET /api/v1/org-units/{code}',
      route: 'GET /api/v1/org-units/{code}',
      send: async (column, auth) => ctx.api.get('/api/v1/org-units/24250', { auth }),
      expected: expect(200, {}),
    },
    {
      name: 'POST /api/v1/org-units (under Ea Nuôl 24250)',
      route: 'POST /api/v1/org-units',
      send: async (column, auth) => ctx.api.post('/api/v1/org-units',
        { parent: '24250', level: 'village', name: `Thôn Ma Trận ${column}` }, { auth }),
      expected: expect(403, { admin: 201, province_officer: 201, commune_officer: 201, anonymous: 401 }),
      parent: '24250',
    },
    {
      name: 'POST /api/v1/org-units (under Ea Rốk 24217)',
      route: 'POST /api/v1/org-units',
      send: async (column, auth) => ctx.api.post('/api/v1/org-units',
        { parent: '24217', level: 'point', kind: 'command_point', name: `Điểm Ma Trận ${column}` }, { auth }),
      expected: expect(403, { admin: 201, province_officer: 201, commune_officer_other: 201, anonymous: 401 }),
      parent: '24217',
    },
    {
      name: 'GET /api/v1/users',
      route: 'GET /api/v1/users',
      send: async (column, auth) => ctx.api.get('/api/v1/users', { auth }),
      expected: expect(403, { admin: 200, province_officer: 200, anonymous: 401 }),
    },
    {
      name: 'POST /api/v1/users',
      route: 'POST /api/v1/users',
      send: async (column, auth) => ctx.api.post('/api/v1/users', {
        username: uniqueName('mt'), display_name: 'Tài Khoản Ma Trận', password: 'mat-khau-ma-tran',
        role: 'viewer', org_units: ['24250'],
      }, { auth }),
      expected: ADMIN_ONLY(201),
      counted: true,
    },
    {
      name: 'PATCH /api/v1/users/{id}',
      route: 'PATCH /api/v1/users/{id}',
      send: async (column, auth) => ctx.api.patch(`/api/v1/users/${targetId}`,
        { display_name: `Đổi bởi ${column}` }, { auth }),
      expected: ADMIN_ONLY(200),
    },
    // Reach, against an activity in Ea Nuôl (24250) recorded by its commune officer.
    {
      name: 'POST /api/v1/activities (in Ea Nuôl)',
      route: 'POST /api/v1/activities',
      send: async (column, auth) => ctx.api.post('/api/v1/activities', activity({ title: `Ma trận ${column}` }), { auth }),
      expected: expect(403, { ...RECORD_EA_NUOL(201), anonymous: 401 }),
    },
    {
      name: 'GET /api/v1/activities?org=24250',
      route: 'GET /api/v1/activities',
      send: async (column, auth) => ctx.api.get('/api/v1/activities?org=24250', { auth }),
      expected: VIEW_EA_NUOL(200, 403),
    },
    {
      name: 'GET /api/v1/activities/{id}',
      route: 'GET /api/v1/activities/{id}',
      send: async (column, auth) => ctx.api.get(`/api/v1/activities/${activityId}`, { auth }),
      expected: VIEW_EA_NUOL(200, 404),
    },
    {
      name: 'PATCH /api/v1/activities/{id}',
      route: 'PATCH /api/v1/activities/{id}',
      send: async (column, auth) => ctx.api.patch(`/api/v1/activities/${activityId}`, { notes: `sửa bởi ${column}` }, { auth }),
      expected: RECORD_ACTIVITY(200),
    },
    {
      name: 'DELETE /api/v1/activities/{id} (a fresh activity per account)',
      route: 'DELETE /api/v1/activities/{id}',
      send: async (column, auth) => {
        const fresh = await ctx.api.post('/api/v1/activities', activity({ title: `Xoá ${column}` }), { auth: await ctx.as('commune_officer') });
        return ctx.api.call('DELETE', `/api/v1/activities/${fresh.json.id}`, { auth });
      },
      expected: RECORD_ACTIVITY(204),
    },
    {
      name: 'GET /api/v1/activities/{id}/participants',
      route: 'GET /api/v1/activities/{id}/participants',
      send: async (column, auth) => ctx.api.get(`/api/v1/activities/${activityId}/participants`, { auth }),
      expected: VIEW_EA_NUOL(200, 404),
    },
    {
      name: 'POST /api/v1/activities/{id}/participants',
      route: 'POST /api/v1/activities/{id}/participants',
      send: async (column, auth) => ctx.api.post(`/api/v1/activities/${activityId}/participants`,
        { name: `H Ma Trận ${column.length} Niê`, sex: 'female', birth_year: 1991, ethnicity: 'ede' }, { auth }),
      expected: RECORD_ACTIVITY(201),
    },
    {
      name: 'DELETE /api/v1/activities/{id}/participants/{person_id} (a fresh participant per account)',
      route: 'DELETE /api/v1/activities/{id}/participants/{person_id}',
      send: async (column, auth) => {
        const added = await ctx.api.post(`/api/v1/activities/${activityId}/participants`,
          { name: `Y Xoá ${column}`, sex: 'male', birth_year: 1985, ethnicity: 'ede' }, { auth: await ctx.as('commune_officer') });
        return ctx.api.call('DELETE', `/api/v1/activities/${activityId}/participants/${added.json.person.id}`, { auth });
      },
      expected: RECORD_ACTIVITY(204),
    },
    {
      name: 'PUT /api/v1/activities/{id}/tally',
      route: 'PUT /api/v1/activities/{id}/tally',
      send: async (column, auth) => ctx.api.call('PUT', `/api/v1/activities/${activityId}/tally`,
        { auth, body: { cells: [{ sex: 'female', age_group: '18_29', ethnic_group: 'minority', count: 3 }] } }),
      expected: RECORD_ACTIVITY(200),
    },
    {
      name: 'GET /api/v1/reach/indicators?org=24250',
      route: 'GET /api/v1/reach/indicators',
      send: async (column, auth) => ctx.api.get('/api/v1/reach/indicators?org=24250&from=2025-01-01&to=2025-12-31&by=sex', { auth }),
      expected: VIEW_EA_NUOL(200, 403),
    },
    {
      name: 'GET /api/v1/reach/targets?org=24250',
      route: 'GET /api/v1/reach/targets',
      send: async (column, auth) => ctx.api.get('/api/v1/reach/targets?org=24250&year=2025', { auth }),
      expected: VIEW_EA_NUOL(200, 403),
    },
    {
      name: 'PUT /api/v1/reach/targets (Ea Nuôl)',
      route: 'PUT /api/v1/reach/targets',
      send: async (column, auth) => ctx.api.call('PUT', '/api/v1/reach/targets',
        { auth, body: { org_unit: '24250', year: 2026, indicator: 'participations', value: 100 } }),
      expected: expect(403, { ...RECORD_EA_NUOL(200), anonymous: 401 }),
    },
    {
      name: 'GET /api/v1/reach/ethnicities',
      route: 'GET /api/v1/reach/ethnicities',
      send: async (column, auth) => ctx.api.get('/api/v1/reach/ethnicities', { auth }),
      expected: expect(200, {}),
    },
    {
      name: 'GET /api/v1/reach/export.xlsx?org=24250',
      route: 'GET /api/v1/reach/export.xlsx',
      send: async (column, auth) => ctx.api.get('/api/v1/reach/export.xlsx?org=24250&from=2025-01-01&to=2025-12-31', { auth }),
      expected: VIEW_EA_NUOL(200, 403),
    },
    {
      name: 'GET /api/v1/reach/export.csv?org=24250',
      route: 'GET /api/v1/reach/export.csv',
      send: async (column, auth) => ctx.api.get('/api/v1/reach/export.csv?org=24250&from=2025-01-01&to=2025-12-31', { auth }),
      expected: VIEW_EA_NUOL(200, 403),
    },
    {
      name: 'POST /api/v1/reach/import (dry run)',
      route: 'POST /api/v1/reach/import',
      send: async (column, auth) => ctx.api.post(`/api/v1/reach/import?activity=${activityId}`,
        'Họ và tên,Giới tính,Năm sinh,Dân tộc\nH Thử Êban,Nữ,1988,Ê Đê\n', { auth, contentType: 'text/csv' }),
      expected: RECORD_ACTIVITY(200),
    },
    // Safety: public checks, reports and feedback; the queue and lists for moderators.
    {
      name: 'POST /api/v1/safety/check',
      route: 'POST /api/v1/safety/check',
      send: async (column, auth) => ctx.api.post('/api/v1/safety/check', { text: 'Chúc mừng bạn trúng thưởng, gửi mã OTP để nhận quà' }, { auth }),
      expected: expect(200, {}),
    },
    {
      name: 'POST /api/v1/safety/reports',
      route: 'POST /api/v1/safety/reports',
      send: async (column, auth) => ctx.api.post('/api/v1/safety/reports',
        { text: `Tin nhắn lạ gửi ${column}: nhận quà tại bit.ly/qua-tang`, consent: true, verdict: 'caution' }, { auth }),
      expected: expect(201, {}),
    },
    {
      name: 'POST /api/v1/safety/feedback',
      route: 'POST /api/v1/safety/feedback',
      send: async (column, auth) => ctx.api.post('/api/v1/safety/feedback', { verdict: 'caution', correct: false }, { auth }),
      expected: expect(204, {}),
    },
    {
      name: 'GET /api/v1/safety/reports',
      route: 'GET /api/v1/safety/reports',
      send: async (column, auth) => ctx.api.get('/api/v1/safety/reports', { auth }),
      expected: MODERATORS(200),
    },
    {
      name: 'POST /api/v1/safety/reports/{id}/confirm (a fresh report per account)',
      route: 'POST /api/v1/safety/reports/{id}/confirm',
      send: async (column, auth) => {
        const r = await ctx.api.post('/api/v1/safety/reports', { text: `Báo cáo cho ${column}`, consent: true, verdict: 'caution' });
        return ctx.api.post(`/api/v1/safety/reports/${r.json.id}/confirm`, { label: 'safe' }, { auth });
      },
      expected: MODERATORS(200),
    },
    {
      name: 'GET /api/v1/safety/lists',
      route: 'GET /api/v1/safety/lists',
      send: async (column, auth) => ctx.api.get('/api/v1/safety/lists', { auth }),
      expected: MODERATORS(200),
    },
    {
      name: 'POST /api/v1/safety/lists',
      route: 'POST /api/v1/safety/lists',
      send: async (column, auth) => ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: `ma-tran-${column.replace(/_/g, '-')}.example` }, { auth }),
      expected: MODERATORS(201),
    },
    {
      name: 'DELETE /api/v1/safety/lists/{id} (a fresh entry per account)',
      route: 'DELETE /api/v1/safety/lists/{id}',
      send: async (column, auth) => {
        const e = await ctx.api.post('/api/v1/safety/lists', { kind: 'domain', value: `xoa-${column.replace(/_/g, '-')}.example` }, { auth: await ctx.as('admin') });
        return ctx.api.call('DELETE', `/api/v1/safety/lists/${e.json.id}`, { auth });
      },
      expected: MODERATORS(204),
    },
    {
      name: 'GET /api/v1/safety/rules',
      route: 'GET /api/v1/safety/rules',
      send: async (column, auth) => ctx.api.get('/api/v1/safety/rules', { auth }),
      expected: MODERATORS(200),
    },
    {
      name: 'PATCH /api/v1/safety/rules/{id} (switched on, as it already is)',
      route: 'PATCH /api/v1/safety/rules/{id}',
      send: async (column, auth) => ctx.api.patch('/api/v1/safety/rules/scam.blocklisted_phone', { enabled: true }, { auth }),
      expected: MODERATORS(200),
    },
    {
      name: 'GET /api/v1/safety/model',
      route: 'GET /api/v1/safety/model',
      send: async (column, auth) => ctx.api.get('/api/v1/safety/model', { auth }),
      expected: MODERATORS(200),
    },
    {
      // This server runs without --model: moderators get past the permission check to a 409.
      name: 'POST /api/v1/safety/model/retrain (no model file)',
      route: 'POST /api/v1/safety/model/retrain',
      send: async (column, auth) => ctx.api.post('/api/v1/safety/model/retrain', {}, { auth }),
      expected: MODERATORS(409),
    },
    {
      name: 'GET /api/v1/openapi.json',
      route: 'GET /api/v1/openapi.json',
      send: async (column, auth) => ctx.api.get('/api/v1/openapi.json', { auth }),
      expected: expect(200, {}),
    },
    {
      // Last: it ends each account's session.
      name: 'POST /api/v1/auth/logout',
      route: 'POST /api/v1/auth/logout',
      send: async (column, auth) => ctx.api.post('/api/v1/auth/logout', undefined, { auth }),
      expected: expect(204, { anonymous: 401 }),
    },
  ];

  test('setup: every demo account logs in', async () => {
    for (const c of COLUMNS) if (c !== 'anonymous') await ctx.as(c);
    const admin = await ctx.as('admin');
    const list = await ctx.api.get('/api/v1/users?q=canbo', { auth: admin });
    targetId = list.json.items.find((u) => u.username === 'canbo.daklieng').id;
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: await ctx.as('commune_officer') });
    assert.equal(a.status, 201, a.text);
    activityId = a.json.id;
  });

  for (const row of rows) {
    test(row.name, async () => {
      const admin = await ctx.as('admin');
      const usersBefore = row.counted ? await ctx.api.userCount(admin) : 0;
      const childrenBefore = row.parent
        ? (await ctx.api.get(`/api/v1/org-units/${row.parent}`)).json.children_count : 0;
      const actual = {};
      for (const column of COLUMNS) {
        const r = await row.send(column, await session(column));
        actual[column] = r.status;
        if (PROBLEM_FOR[r.status] && r.status === row.expected[column]) {
          assertProblem(r, r.status, PROBLEM_FOR[r.status]);
        }
      }
      assert.deepEqual(actual, row.expected);
      // Refused writes changed nothing: only the allowed columns added records.
      const allowed = COLUMNS.filter((c) => row.expected[c] === 201).length;
      if (row.counted) assert.equal(await ctx.api.userCount(admin), usersBefore + allowed);
      if (row.parent) {
        const after = (await ctx.api.get(`/api/v1/org-units/${row.parent}`)).json.children_count;
        assert.equal(after, childrenBefore + allowed);
      }
    });
  }

  // Every route the server registers has a row here, or (case routes) in another matrix file
  // of this folder (`route: 'METHOD /path'` there too).
  test('the matrix has a row for every route the server registers', async () => {
    const covered = new Set(rows.map((r) => r.route));
    const dir = join(REPO, 'tests/api');
    for (const f of (await readdir(dir)).filter((f) => /matrix.*\.test\.mjs$/.test(f) && f !== 'role_matrix.test.mjs')) {
      for (const m of (await readFile(join(dir, f), 'utf8')).matchAll(/route:\s*'([A-Z]+ \/api\/v1\/[^']+)'/g)) covered.add(m[1]);
    }
    const missing = (await routesInSource()).filter((r) => !covered.has(r));
    assert.deepEqual(missing, []);
  });

  test('after logout no account\'s token works', async () => {
    for (const c of COLUMNS) {
      if (c === 'anonymous') continue;
      assertProblem(await ctx.api.get('/api/v1/auth/me', { auth: await ctx.as(c) }), 401, 'unauthorized');
    }
  });
});
