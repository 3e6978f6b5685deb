// The administrative tree: folded search, browsing, SQL metacharacters, and who may add
// villages and points where.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertProblem, forEachDatabase } from '../lib/api.mjs';

// Lower case, marks removed, đ→d: close enough to the server's Fold for ordering checks.
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
const search = (ctx, params) => ctx.api.get('/api/v1/org-units?' + new URLSearchParams(params));

forEachDatabase('org units', (ctx) => {
  for (const q of ['ea nuol', 'Ea Nuôl', 'EA NUÔL', 'Ea Nuôl'.normalize('NFD'), '  ea   nuol ']) {
    test(`q=${JSON.stringify(q)} finds Ea Nuôl (24250) first`, async () => {
      const r = await search(ctx, { q });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length >= 1, r.text);
      const first = r.json.items[0];
      assert.equal(first.code, '24250');
      assert.equal(first.name, 'Ea Nuôl');
      assert.equal(first.name, first.name.normalize('NFC'));
      assert.equal(first.level, 'commune');
      assert.equal(first.parent, '66');
    });
  }

  test('"tuy hoa" finds Tuy Hoà (22015) and "dak lieng" finds Đắk Liêng (24595)', async () => {
    const tuy = await search(ctx, { q: 'tuy hoa' });
    assert.equal(tuy.status, 200);
    const hit = tuy.json.items.find((u) => u.code === '22015');
    assert.ok(hit, `22015 in ${tuy.json.items.map((u) => u.code)}`);
    assert.match(hit.name, /^Tuy Ho(à|ài)$/u);
    const dak = await search(ctx, { q: 'dak lieng' });
    assert.equal(dak.json.items[0]?.code, '24595', dak.text);
    assert.equal(dak.json.items[0].name, 'Đắk Liêng');
    // Old tone placement and đ typed as d both fold the same way.
    const old = await search(ctx, { q: 'Tuy Hòa' });
    assert.ok(old.json.items.some((u) => u.code === '22015'), 'old-style tone mark finds Tuy Hoà');
  });

  test('provinces: 34 without q or parent; parent=66 lists its 102 communes sorted by name', async () => {
    const prov = await ctx.api.get('/api/v1/org-units');
    assert.equal(prov.status, 200);
    assert.equal(prov.json.items.length, 34);
    assert.ok(prov.json.items.every((u) => u.level === 'province' && u.parent === null));
    const daklak = prov.json.items.find((u) => u.code === '66');
    assert.equal(daklak.name, 'Đắk Lắk');
    assert.equal(daklak.children_count, 102);

    const communes = await search(ctx, { parent: '66', limit: '200' });
    assert.equal(communes.status, 200);
    assert.equal(communes.json.items.length, 102);
    assert.ok(communes.json.items.every((u) => u.level === 'commune' && u.parent === '66'));
    const folded = communes.json.items.map((u) => fold(u.name));
    for (let i = 1; i < folded.length; i++) {
      assert.ok(folded[i - 1] <= folded[i], `sorted by name: ${folded[i - 1]} before ${folded[i]}`);
    }
    assert.ok(communes.json.items.some((u) => u.code === '24250'));

    const limited = await search(ctx, { parent: '66', limit: '10' });
    assert.equal(limited.json.items.length, 10);
    assertProblem(await search(ctx, { parent: '66', limit: '0' }), 400, 'invalid_input', { field: 'limit' });
    assertProblem(await search(ctx, { parent: '66', limit: '201' }), 400, 'invalid_input', { field: 'limit' });
    assertProblem(await search(ctx, { limit: 'ten' }), 400, 'invalid_input', { field: 'limit' });
    assertProblem(await search(ctx, { level: 'district' }), 400, 'invalid_input', { field: 'level' });
  });

  test('GET /org-units/24250 has ancestors [66]; unknown codes are 404', async () => {
    const r = await ctx.api.get('/api/v1/org-units/24250');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.code, '24250');
    assert.equal(r.json.parent, '66');
    assert.equal(r.json.kind, null);
    assert.deepEqual(r.json.ancestors.map((a) => a.code), ['66']);
    assert.equal(r.json.ancestors[0].name, 'Đắk Lắk');
    assert.equal(r.json.ancestors[0].level, 'province');
    for (const k of ['name', 'full_name', 'name_en', 'level', 'children_count']) assert.ok(k in r.json, k);
    assertProblem(await ctx.api.get('/api/v1/org-units/99999999'), 404, 'not_found');
    assertProblem(await ctx.api.get('/api/v1/org-units/' + encodeURIComponent("24250' OR '1'='1")), 404, 'not_found');
  });

  test('SQL metacharacters in q are literal text and leave the table intact', async () => {
    const probes = ["' OR 1=1 --", "'; DROP TABLE org_units; --", '%', '_', '%%', 'ea%nuol', 'ea_nuol', '" OR ""="'];
    for (const q of probes) {
      const r = await search(ctx, { q, limit: '200' });
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      // No administrative name contains these characters, so a literal search finds nothing;
      // a LIKE wildcard or an injected OR would find many.
      assert.deepEqual(r.json.items.map((u) => u.code), [], `q=${q}`);
    }
    // A backslash is either searched literally (nothing) or refused as a bad target.
    const bs = await search(ctx, { q: '\\' });
    if (bs.status === 200) assert.deepEqual(bs.json.items, []);
    else assertProblem(bs, 400, 'malformed_request');
    const bs2 = await search(ctx, { q: 'ea\\_nuol' });
    if (bs2.status === 200) assert.deepEqual(bs2.json.items, []);
    else assertProblem(bs2, 400, 'malformed_request');

    assert.equal((await ctx.api.get('/api/v1/org-units')).json.items.length, 34);
    assert.equal((await search(ctx, { parent: '66', limit: '200' })).json.items.length, 102);
    assert.equal((await ctx.api.get('/api/v1/org-units/24250')).status, 200);
  });

  test('a commune officer adds a village under her commune (201), not under another (403)', async () => {
    const officer = await ctx.as('xa.eanuol');
    const name = 'Buôn Thử Nghiệm ' + ctx.backend;
    const created = await ctx.api.post('/api/v1/org-units', { parent: '24250', level: 'village', name }, { auth: officer });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.name, name);
    assert.equal(created.json.level, 'village');
    assert.equal(created.json.parent, '24250');
    assert.equal(created.json.kind, null);
    assert.deepEqual(created.json.ancestors.map((a) => a.code), ['66', '24250']);
    const got = await ctx.api.get('/api/v1/org-units/' + encodeURIComponent(created.json.code));
    assert.equal(got.status, 200);
    assert.equal(got.json.name, name);
    const found = await search(ctx, { q: 'buon thu nghiem ' + ctx.backend });
    assert.ok(found.json.items.some((u) => u.code === created.json.code), 'the new village is searchable');

    // A point needs a kind; with one, it is created under the village.
    assertProblem(await ctx.api.post('/api/v1/org-units', { parent: created.json.code, level: 'point', name: 'Điểm A' },
      { auth: officer }), 400, 'invalid_input', { field: 'kind' });
    const point = await ctx.api.post('/api/v1/org-units',
      { parent: created.json.code, level: 'point', name: 'Điểm tin cậy A', kind: 'trusted_address' }, { auth: officer });
    assert.equal(point.status, 201, point.text);
    assert.equal(point.json.kind, 'trusted_address');
    assert.deepEqual(point.json.ancestors.map((a) => a.code), ['66', '24250', created.json.code]);

    const before = await search(ctx, { parent: '24217', limit: '200' });
    const unitBefore = await ctx.api.get('/api/v1/org-units/24217');
    const other = await ctx.api.post('/api/v1/org-units',
      { parent: '24217', level: 'village', name: 'Buôn Không Được Phép' }, { auth: officer });
    const p = assertProblem(other, 403, 'forbidden');
    assert.ok(!other.text.includes('Ea Rốk'), 'the refusal leaks nothing about the other commune');
    assert.equal(p.field, undefined);
    const afterList = await search(ctx, { parent: '24217', limit: '200' });
    assert.deepEqual(afterList.json.items.map((u) => u.code), before.json.items.map((u) => u.code));
    assert.equal((await ctx.api.get('/api/v1/org-units/24217')).json.children_count, unitBefore.json.children_count);
    assert.deepEqual((await search(ctx, { q: 'Buôn Không Được Phép' })).json.items, []);

    // A province or another province's commune is out of her reach as well.
    assertProblem(await ctx.api.post('/api/v1/org-units', { parent: '22015', level: 'village', name: 'Thôn X' },
      { auth: officer }), 403, 'forbidden');
  });

  test('anonymous create is 401, a viewer 403; bad shapes are 400 with the field', async () => {
    const body = { parent: '24250', level: 'village', name: 'Thôn Ẩn Danh' };
    assertProblem(await ctx.api.post('/api/v1/org-units', body), 401, 'unauthorized');
    const viewer = await ctx.as('xem.daklak');
    assertProblem(await ctx.api.post('/api/v1/org-units', body, { auth: viewer }), 403, 'forbidden');
    assert.deepEqual((await search(ctx, { q: 'Thôn Ẩn Danh' })).json.items, [], 'nothing created');

    const admin = await ctx.as('admin');
    assertProblem(await ctx.api.post('/api/v1/org-units', { ...body, level: 'commune' }, { auth: admin }),
      400, 'invalid_input', { field: 'level' });
    assertProblem(await ctx.api.post('/api/v1/org-units', { ...body, name: '   ' }, { auth: admin }),
      400, 'invalid_input', { field: 'name' });
    assertProblem(await ctx.api.post('/api/v1/org-units', { ...body, parent: '66' }, { auth: admin }),
      400, 'invalid_input', { field: 'parent' });
    assertProblem(await ctx.api.post('/api/v1/org-units', { ...body, parent: '424242' }, { auth: admin }),
      404, 'not_found');
    assert.deepEqual((await search(ctx, { q: 'Thôn Ẩn Danh' })).json.items, [], 'nothing created');
  });
});
