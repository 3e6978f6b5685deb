// Two `khien serve` processes on ONE PostgreSQL database behave as one service: sessions,
// lockout and the login throttle live in the database. Runs only when KHIEN_TEST_PG_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Api, DEMO_PASSWORD, assertProblem, authLimits, uniqueName } from '../lib/api.mjs';
import { backends, createDatabase, startApiServer } from '../lib/api_server.mjs';

const enabled = backends().includes('postgres');

describe('two servers on one PostgreSQL database', { skip: enabled ? false : 'KHIEN_TEST_PG_URL is not set' }, () => {
  let db;
  let srvA;
  let srvB;
  let a;
  let b;

  before(async () => {
    db = await createDatabase('postgres');
    [srvA, srvB] = await Promise.all([startApiServer({ db }), startApiServer({ db })]);
    a = new Api(srvA.url);
    b = new Api(srvB.url);
  });
  after(async () => {
    await srvA?.stop();
    await srvB?.stop();
    await db?.drop();
  });

  test('a token from A works on B; logout on B ends it on A', async () => {
    const s = await a.login('tinh.daklak');
    const me = await b.get('/api/v1/auth/me', { auth: s });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.username, 'tinh.daklak');
    assert.equal(me.json.csrf_token, s.csrf, 'the CSRF token is shared too');
    const cookieWrite = await b.patch('/api/v1/auth/me', { lang: 'en' }, { auth: s, cookie: true });
    assert.equal(cookieWrite.status, 200, cookieWrite.text);
    assert.equal((await a.get('/api/v1/auth/me', { auth: s })).json.user.lang, 'en', 'A sees the change made on B');
    await a.patch('/api/v1/auth/me', { lang: 'vi' }, { auth: s });

    assert.equal((await b.post('/api/v1/auth/logout', undefined, { auth: s })).status, 204);
    assertProblem(await a.get('/api/v1/auth/me', { auth: s }), 401, 'unauthorized');
  });

  test('an account created on A logs in on B; disabling it on B locks it out on A', async () => {
    const admin = await a.login('admin');
    const username = uniqueName('hai');
    const created = await a.post('/api/v1/users', {
      username, display_name: 'Hai Máy Chủ', password: 'mat-khau-hai-may', role: 'viewer', org_units: ['24250'],
    }, { auth: admin });
    assert.equal(created.status, 201, created.text);
    const s = await b.login(username, 'mat-khau-hai-may');
    assert.equal((await a.get('/api/v1/auth/me', { auth: s })).status, 200);
    assert.equal((await b.patch(`/api/v1/users/${created.json.id}`, { disabled: true }, { auth: admin })).status, 200);
    assertProblem(await a.get('/api/v1/auth/me', { auth: s }), 401, 'unauthorized');
  });

  test('failures alternating between A and B add up to the lockout', async () => {
    const user = 'xem.daklak';
    const { perUser } = await authLimits();
    for (let i = 0; i < perUser; i++) {
      const api = i % 2 === 0 ? a : b;
      assertProblem(await api.loginResponse(user, `sai-${i}-mat-khau`), 401, 'unauthorized');
    }
    assertProblem(await a.loginResponse(user, DEMO_PASSWORD), 423, 'account_locked');
    assertProblem(await b.loginResponse(user, DEMO_PASSWORD), 423, 'account_locked');
  });

  test('the per-address throttle counts failures on both servers', async () => {
    const { perUser, perAddress } = await authLimits();
    let throttled = null;
    let failures = perUser; // from the lockout test
    for (let i = 0; i < perAddress + 5 && !throttled; i++) {
      const api = i % 2 === 0 ? a : b;
      const r = await api.loginResponse(uniqueName('ai'), 'sai-mat-khau');
      if (r.status === 401) failures++;
      else throttled = r;
    }
    assert.ok(throttled, `throttled after ${perAddress} failures`);
    assertProblem(throttled, 429, 'too_many_requests');
    // Exactly at the limit counted over both servers; each server alone saw about half of it.
    assert.equal(failures, perAddress);
    // Both servers now refuse sign-in from this address, even with a right password.
    assertProblem(await a.loginResponse('admin', DEMO_PASSWORD), 429, 'too_many_requests');
    assertProblem(await b.loginResponse('admin', DEMO_PASSWORD), 429, 'too_many_requests');
  });
});
