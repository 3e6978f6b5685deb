// The org tree: diacritic-insensitive search, browsing with breadcrumbs, and a commune
// officer adding a village under her own commune.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, WIDTHS, login, openBrowser, shot, startServer, guarded } from './browser.mjs';

for (const width of WIDTHS) {
  describe(`org tree at ${width}px`, () => {
    let srv;
    let b;
    before(async () => {
      srv = await startServer();
      b = await openBrowser(width);
      await login(b.page, srv.url, 'admin', DEMO_PASSWORD);
      await b.page.waitForURL(srv.url + '/');
    });
    after(async () => {
      await b?.close();
      await srv?.stop();
    });

    async function search(page, q) {
      const box = page.getByLabel('Tìm đơn vị');
      await box.fill(q);
      return page.getByRole('list', { name: 'Kết quả tìm kiếm' });
    }

    test('"ea nuol" finds Ea Nuôl, a commune of Đắk Lắk', guarded(() => b, 'org-1', width, async () => {
      const { page } = b;
      await page.goto(srv.url + '/don-vi');
      await page.locator('.unit-row', { hasText: 'Đắk Lắk' }).waitFor();
      const results = await search(page, 'ea nuol');
      // Villages such as "Buôn Ea Nuôl" may match too; the commune is the one named exactly so.
      const hit = results.locator('a').filter({ has: page.locator('.unit-name', { hasText: /^Ea Nuôl$/ }) });
      await hit.waitFor();
      const meta = await hit.locator('.unit-meta').innerText();
      assert.match(meta, /Xã\/Phường/);
      assert.match(meta, /thuộc Đắk Lắk/);
      await shot(page, 'org-search-ea-nuol', width);
    }));

    test('"dak lieng" finds Đắk Liêng; browsing shows breadcrumbs and its villages', guarded(() => b, 'org-2', width, async () => {
      const { page } = b;
      await page.goto(srv.url + '/don-vi');
      const results = await search(page, 'dak lieng');
      const hit = results.locator('a').filter({ has: page.locator('.unit-name', { hasText: /^Đắk Liêng$/ }) });
      await hit.click();
      await page.waitForURL(srv.url + '/don-vi/24595');
      await page.getByRole('heading', { level: 1, name: 'Đắk Liêng' }).waitFor();
      const crumbs = await page.getByRole('navigation', { name: 'Vị trí' }).locator('li').allInnerTexts();
      assert.deepEqual(crumbs.map((c) => c.replace('›', '').trim()), ['Tất cả', 'Đắk Lắk', 'Đắk Liêng']);
      await page.locator('.unit-row', { hasText: 'Yang Lah 2' }).waitFor();
      await shot(page, 'org-dak-lieng', width);

      // Up one level through the breadcrumb.
      await page.getByRole('navigation', { name: 'Vị trí' }).getByRole('link', { name: 'Đắk Lắk' }).click();
      await page.getByRole('heading', { level: 1, name: 'Đắk Lắk' }).waitFor();
      await page.locator('.unit-row', { hasText: 'Ea Rốk' }).waitFor();
    }));

    test('a commune officer adds a village to her commune', guarded(() => b, 'org-3', width, async () => {
      const { page } = b;
      await page.context().clearCookies();
      await login(page, srv.url, 'xa.eanuol', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      await page.goto(srv.url + '/don-vi/24250');
      await page.getByRole('heading', { level: 1, name: 'Ea Nuôl' }).waitFor();
      const name = `Buôn Thử Nghiệm ${width}`;
      await page.getByLabel('Thôn/Buôn').check();
      await page.getByLabel('Tên', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Thêm', exact: true }).click();
      await page.getByRole('status').filter({ hasText: name }).waitFor();
      await page.locator('.unit-row', { hasText: name }).waitFor();
      await shot(page, 'org-add-village', width);
      // The server stored it where she put it.
      const r = await page.evaluate(
        (q) => fetch('/api/v1/org-units?q=' + encodeURIComponent(q)).then((x) => x.json()),
        name,
      );
      const added = r.items.find((u) => u.name === name);
      assert.ok(added, JSON.stringify(r));
      assert.equal(added.parent, '24250');
      assert.equal(added.level, 'village');

      // Outside her commune there is no form to add anything.
      await page.goto(srv.url + '/don-vi/24595');
      await page.locator('.unit-row', { hasText: 'Yang Lah 2' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Thêm', exact: true }).count(), 0);
      assert.deepEqual(b.errors, []);
    }));
  });
}
