// Own profile: change password (checked on the client first, then by the server), and
// the new password is the one that works afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, WIDTHS, login, logout, openBrowser, shot, startServer, guarded } from './browser.mjs';

for (const width of WIDTHS) {
  describe(`profile at ${width}px`, () => {
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

    test('a province officer changes her password', guarded(() => b, 'profile-1', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'tinh.daklak', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      await page.goto(srv.url + '/ca-nhan');
      await page.getByRole('heading', { level: 1, name: 'Thông tin cá nhân' }).waitFor();
      await page.locator('.facts', { hasText: 'Cán bộ Hội tỉnh' }).waitFor();

      await page.getByLabel('Mật khẩu hiện tại').fill(DEMO_PASSWORD);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill('ngắn');
      await page.getByLabel('Nhập lại mật khẩu mới').fill('ngắn');
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.getByRole('alert').filter({ hasText: 'ít nhất 10 ký tự' }).waitFor();

      // A wrong current password is refused by the server, with its own message.
      const fresh = 'một câu dài dễ nhớ 2026';
      await page.getByLabel('Mật khẩu hiện tại').fill('sai-mat-khau-cu');
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(fresh);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(fresh);
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      assert.ok((await refused).status() >= 400);
      await page.getByRole('alert').waitFor();

      await page.getByLabel('Mật khẩu hiện tại').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã đổi mật khẩu.' }).waitFor();
      await shot(page, 'profile', width);

      await logout(page);
      await login(page, srv.url, 'tinh.daklak', DEMO_PASSWORD);
      await page.getByRole('alert').waitFor();
      await login(page, srv.url, 'tinh.daklak', fresh);
      await page.waitForURL(srv.url + '/');
      await page.locator('.badge', { hasText: 'Cán bộ Hội tỉnh' }).waitFor();
      assert.deepEqual(b.errors, []);
    }));
  });
}
