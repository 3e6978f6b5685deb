// Reach: activities, named and counted participants, live indicators, scope, bad input, and
// the XLSX export read back and compared with the JSON.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { assertProblem, forEachDatabase } from '../lib/api.mjs';

const activity = (over = {}) => ({
  org_unit: '24250', type: 'training', title: 'Phòng chống lừa đảo trực tuyến',
  topics: ['online_fraud'], date: '2025-03-08', status: 'held', ...over,
});
const woman = (over = {}) => ({ name: 'H Lan Niê', sex: 'female', birth_year: 1990, ethnicity: 'ede', village: 'Buôn Ea Nuôl', ...over });

// Cells of the first worksheet of an XLSX file, via unzip (shared strings + sheet1).
function xlsxCells(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'reach-xlsx-'));
  try {
    writeFileSync(join(dir, 'f.xlsx'), buf);
    const read = (p) => { try { return execFileSync('unzip', ['-p', join(dir, 'f.xlsx'), p]).toString('utf8'); } catch { return ''; } };
    const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    const shared = [...read('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
      .map((m) => unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
    const rows = [];
    for (const row of read('xl/worksheets/sheet1.xml').matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
      const cells = [];
      for (const c of row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const col = c[1].charCodeAt(0) - 65;
        const v = (c[3] ?? '').match(/<v>([\s\S]*?)<\/v>/)?.[1] ?? '';
        cells[col] = /t="s"/.test(c[2]) ? shared[Number(v)] : v;
      }
      rows.push(cells);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

forEachDatabase('reach', (ctx) => {
  const indicators = async (who, params) => {
    const r = await ctx.api.get('/api/v1/reach/indicators?' + new URLSearchParams({ from: '2025-01-01', to: '2025-12-31', ...params }), { auth: await ctx.as(who) });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  test('named and counted participants change exactly the right cells; a repeat person is 2 participations, 1 person', async () => {
    const officer = await ctx.as('commune_officer');
    const before = await indicators('province_officer', { org: '66', by: 'sex,ethnic_group' });
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    assert.equal(a.status, 201, a.text);
    const b = await ctx.api.post('/api/v1/activities', activity({ date: '2025-04-02', topics: ['gender_equality'] }), { auth: officer });
    assert.equal(b.status, 201, b.text);
    let r = await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, woman(), { auth: officer });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.recognised, false);
    r = await ctx.api.post(`/api/v1/activities/${b.json.id}/participants`, woman({ name: 'h lan nie', village: 'buon ea nuol' }), { auth: officer });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.recognised, true);
    assert.equal(r.json.person.participations, 2);
    r = await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, {
      auth: officer,
      body: { cells: [{ sex: 'female', age_group: '18_29', ethnic_group: 'minority', count: 5 }, { sex: 'male', age_group: '30_59', ethnic_group: 'kinh', count: 7 }] },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 12);

    const after = await indicators('province_officer', { org: '66', by: 'sex,ethnic_group' });
    const cell = (t, sex, g) => t.rows.find((x) => x.keys.sex === sex && x.keys.ethnic_group === g) ?? { participations: 0, unique_people: 0, minority_women: 0 };
    const d = (sex, g, k) => cell(after, sex, g)[k] - cell(before, sex, g)[k];
    assert.equal(d('female', 'minority', 'participations'), 7);
    assert.equal(d('female', 'minority', 'unique_people'), 1);
    assert.equal(d('female', 'minority', 'minority_women'), 7);
    assert.equal(d('male', 'kinh', 'participations'), 7);
    assert.equal(d('female', 'kinh', 'participations'), 0);
    assert.equal(d('male', 'minority', 'participations'), 0);
    assert.equal(after.total.participations - before.total.participations, 14);
    assert.equal(after.total.unique_people - before.total.unique_people, 1);
    assert.equal(after.total.sessions - before.total.sessions, 2);
  });

  test("another commune's officer gets 404 for the activity and 403 for the commune's figures", async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    assert.equal(a.status, 201, a.text);
    const other = await ctx.as('commune_officer_other');
    assertProblem(await ctx.api.get(`/api/v1/activities/${a.json.id}`, { auth: other }), 404, 'not_found');
    assertProblem(await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, woman(), { auth: other }), 404, 'not_found');
    assertProblem(await ctx.api.patch(`/api/v1/activities/${a.json.id}`, { title: 'x' }, { auth: other }), 404, 'not_found');
    assertProblem(await ctx.api.call('DELETE', `/api/v1/activities/${a.json.id}`, { auth: other }), 404, 'not_found');
    assertProblem(await ctx.api.post('/api/v1/activities', activity(), { auth: other }), 403, 'forbidden');
    assertProblem(await ctx.api.get('/api/v1/reach/indicators?org=24250', { auth: other }), 403, 'forbidden');
    const list = await ctx.api.get('/api/v1/activities', { auth: other });
    assert.equal(list.status, 200);
    assert.ok(!list.json.items.some((x) => x.id === a.json.id));
    assertProblem(await ctx.api.get('/api/v1/reach/indicators'), 401, 'unauthorized');
  });

  test('bad input: held in the future, before 2021, negative counts, unknown ethnicity, missing sex', async () => {
    const officer = await ctx.as('commune_officer');
    assertProblem(await ctx.api.post('/api/v1/activities', activity({ date: '2099-01-01' }), { auth: officer }), 400, 'invalid_input', { field: 'date' });
    const planned = await ctx.api.post('/api/v1/activities', activity({ date: '2099-01-01', status: 'planned' }), { auth: officer });
    assert.equal(planned.status, 201, planned.text);
    assertProblem(await ctx.api.post('/api/v1/activities', activity({ date: '2020-12-31' }), { auth: officer }), 400, 'invalid_input', { field: 'date' });
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    assertProblem(await ctx.api.call('PUT', `/api/v1/activities/${a.json.id}/tally`, { auth: officer, body: { cells: [{ sex: 'female', age_group: '18_29', ethnic_group: 'kinh', count: -3 }] } }), 400, 'invalid_input', { field: 'count' });
    assertProblem(await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, woman({ ethnicity: 'klingon' }), { auth: officer }), 400, 'invalid_input', { field: 'ethnicity' });
    const noSex = woman();
    delete noSex.sex;
    assertProblem(await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, noSex, { auth: officer }), 400, 'invalid_input', { field: 'sex' });
    const got = await ctx.api.get(`/api/v1/activities/${a.json.id}`, { auth: officer });
    assert.equal(got.json.participations, 0);
  });

  test('import: dry run writes nothing, bad rows block a commit, valid_only writes the good rows', async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity(), { auth: officer });
    const csv = 'Họ và tên,Giới tính,Năm sinh,Dân tộc\nH Nga Êban,Nữ,1988,Ê Đê\nKhông Giới,,1990,Kinh\n';
    const path = (q) => `/api/v1/reach/import?activity=${a.json.id}${q}`;
    let r = await ctx.api.post(path(''), csv, { auth: officer, contentType: 'text/csv' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.valid, 1);
    assert.equal(r.json.errors.length, 1);
    assert.equal(r.json.errors[0].line, 3);
    assert.match(r.json.errors[0].message, /giới tính/i);
    r = await ctx.api.post(path('&commit=true'), csv, { auth: officer, contentType: 'text/csv' });
    assert.equal(r.json.committed, false);
    assert.equal((await ctx.api.get(`/api/v1/activities/${a.json.id}`, { auth: officer })).json.participations, 0);
    r = await ctx.api.post(path('&commit=true&valid_only=true'), csv, { auth: officer, contentType: 'text/csv' });
    assert.equal(r.json.committed, true);
    assert.equal(r.json.written, 1);
    assert.equal((await ctx.api.get(`/api/v1/activities/${a.json.id}`, { auth: officer })).json.participations, 1);
  });

  test('XLSX export holds the same numbers as the JSON; formula-looking names stay text', async () => {
    const officer = await ctx.as('commune_officer');
    const a = await ctx.api.post('/api/v1/activities', activity({ date: '2025-06-01' }), { auth: officer });
    await ctx.api.post(`/api/v1/activities/${a.json.id}/participants`, woman({ name: '=HYPERLINK("http://x.example","Bấm")' }), { auth: officer });
    const q = { org: '24250', by: 'sex' };
    const json = await indicators('commune_officer', q);
    const r = await fetch(ctx.srv.url + '/api/v1/reach/export.xlsx?' + new URLSearchParams({ from: '2025-01-01', to: '2025-12-31', ...q }), { headers: { Authorization: `Bearer ${officer.token}` } });
    assert.equal(r.status, 200);
    const rows = xlsxCells(Buffer.from(await r.arrayBuffer()));
    assert.equal(rows[0][0], 'Giới tính');
    assert.equal(rows[0][2], 'Lượt tham gia');
    const label = { female: 'Nữ', male: 'Nam' };
    for (const row of json.rows) {
      const line = rows.find((x) => x[0] === label[row.keys.sex]);
      assert.ok(line, row.keys.sex);
      assert.equal(Number(line[1]), row.sessions);
      assert.equal(Number(line[2]), row.participations);
      assert.equal(Number(line[5]), row.unique_people);
    }
    const total = rows.find((x) => x[0] === 'Tổng cộng');
    assert.equal(Number(total[2]), json.total.participations);
    const csv = await fetch(ctx.srv.url + '/api/v1/reach/export.csv?kind=activities&org=24250', { headers: { Authorization: `Bearer ${officer.token}` } });
    assert.equal(csv.status, 200);
    assert.match(await csv.text(), /Tên hoạt động/);
  });
});
