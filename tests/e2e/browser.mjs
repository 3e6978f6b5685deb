// Shared set-up for the browser tests: Debian chromium through playwright-core, a fresh
// profile per browser, Vietnamese locale, and screenshots in tests/e2e/screenshots/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export { DEMO_PASSWORD, startServer } from '../lib/server.mjs';

// KHIEN_E2E_WIDTHS=360 runs one width only (handy while debugging).
export const WIDTHS = (process.env.KHIEN_E2E_WIDTHS ?? '360,1280').split(',').map(Number);
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export async function openBrowser(width) {
  const profile = await mkdtemp(join(tmpdir(), 'khien-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KHIEN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width, height: width < 600 ? 780 : 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // Generous: the machine is shared with C++ builds.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // CSP violations and script errors show up here; 4xx fetches the app expects do not count.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  if (process.env.KHIEN_TEST_LOG) {
    page.on('response', (r) => {
      if (r.url().includes('/api/')) console.error(`[${width}] ${r.status()} ${r.request().method()} ${r.url()}`);
    });
  }
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function shot(page, name, width) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
}

// On narrow screens the navigation sits behind the menu button.
export async function openNav(page) {
  const menu = page.locator('.menu-btn');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') {
    await menu.click();
  }
  return page.locator('#main-nav');
}

export async function navTexts(page) {
  const nav = await openNav(page);
  return (await nav.locator('a, button').allInnerTexts()).map((s) => s.trim());
}

export async function login(page, url, username, password) {
  await page.goto(url + '/dang-nhap');
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
}

export async function logout(page) {
  const nav = await openNav(page);
  await nav.getByRole('button', { name: /Đăng xuất|Sign out/ }).click();
  await page.waitForURL(/\/dang-nhap/);
}

// Letters only Vietnamese uses: a cheap proof that a message is Vietnamese, not English.
export const VIETNAMESE = /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i;

// Wraps a test body: on failure, saves screenshots/FAILED-<name>-<width>.png and adds the
// page's address and visible text to the error, which is what one needs to see why.
export function guarded(getBrowser, name, width, body) {
  return async (t) => {
    try {
      await body(t);
    } catch (e) {
      const b = getBrowser();
      if (b?.page) {
        try {
          await shot(b.page, 'FAILED-' + name, width);
          const text = (await b.page.locator('body').innerText({ timeout: 2000 })).slice(0, 1500);
          e.message += `\n--- page ${b.page.url()} ---\n${text}\n--- console errors ---\n${b.errors.join('\n')}`;
        } catch {
          // The page itself is gone; the original error is all there is.
        }
      }
      throw e;
    }
  };
}
