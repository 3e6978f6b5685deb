// "Quy tắc" tab of /kiem-duyet on a phone: a media member finds a rule that flags a message,
// switches it off, checks the message again on /kiem-tra and no longer sees that rule's
// reason; then switches it back on. Then she reports a message, confirms it as a scam and
// retrains the learned model from the same tab. Screenshots in tests/e2e/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, guarded, login, openBrowser, shot, startServer } from './browser.mjs';

const WIDTH = 360;
// Invented: a prize, a fee and an account number.
const MESSAGE = 'Chúc mừng quý khách trúng thưởng 50 triệu! Chuyển phí 500k vào stk 1234567890 Vietcombank để nhận quà.';

describe(`moderation rules at ${WIDTH}px`, () => {
  let srv;
  let b;
  before(async () => {
    // A model file in the server's own folder: retraining writes it there.
    srv = await startServer({ extraArgs: ['--model', 'khien.model'] });
    b = await openBrowser(WIDTH);
  });
  after(async () => {
    await b?.close();
    await srv?.stop();
  });

  // Checks MESSAGE on the public page; returns the server's answer once the page shows it.
  async function checkMessage(page) {
    await page.goto(srv.url + '/kiem-tra');
    await page.getByLabel('Dán tin nhắn vào đây').fill(MESSAGE);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/safety/check'));
    await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    const res = await answer;
    assert.equal(res.status(), 200);
    const body = await res.json();
    await page.locator(`.verdict-${body.verdict}`).waitFor();
    return body;
  }

  test('switch off a rule, the checked message no longer shows it, switch it on again', guarded(() => b, 'rules', WIDTH, async () => {
    const { page } = b;
    await login(page, srv.url, 'truyenthong.yanglah', DEMO_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'));

    const before = await checkMessage(page);
    const reason = before.reasons.find((r) => r.weight > 0 && !r.rule.includes('blocklist'));
    assert.ok(reason, `a rule flags the message: ${before.reasons.map((r) => r.rule)}`);
    await page.locator('.reasons li', { hasText: reason.explanation.vi }).first().waitFor();

    await page.goto(srv.url + '/kiem-duyet');
    await page.getByRole('button', { name: 'Quy tắc', exact: true }).click();
    await page.getByLabel('Tìm quy tắc').fill(reason.rule);
    const row = page.locator(`li.rule[data-rule="${reason.rule}"]`);
    await row.waitFor();
    assert.equal(await page.locator('li.rule').count(), 1, 'the search narrows the list to the rule');
    await row.locator('.rule-why', { hasText: reason.explanation.vi }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    const saved = page.waitForResponse((r) => r.url().includes('/api/v1/safety/rules/') && r.request().method() === 'PATCH');
    await row.getByRole('checkbox').uncheck();
    assert.equal((await saved).status(), 200);
    await row.getByText('Đã tắt').waitFor();
    await shot(page, 'moderation-rules-off', WIDTH);

    const during = await checkMessage(page);
    assert.ok(!during.reasons.some((r) => r.rule === reason.rule), 'the rule no longer fires');
    assert.equal(await page.locator('.reasons li', { hasText: reason.explanation.vi }).count(), 0);
    await shot(page, 'moderation-rules-check-after', WIDTH);

    await page.goto(srv.url + '/kiem-duyet');
    await page.getByRole('button', { name: 'Quy tắc', exact: true }).click();
    await page.getByLabel('Tìm quy tắc').fill(reason.rule);
    const again = page.waitForResponse((r) => r.url().includes('/api/v1/safety/rules/') && r.request().method() === 'PATCH');
    await row.getByRole('checkbox').check();
    assert.equal((await again).status(), 200);
    await row.getByText('Đang bật').waitFor();
    const restored = await checkMessage(page);
    assert.ok(restored.reasons.some((r) => r.rule === reason.rule), 'the rule fires again');
  }));

  test('a rule that forces a warning says so in the list, and only while it has a weight', guarded(() => b, 'rules-floor', WIDTH, async () => {
    const { page } = b;  // still signed in as the media member of the first test
    await page.goto(srv.url + '/kiem-duyet');
    await page.getByRole('button', { name: 'Quy tắc', exact: true }).click();
    await page.getByLabel('Tìm quy tắc').fill('scam.otp_request');
    const row = page.locator('li.rule[data-rule="scam.otp_request"]');
    await row.locator('.rule-at-least', { hasText: 'ít nhất bị đánh giá “Cần thận trọng”' }).waitFor();
    await shot(page, 'moderation-rules-floor', WIDTH);
    await page.getByLabel('Tìm quy tắc').fill('scam.urgency');
    const plain = page.locator('li.rule[data-rule="scam.urgency"]');
    await plain.waitFor();
    assert.equal(await plain.locator('.rule-at-least').count(), 0);
    assert.deepEqual(b.errors, []);
  }));

  test('report a message, confirm it as a scam, retrain the model from the rules tab', guarded(() => b, 'model', WIDTH, async () => {
    const { page } = b;
    await checkMessage(page);
    await page.getByLabel('Tôi đồng ý lưu tin nhắn này để tổ truyền thông xem xét').check();
    await page.getByRole('button', { name: 'Báo cáo tin nhắn này' }).click();
    await page.getByRole('status').filter({ hasText: 'Cảm ơn bạn' }).first().waitFor();

    await page.goto(srv.url + '/kiem-duyet');
    const report = page.locator('article.report', { hasText: MESSAGE });
    const confirmed = page.waitForResponse((r) => r.url().includes('/confirm'));
    await report.getByRole('button', { name: 'Đúng là lừa đảo' }).click();
    assert.equal((await confirmed).status(), 200);

    await page.getByRole('button', { name: 'Quy tắc', exact: true }).click();
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Mô hình học máy' }) });
    await card.getByText('Đang dùng mô hình có sẵn của Khiên.').waitFor();
    await card.getByText('Báo cáo đã xác nhận: 1 lừa đảo, 0 an toàn.').waitFor();
    const retrained = page.waitForResponse((r) => r.url().endsWith('/api/v1/safety/model/retrain'));
    await card.getByRole('button', { name: 'Huấn luyện lại từ báo cáo đã xác nhận' }).click();
    const res = await retrained;
    assert.equal(res.status(), 200);
    const body = await res.json();
    assert.equal(body.reports_used, 1);
    await card.getByText(`Đã huấn luyện lại từ ${body.examples} tin nhắn, trong đó 1 báo cáo đã xác nhận.`, { exact: false }).waitFor();
    await card.getByText('Đang dùng mô hình huấn luyện lúc', { exact: false }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await shot(page, 'moderation-model-retrained', WIDTH);
  }));
});
