// Every endpoint × every demo account (and anonymous): the expected status, one row per
// endpoint. Expectations follow src/access/access.cc (ManageUsers: admin; ViewUsers: admin,
// province officer; ManageOrgUnits: admin, province and commune officers, each within her org
// units) and the handlers (the org tree is public; /auth/* needs a session).
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

const PROBLEM_FOR = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden' };

forEachDatabase('role matrix', (ctx) => {
  let targetId;
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

  // Issue 2's own routes must all have rows; routes of later pillars (reach, safety, cases)
  // are listed by a todo test until their rows are written.
  const PLATFORM = /^[A-Z]+ \/api\/v1\/(auth|org-units|users|openapi)/;
  test('the matrix has a row for every platform route the server registers', async () => {
    const covered = new Set(rows.map((r) => r.route));
    const missing = (await routesInSource()).filter((r) => PLATFORM.test(r) && !covered.has(r));
    assert.deepEqual(missing, []);
  });
  test('the matrix has a row for every other route', { todo: 'rows for reach/safety/cases routes not written yet' }, async () => {
    const covered = new Set(rows.map((r) => r.route));
    const missing = (await routesInSource()).filter((r) => !PLATFORM.test(r) && !covered.has(r));
    assert.deepEqual(missing, []);
  });

  test('after logout no account\'s token works', async () => {
    for (const c of COLUMNS) {
      if (c === 'anonymous') continue;
      assertProblem(await ctx.api.get('/api/v1/auth/me', { auth: await ctx.as(c) }), 401, 'unauthorized');
    }
  });
});
