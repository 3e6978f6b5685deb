// Account administration: an admin creates a user who can then sign in; other roles do
// not see account admin at all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, WIDTHS, login, logout, navTexts, openBrowser, shot, startServer, guarded } from './browser.mjs';

for (const width of WIDTHS) {
  describe(`accounts at ${width}px`, () => {
    let srv;
    let b;
    before(async () => {
      srv = await startServer();
      b = await openBrowser(width);
    });
    after(async () => {
      await b?.close();
      await srv?.stop();
    });

    const username = `truyenthong.thu${width}`;
    const password = 'mat-khau-moi-2026';

    test('admin creates a media-team member who can then sign in', guarded(() => b, 'accounts-1', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'admin', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      assert.ok((await navTexts(page)).includes('Tài khoản'));
      await page.goto(srv.url + '/tai-khoan');
      await page.getByRole('heading', { level: 1, name: 'Quản lý tài khoản' }).waitFor();
      await page.locator('.user-row', { hasText: 'xa.eanuol' }).waitFor();

      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Họ và tên').fill('H Mai Niê');
      await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
      await page.getByLabel('Vai trò').selectOption('media_member');
      await page.getByLabel('Đơn vị', { exact: true }).fill('dak lieng');
      await page.locator('.picker-results button', { hasText: 'Đắk Liêng' }).first().click();
      await page.locator('.chip', { hasText: 'Đắk Liêng' }).waitFor();
      await shot(page, 'accounts-create', width);
      await page.locator('form').getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.getByRole('status').filter({ hasText: username }).waitFor();

      // The list can find her.
      await page.getByLabel('Tìm tài khoản').fill('mai nie');
      const row = page.locator('.user-row', { hasText: username });
      await row.waitFor();
      assert.match(await row.innerText(), /Thành viên tổ truyền thông/);
      await shot(page, 'accounts-list', width);

      await logout(page);
      await login(page, srv.url, username, password);
      await page.waitForURL(srv.url + '/');
      await page.getByRole('heading', { level: 1, name: 'Xin chào, H Mai Niê' }).waitFor();
      await page.locator('.badge', { hasText: 'Thành viên tổ truyền thông' }).waitFor();
      await page.locator('.places', { hasText: 'Đắk Liêng' }).waitFor();
      assert.ok(!(await navTexts(page)).includes('Tài khoản'));
      await shot(page, 'home-new-user', width);
      await logout(page);
    }));

    test('admin disables the account and it can no longer sign in', guarded(() => b, 'accounts-2', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'admin', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      await page.goto(srv.url + '/tai-khoan');
      await page.getByLabel('Tìm tài khoản').fill(username);
      const row = page.locator('.user-row', { hasText: username });
      await row.getByRole('button', { name: 'Sửa' }).click();
      await row.getByRole('button', { name: 'Khoá tài khoản' }).click();
      await row.getByRole('status').filter({ hasText: 'Đã khoá tài khoản.' }).waitFor();
      await row.filter({ hasText: 'đang bị khoá' }).waitFor();
      await logout(page);
      await login(page, srv.url, username, password);
      await page.getByRole('alert').waitFor();
      assert.match(page.url(), /\/dang-nhap/);
    }));

    test('a commune officer sees no account admin', guarded(() => b, 'accounts-3', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'xa.eanuol', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      await page.locator('.badge', { hasText: 'Cán bộ Hội xã' }).waitFor();
      const nav = await navTexts(page);
      assert.ok(nav.includes('Đơn vị'), nav.join('|'));
      assert.ok(!nav.includes('Tài khoản'), nav.join('|'));
      const cards = await page.locator('.card-title').allInnerTexts();
      assert.ok(!cards.includes('Quản lý tài khoản'), cards.join('|'));
      await shot(page, 'home-commune-officer', width);

      await page.goto(srv.url + '/tai-khoan');
      await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
      // The server agrees: the users API is closed to her.
      const status = await page.evaluate(() => fetch('/api/v1/users').then((r) => r.status));
      assert.equal(status, 403);
      await shot(page, 'accounts-forbidden', width);
      assert.deepEqual(b.errors, []);
    }));
  });
}
