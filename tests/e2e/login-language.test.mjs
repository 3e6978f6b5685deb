// Sign-in in Vietnamese, and the language switch: remembered per user and across reloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, VIETNAMESE, WIDTHS, login, openBrowser, shot, startServer, guarded } from './browser.mjs';

for (const width of WIDTHS) {
  describe(`sign-in and language at ${width}px`, () => {
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

    test('wrong password shows the server message in Vietnamese', guarded(() => b, 'login-language-1', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'admin', 'not-the-password');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.innerText()).trim();
      assert.ok(text.length > 5, `error text: ${text}`);
      assert.match(text, VIETNAMESE);
      assert.match(page.url(), /\/dang-nhap/);
      assert.equal(await page.locator('#login-password').inputValue(), '');
      await shot(page, 'login-error', width);
    }));

    test('admin signs in and sees a Vietnamese home page', guarded(() => b, 'login-language-2', width, async () => {
      const { page } = b;
      await login(page, srv.url, 'admin', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      const h1 = page.getByRole('heading', { level: 1 });
      await h1.filter({ hasText: /^Xin chào, / }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      await page.locator('.badge', { hasText: 'Quản trị viên' }).waitFor();
      await page.locator('.places', { hasText: 'Đắk Lắk' }).waitFor();
      const cards = await page.locator('.card-title').allInnerTexts();
      // What an administrator may do (src/access/access.cc): accounts and places, reach, message
      // checks, case statistics (no case contents), and the public report form like everyone.
      assert.deepEqual(cards, ['Đơn vị hành chính', 'Quản lý tài khoản', 'Hoạt động truyền thông', 'Số liệu tiếp cận',
        'Kiểm tra tin nhắn', 'Thống kê vụ việc', 'Báo cáo bạo lực / xâm hại', 'Thông tin cá nhân']);
      await shot(page, 'home-admin-vi', width);
    }));

    test('switching to English is remembered on reload and on the account, then back', guarded(() => b, 'login-language-3', width, async () => {
      const { page } = b;
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
      await page.locator('.badge', { hasText: 'Administrator' }).waitFor();
      const cookies = await b.context.cookies(srv.url);
      assert.equal(cookies.find((c) => c.name === 'khien_lang')?.value, 'en');
      // The PATCH has reached the server: /auth/me says en.
      const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
      assert.equal(me.user.lang, 'en');

      await page.reload();
      await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.getByRole('button', { name: 'EN', exact: true }).getAttribute('aria-pressed'), 'true');
      await shot(page, 'home-admin-en', width);

      await page.getByRole('button', { name: 'VI', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Xin chào, / }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /^Xin chào, / }).waitFor();
      const me2 = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
      assert.equal(me2.user.lang, 'vi');
    }));

    test('the account language wins over the cookie at the next sign-in', guarded(() => b, 'login-language-4', width, async () => {
      const { page } = b;
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
      await b.context.clearCookies();
      await page.goto(srv.url + '/dang-nhap');
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      await login(page, srv.url, 'admin', DEMO_PASSWORD);
      await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
      await page.getByRole('button', { name: 'VI', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Xin chào, / }).waitFor();
      assert.deepEqual(b.errors, []);
    }));

    test('signed out, the switch only sets the cookie, and the server answers in English', guarded(() => b, 'login-language-5', width, async () => {
      const { page } = b;
      await b.context.clearCookies();
      await page.goto(srv.url + '/dang-nhap');
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      const patches = [];
      page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      const cookies = await b.context.cookies(srv.url);
      assert.equal(cookies.find((c) => c.name === 'khien_lang')?.value, 'en');
      assert.deepEqual(patches, []);

      await page.locator('#login-username').fill('admin');
      await page.locator('#login-password').fill('still-not-the-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.innerText()).trim();
      assert.ok(text.length > 5 && !VIETNAMESE.test(text), `expected English, got: ${text}`);
      await shot(page, 'login-error-en', width);

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'VI', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      assert.deepEqual(b.errors, []);
    }));
  });
}
