// Reach at scale: the indicator cache answers exactly like GROUP BY (engine=sql) after every kind
// of write; engine=sql is for admins; a second server on the same database sees a new
// participant at once; the bulk import keeps its rules; and the remaining bad inputs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Api, assertProblem, forEachDatabase } from '../lib/api.mjs';
import { backends, createDatabase, startApiServer } from '../lib/api_server.mjs';

const activity = (over = {}) => ({
  org_unit: '24250', type: 'training', title: 'Kỹ năng số cho phụ nữ',
  topics: ['digital_skills', 'online_fraud'], date: '2025-05-10', status: 'held', ...over,
});
const person = (over = {}) => ({ name: 'H Nhi Byă', sex: 'female', birth_year: 2011, ethnicity: 'ede', village: 'Buôn Kô Siêr', ...over });
const breakdowns = ['', 'month', 'commune', 'sex,ethnicity', 'topic,age_group', 'village,point', 'quarter,ethnic_group', 'type,year'];

forEachDatabase('reach at scale', (ctx) => {
  const table = async (who, params) => {
    const r = await ctx.api.get('/api/v1/reach/indicators?' + new URLSearchParams({ from: '2021-01-01', to: '2026-12-31', ...params }), { auth: await ctx.as(who) });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const sameBothWays = async (params) => {
    const fast = await table('admin', params);
    const slow = await table('admin', { ...params, engine: 'sql' });
    assert.deepEqual(fast.rows, slow.rows, JSON.stringify(params));
    assert.deepEqual(fast.total, slow.total, JSON.stringify(params));
    return fast;
  };

  test('the cache and GROUP BY agree after creating, recording, counting, moving and deleting', async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    assert.equal(a.status, 201, a.text);
    for (const p of [person(), person({ name: 'Nguyễn Thị Mai', ethnicity: 'kinh', birth_year: 1985, pre_score: 40, post_score: 80 }), person({ name: 'Y Moan Niê', sex: 'male', birth_year: 1970 })]) {
      const r = await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, p, { auth: officer });
      assert.equal(r.status, 201, r.text);
    }
    const t = await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, {
      auth: officer, body: { cells: [{ sex: 'female', age_group: 'under_16', ethnic_group: 'minority', count: 12 }] },
    });
    assert.equal(t.status, 200, t.text);
    for (const by of breakdowns) await sameBothWays({ org: '66', by });
    const moved = await ctx.api.patch(`/api/v1/activities/${a.json.id}`, { date: '2024-11-20' }, { auth: officer });
    assert.equal(moved.status, 200, moved.text);
    for (const by of breakdowns) await sameBothWays({ org: '24250', by });
    const before = await sameBothWays({ org: '24250' });
    assert.equal((await ctx.api.call('DELETE', `/api/v1/activities/${a.json.id}`, { auth: officer })).status, 204);
    const afterDelete = await sameBothWays({ org: '24250' });
    assert.equal(afterDelete.total.participations, before.total.participations - 15);
    assert.equal(afterDelete.total.sessions, before.total.sessions - 1);
  });

  test('engine=sql is for admins; an unknown engine is refused', async () => {
    const r = await ctx.api.get('/api/v1/reach/indicators?org=66&engine=sql', { auth: await ctx.as('province_officer') });
    assertProblem(r, 403, 'forbidden');
    assertProblem(await ctx.api.get('/api/v1/reach/indicators?org=66&engine=fast', { auth: await ctx.as('admin') }), 400, 'invalid_input', { field: 'engine' });
  });

  test('a commit import matches people already in the register and skips repeats in the sheet', async () => {
    const officer = await ctx.as('commune_officer');
    const first = await ctx.api.post('/api/v1/activities', activity({ date: '2025-07-01' }), { auth: officer });
    const r0 = await ctx.api.post(`/api/v1/activities/${first.json.id}/participants`, person({ name: 'H Rin Mlô', birth_year: 1993, village: 'Buôn Ea Nuôl' }), { auth: officer });
    assert.equal(r0.status, 201, r0.text);
    const a = await ctx.api.post('/api/v1/activities', activity({ date: '2025-07-02' }), { auth: officer });
    const csv = 'Họ và tên,Giới tính,Năm sinh,Dân tộc,Thôn/buôn\n' +
      'h rin mlo,Nữ,1993,Ê Đê,buon ea nuol\n' +   // the person above, typed differently
      'Trần Thị Hoa,Nữ,1980,Kinh,Thôn 3\n' +
      'Trần Thị Hoa,Nữ,1980,Kinh,Thôn 3\n' +      // twice in the sheet: one participation
      '=HYPERLINK("http://x.example";"Bấm"),Nữ,1990,12,Buôn Ea Nuôl\n';
    const before = await table('admin', { org: '24250' });
    const r = await ctx.api.post(`/api/v1/reach/import?activity=${a.json.id}&commit=true`, csv, { auth: officer, contentType: 'text/csv' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.committed, true);
    assert.equal(r.json.written, 3);
    assert.equal(r.json.recognised, 1);
    const list = await ctx.api.get(`/api/v1/activities/${a.json.id}/participants`, { auth: officer });
    assert.equal(list.status, 200, list.text);
    const names = list.json.items.map((x) => x.name ?? x.person?.name).sort();
    assert.ok(names.includes('=HYPERLINK("http://x.example";"Bấm")'), 'a formula-looking name is stored as typed');
    const after = await table('admin', { org: '24250' });
    assert.equal(after.total.participations, before.total.participations + 3);
    assert.equal(after.total.unique_people, before.total.unique_people + 2, 'H Rin Mlô was already counted');
  });

  test('bad input: unknown ethnicity code, held activity moved into the future, unknown tally cells', async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    assertProblem(await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, person({ ethnicity: '99' }), { auth: officer }), 400, 'invalid_input', { field: 'ethnicity' });
    assertProblem(await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, person({ ethnicity: '' }), { auth: officer }), 400, 'invalid_input', { field: 'ethnicity' });
    assertProblem(await ctx.api.patch(`/api/v1/activities/${a.json.id}`, { date: '2099-03-08' }, { auth: officer }), 400, 'invalid_input', { field: 'date' });
    assertProblem(await ctx.api.patch(`/api/v1/activities/${a.json.id}`, { date: '2019-03-08' }, { auth: officer }), 400, 'invalid_input', { field: 'date' });
    assertProblem(await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, { auth: officer, body: { cells: [{ sex: 'female', age_group: 'adult', ethnic_group: 'kinh', count: 3 }] } }), 400, 'invalid_input', { field: 'age_group' });
    assertProblem(await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, { auth: officer, body: { cells: [{ sex: 'female', age_group: '18_29', ethnic_group: 'ede', count: 3 }] } }), 400, 'invalid_input', { field: 'ethnic_group' });
    assertProblem(await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, { auth: officer, body: { cells: [{ sex: 'other', age_group: '18_29', ethnic_group: 'kinh', count: 3 }] } }), 400, 'invalid_input', { field: 'sex' });
    const got = await ctx.api.get(`/api/v1/activities/${a.json.id}`, { auth: officer });
    assert.equal(got.json.date, '2025-05-10', 'nothing changed');
    assert.equal(got.json.participations, 0);
  });

  test('a formula-looking activity title is escaped in the CSV register', async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity({ title: '=HYPERLINK("http://x.example","Bấm")', date: '2025-08-01' }), { auth: officer });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.title, '=HYPERLINK("http://x.example","Bấm")');
    const csv = await fetch(ctx.srv.url + '/api/v1/reach/export.csv?kind=activities&org=24250', { headers: { Authorization: `Bearer ${officer.token}` } });
    const text = await csv.text();
    assert.ok(text.includes(`'=HYPERLINK`), 'the cell starts with an apostrophe');
    assert.ok(!/(^|,)"?=HYPERLINK/m.test(text), 'no cell starts with =');
  });
});

const pg = backends().includes('postgres');
for (const backend of pg ? ['sqlite', 'postgres'] : ['sqlite']) {
  describe(`reach: a second server sees a new participant at once [${backend}]`, () => {
    let db;
    let servers = [];
    before(async () => {
      db = await createDatabase(backend);
      servers = await Promise.all([startApiServer({ db }), startApiServer({ db })]);
    });
    after(async () => {
      for (const s of servers) await s?.stop();
      await db?.drop();
    });

    test('recorded on A, counted by the next query on B', async () => {
      const [a, b] = servers.map((s) => new Api(s.url));
      const officer = await a.login('xa.eanuol');
      const viewer = await b.login('tinh.daklak');
      const q = '/api/v1/reach/indicators?org=24250&from=2025-01-01&to=2025-12-31&by=sex';
      const before = await b.get(q, { auth: viewer });
      assert.equal(before.status, 200, before.text);
      const act = await a.post('/api/v1/activities', activity(), { auth: officer });
      const r = await a.post(`/api/v1/activities/${act.json.id}/participants`, person(), { auth: officer });
      assert.equal(r.status, 201, r.text);
      const after = await b.get(q, { auth: viewer });
      assert.equal(after.json.total.participations, before.json.total.participations + 1);
      assert.equal(after.json.total.children_under_16, before.json.total.children_under_16 + 1);
      assert.equal(after.json.total.sessions, before.json.total.sessions + 1);
    });
  });
}
