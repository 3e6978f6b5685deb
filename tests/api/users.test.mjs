// Account administration: who may list, create and change accounts, and what a change does.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertProblem, forEachDatabase, uniqueName } from '../lib/api.mjs';
import { khienCli } from '../lib/api_server.mjs';

const NEW_PASSWORD = 'mat-khau-thu-2026';

function newUser(overrides = {}) {
  return {
    username: uniqueName('nv'),
    display_name: 'Nguyễn Thị Thử',
    password: NEW_PASSWORD,
    role: 'case_worker',
    org_units: ['24250'],
    ...overrides,
  };
}

forEachDatabase('users', (ctx) => {
  test('admin lists every demo account with its role and org units', async () => {
    const admin = await ctx.as('admin');
    const r = await ctx.api.get('/api/v1/users', { auth: admin });
    assert.equal(r.status, 200, r.text);
    const byName = new Map(r.json.items.map((u) => [u.username, u]));
    for (const [username, role] of [['admin', 'admin'], ['tinh.daklak', 'province_officer'],
      ['xa.eanuol', 'commune_officer'], ['xa.earok', 'commune_officer'], ['canbo.daklieng', 'case_worker'],
      ['tincay.yanglah', 'trusted_address'], ['truyenthong.yanglah', 'media_member'], ['xem.daklak', 'viewer']]) {
      assert.equal(byName.get(username)?.role, role, username);
    }
    assert.deepEqual(byName.get('xa.earok').org_units.map((o) => o.code), ['24217']);
    assert.ok(!r.text.includes('argon2'), 'no password hashes in the list');
    const q = await ctx.api.get('/api/v1/users?q=eanuol', { auth: admin });
    assert.equal(q.status, 200);
    assert.ok(q.json.items.some((u) => u.username === 'xa.eanuol'));
    assert.ok(!q.json.items.some((u) => u.username === 'xa.earok'), 'q filters');
  });

  test('admin creates an account; the new user can log in', async () => {
    const admin = await ctx.as('admin');
    const count = await ctx.api.userCount(admin);
    const input = newUser({ display_name: 'Y Thử Niê' });
    const r = await ctx.api.post('/api/v1/users', input, { auth: admin });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.username, input.username);
    assert.equal(r.json.display_name, 'Y Thử Niê');
    assert.equal(r.json.role, 'case_worker');
    assert.deepEqual(r.json.org_units.map((o) => o.code), ['24250']);
    assert.equal(r.json.disabled, false);
    assert.ok(r.json.id);
    assert.ok(!('password' in r.json) && !r.text.includes(NEW_PASSWORD));
    assert.equal(await ctx.api.userCount(admin), count + 1);

    const s = await ctx.api.login(input.username, NEW_PASSWORD);
    assert.equal(s.user.id, r.json.id);
    assert.equal(s.user.role, 'case_worker');
  });

  test('admin changes a role and disables an account; her token stops working', async () => {
    const admin = await ctx.as('admin');
    const input = newUser();
    const created = await ctx.api.post('/api/v1/users', input, { auth: admin });
    assert.equal(created.status, 201, created.text);
    const her = await ctx.api.login(input.username, NEW_PASSWORD);

    const role = await ctx.api.patch(`/api/v1/users/${created.json.id}`, { role: 'viewer', display_name: 'Đã Đổi' }, { auth: admin });
    assert.equal(role.status, 200, role.text);
    assert.equal(role.json.role, 'viewer');
    assert.equal(role.json.display_name, 'Đã Đổi');
    const me = await ctx.api.get('/api/v1/auth/me', { auth: her });
    assert.equal(me.json.user.role, 'viewer', 'the new role applies to her live session');

    const moved = await ctx.api.patch(`/api/v1/users/${created.json.id}`, { org_units: ['24217', '24595'] }, { auth: admin });
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual(moved.json.org_units.map((o) => o.code).sort(), ['24217', '24595']);

    const off = await ctx.api.patch(`/api/v1/users/${created.json.id}`, { disabled: true }, { auth: admin });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.disabled, true);
    assertProblem(await ctx.api.get('/api/v1/auth/me', { auth: her }), 401, 'unauthorized');
    assertProblem(await ctx.api.loginResponse(input.username, NEW_PASSWORD), 401, 'unauthorized');

    const on = await ctx.api.patch(`/api/v1/users/${created.json.id}`, { disabled: false }, { auth: admin });
    assert.equal(on.json.disabled, false);
    assert.equal((await ctx.api.login(input.username, NEW_PASSWORD)).user.role, 'viewer');

    // An admin cannot lock herself out.
    assertProblem(await ctx.api.patch(`/api/v1/users/${admin.user.id}`, { disabled: true }, { auth: admin }),
      400, 'invalid_input');
    assert.equal((await ctx.api.get('/api/v1/auth/me', { auth: admin })).status, 200);
  });

  test('an admin password reset ends the user\'s sessions', async () => {
    const admin = await ctx.as('admin');
    const input = newUser();
    const created = await ctx.api.post('/api/v1/users', input, { auth: admin });
    const her = await ctx.api.login(input.username, NEW_PASSWORD);
    const reset = await ctx.api.patch(`/api/v1/users/${created.json.id}`, { password: 'mat-khau-dat-lai-1' }, { auth: admin });
    assert.equal(reset.status, 200, reset.text);
    assertProblem(await ctx.api.get('/api/v1/auth/me', { auth: her }), 401, 'unauthorized');
    assert.ok((await ctx.api.login(input.username, 'mat-khau-dat-lai-1')).token);
  });

  test('a commune officer may not list accounts (403); a province officer reads but cannot write', async () => {
    const commune = await ctx.as('xa.eanuol');
    const denied = await ctx.api.get('/api/v1/users', { auth: commune });
    const p = assertProblem(denied, 403, 'forbidden');
    assert.ok(!denied.text.includes('tinh.daklak') && !('items' in p), 'nothing leaks in the body');

    // An account in another province is outside her view.
    const admin = await ctx.as('admin');
    const provinces = (await ctx.api.get('/api/v1/org-units')).json.items;
    const elsewhere = provinces.find((u) => u.code !== '66').code;
    const outsider = newUser({ role: 'viewer', org_units: [elsewhere] });
    // The demo admin is bound to Đắk Lắk, so the account comes from the CLI.
    await khienCli(['user', 'add', '--db', ctx.srv.db.url, '--name', outsider.username, '--role', 'viewer',
      '--org', elsewhere, '--password-stdin'], NEW_PASSWORD + '\n');
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ org_units: [elsewhere] }), { auth: admin }),
      403, 'forbidden');

    const province = await ctx.as('tinh.daklak');
    const list = await ctx.api.get('/api/v1/users', { auth: province });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((u) => u.username === 'xa.eanuol'));
    assert.ok(!list.json.items.some((u) => u.username === outsider.username), 'only accounts in her province');
    assert.ok(!(await ctx.api.get('/api/v1/users', { auth: admin })).json.items.some((u) => u.username === outsider.username),
      'the Đắk Lắk admin does not see it either');
    assert.equal((await ctx.api.login(outsider.username, NEW_PASSWORD)).user.role, 'viewer', 'the account exists');

    const count = await ctx.api.userCount(admin);
    assertProblem(await ctx.api.post('/api/v1/users', newUser(), { auth: province }), 403, 'forbidden');
    const target = list.json.items.find((u) => u.username === 'xem.daklak');
    assertProblem(await ctx.api.patch(`/api/v1/users/${target.id}`, { display_name: 'Bị Đổi' }, { auth: province }),
      403, 'forbidden');
    assert.equal(await ctx.api.userCount(admin), count, 'nothing created');
    const after = await ctx.api.get('/api/v1/users?q=xem.daklak', { auth: admin });
    assert.notEqual(after.json.items.find((u) => u.id === target.id)?.display_name, 'Bị Đổi');
  });

  test('bad account input: duplicate 409, bad role and unknown org 400 with the field, unknown id 404', async () => {
    const admin = await ctx.as('admin');
    const count = await ctx.api.userCount(admin);
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ username: 'xa.eanuol' }), { auth: admin }),
      409, 'conflict', { field: 'username' });
    // Usernames are compared after normalisation, so "XA.EANUOL" is the same account.
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ username: 'XA.EANUOL' }), { auth: admin }),
      409, 'conflict');
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ role: 'superuser' }), { auth: admin }),
      400, 'invalid_input', { field: 'role' });
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ org_units: ['99999'] }), { auth: admin }),
      400, 'invalid_input', { field: 'org_units' });
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ org_units: [] }), { auth: admin }),
      400, 'invalid_input', { field: 'org_units' });
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ password: 'ngan' }), { auth: admin }),
      400, 'invalid_input', { field: 'password' });
    assertProblem(await ctx.api.post('/api/v1/users', newUser({ username: 'Tên Có Dấu' }), { auth: admin }),
      400, 'invalid_input', { field: 'username' });
    assert.equal(await ctx.api.userCount(admin), count, 'nothing created');

    const missing = await ctx.api.patch('/api/v1/users/khong-co-tai-khoan-nay', { display_name: 'X' }, { auth: admin });
    assertProblem(missing, 404, 'not_found');
    assertProblem(await ctx.api.patch('/api/v1/users/' + 'a'.repeat(26), { role: 'viewer' }, { auth: admin }),
      404, 'not_found');
    const target = (await ctx.api.get('/api/v1/users?q=xem.daklak', { auth: admin })).json.items[0];
    assertProblem(await ctx.api.patch(`/api/v1/users/${target.id}`, { role: 'root' }, { auth: admin }),
      400, 'invalid_input', { field: 'role' });
    assertProblem(await ctx.api.patch(`/api/v1/users/${target.id}`, { disabled: 'yes' }, { auth: admin }),
      400, 'invalid_input', { field: 'disabled' });
  });
});
