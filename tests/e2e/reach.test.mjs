// Reach in the browser: a commune officer records an activity with three participants (one
// of them already in the commune's register) on a phone and sees the dashboard move by
// exactly that; a province officer drills down province → commune → village → the activity;
// an XLSX attendance list with a bad row is previewed, then only its valid rows imported.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, VIETNAMESE, WIDTHS, guarded, login, navTexts, openBrowser, shot, startServer } from './browser.mjs';
import { apiLogin } from '../lib/server.mjs';
import { xlsx } from './reach_xlsx.mjs';

const KPIS = ['sessions', 'participations', 'unique_people', 'women', 'minority_women', 'children_under_16', 'children_under_18'];

// Today in Vietnam, as the server and the app compute it.
const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

async function kpis(page, url, query = '') {
  await page.goto(url + '/tiep-can' + query);
  await page.locator('[data-kpi="participations"] .reach-kpi-value').waitFor();
  const out = {};
  for (const k of KPIS) {
    const text = await page.locator(`[data-kpi="${k}"] .reach-kpi-value`).innerText();
    out[k] = Number(text.replace(/\D/g, ''));
  }
  return out;
}

function diff(after, before) {
  return Object.fromEntries(KPIS.map((k) => [k, after[k] - before[k]]));
}

async function apiPost(url, who, path, body) {
  const r = await fetch(url + '/api/v1' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${who.token}` },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

for (const width of WIDTHS) {
  describe(`reach at ${width}px`, () => {
    let srv;
    let b;
    let officer;
    const title = `Tập huấn phòng chống lừa đảo trực tuyến ${width}`;
    let activityId = '';

    before(async () => {
      srv = await startServer();
      b = await openBrowser(width);
      officer = await apiLogin(srv.url, 'xa.eanuol');
      // Someone who came to an earlier session this year: the repeat participant below.
      const year = todayVn().slice(0, 4);
      const earlier = await apiPost(srv.url, officer, '/activities', {
        org_unit: '24250-T01', type: 'communication', title: 'Truyền thông bình đẳng giới',
        topics: ['gender_equality'], date: `${year}-01-02`, status: 'held',
      });
      await apiPost(srv.url, officer, `/activities/${earlier.id}/participants`, {
        name: 'H Hoa Êban', sex: 'female', birth_year: 1985, ethnicity: 'ede', village: 'Buôn Ea Nuôl',
      });
    });
    after(async () => {
      await b?.close();
      await srv?.stop();
    });

    test('a commune officer records an activity with three participants and the dashboard moves by exactly that',
      guarded(() => b, 'reach-1', width, async () => {
        const { page } = b;
        await login(page, srv.url, 'xa.eanuol', DEMO_PASSWORD);
        await page.waitForURL(srv.url + '/');
        const nav = await navTexts(page);
        assert.ok(nav.includes('Hoạt động'), nav.join('|'));
        assert.ok(nav.includes('Tiếp cận'), nav.join('|'));
        await shot(page, 'reach-home', width);

        const before = await kpis(page, srv.url);
        assert.equal(before.sessions, 1);
        await shot(page, 'reach-dashboard-before', width);

        await page.goto(srv.url + '/hoat-dong');
        await page.getByRole('link', { name: 'Ghi hoạt động mới' }).click();
        await page.waitForURL(srv.url + '/hoat-dong/moi');
        await page.getByLabel('Tên hoạt động').fill(title);
        await page.getByLabel('Loại hoạt động').selectOption('training');
        await page.getByRole('button', { name: 'Lừa đảo trực tuyến' }).click();
        await page.getByRole('button', { name: 'Bảo vệ dữ liệu cá nhân' }).click();
        // Her village is offered under her commune.
        await page.getByLabel('Địa bàn').selectOption('24250-T01');
        await page.getByLabel('Giờ bắt đầu').fill('08:30');

        // Held in the future: refused in Vietnamese, nothing saved.
        await page.getByLabel('Ngày', { exact: true }).fill('2099-05-01');
        await page.getByRole('button', { name: 'Lưu hoạt động' }).click();
        const err = page.getByRole('alert');
        await err.waitFor();
        assert.match(await err.innerText(), /tương lai/);
        assert.match(await err.innerText(), VIETNAMESE);
        await shot(page, 'reach-new-activity-error', width);

        await page.getByLabel('Ngày', { exact: true }).fill(todayVn());
        await page.getByLabel('Người phụ trách, báo cáo viên').fill('Chị H Ngăm Niê');
        await page.getByRole('button', { name: 'Lưu hoạt động' }).click();
        await page.waitForURL(/\/hoat-dong\/[0-9A-Z]{20,}$/);
        activityId = page.url().split('/').pop();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();

        const add = async (p) => {
          await page.getByLabel('Họ và tên', { exact: true }).fill(p.name);
          await page.getByLabel(p.sex, { exact: true }).check();
          await page.getByLabel('Năm sinh', { exact: true }).fill(String(p.year));
          await page.getByLabel('Dân tộc', { exact: true }).selectOption(p.ethnicity);
          await page.getByLabel('Thôn/buôn', { exact: true }).fill(p.village);
          await page.getByRole('button', { name: 'Thêm người này' }).click();
        };

        // 1. Typed without accents and a year off: the app offers the registered person.
        await add({ name: 'H Hoa Eban', sex: 'Nữ', year: 1986, ethnicity: 'ede', village: 'Buôn Ea Nuôl' });
        const suggest = page.locator('.reach-suggest');
        await suggest.waitFor();
        assert.match(await suggest.innerText(), /H Hoa Êban/);
        assert.match(await suggest.innerText(), /1985/);
        await shot(page, 'reach-suggestion', width);
        await suggest.getByRole('button', { name: 'Đúng người này' }).click();
        await page.getByRole('status').filter({ hasText: 'Đã nhận ra H Hoa Êban' }).waitFor();

        // 2. A boy under 16 and 3. a Kinh woman, both new.
        await add({ name: 'Y Bhin Niê', sex: 'Nam', year: 2012, ethnicity: 'ede', village: 'Buôn Ea Nuôl' });
        await page.getByRole('status').filter({ hasText: 'Y Bhin Niê' }).waitFor();
        await add({ name: 'Nguyễn Thị Thu', sex: 'Nữ', year: 1996, ethnicity: 'kinh', village: 'Thôn 3' });
        await page.getByRole('status').filter({ hasText: 'Nguyễn Thị Thu' }).waitFor();

        const list = page.getByRole('list', { name: 'Danh sách người tham gia' });
        await list.locator('li').nth(2).waitFor();
        assert.equal(await list.locator('li').count(), 3);
        assert.match(await list.innerText(), /H Hoa Êban[\s\S]*đã tham gia 2 lần/);
        await page.getByRole('heading', { name: 'Người tham gia theo tên (3)' }).waitFor();
        await shot(page, 'reach-activity', width);

        const afterKpis = await kpis(page, srv.url);
        assert.deepEqual(diff(afterKpis, before), {
          sessions: 1,
          participations: 3,
          unique_people: 2, // H Hoa Êban was already counted
          women: 2,
          minority_women: 1,
          children_under_16: 1,
          children_under_18: 1,
        });
        await page.locator('.reach-cols').waitFor();
        await shot(page, 'reach-dashboard-after', width);

        // The server agrees with the tiles.
        const r = await page.evaluate(() => fetch('/api/v1/reach/indicators?from=2021-01-01').then((x) => x.json()));
        assert.equal(r.total.participations, 4);
        assert.deepEqual(b.errors, []);
      }));

    test('a province officer drills down from the province to the commune, the village and the activity',
      guarded(() => b, 'reach-2', width, async () => {
        const { page } = b;
        await page.context().clearCookies();
        await login(page, srv.url, 'tinh.daklak', DEMO_PASSWORD);
        await page.waitForURL(srv.url + '/');
        await kpis(page, srv.url);
        await page.getByRole('heading', { level: 1, name: 'Tiếp cận: Đắk Lắk' }).waitFor();
        const communes = page.getByRole('list', { name: 'Theo xã/phường' });
        await communes.getByRole('link', { name: 'Ea Nuôl' }).waitFor();
        assert.match(await communes.innerText(), /Ea Nuôl\s*4\s/);
        await shot(page, 'reach-province', width);

        await communes.getByRole('link', { name: 'Ea Nuôl' }).click();
        await page.getByRole('heading', { level: 1, name: 'Tiếp cận: Ea Nuôl' }).waitFor();
        assert.equal(await page.locator('[data-kpi="participations"] .reach-kpi-value').innerText(), '4');
        const villages = page.getByRole('list', { name: 'Theo thôn/buôn' });
        await villages.getByRole('link', { name: 'Buôn Ea Nuôl' }).waitFor();
        await shot(page, 'reach-commune', width);

        await villages.getByRole('link', { name: 'Buôn Ea Nuôl' }).click();
        await page.getByRole('heading', { level: 1, name: 'Tiếp cận: Buôn Ea Nuôl' }).waitFor();
        const crumbs = await page.getByRole('navigation', { name: 'Vị trí' }).locator('li').allInnerTexts();
        assert.deepEqual(crumbs.map((c) => c.trim()), ['Đắk Lắk', 'Ea Nuôl', 'Buôn Ea Nuôl']);
        await page.getByRole('link', { name: /Xem 2 buổi đã tổ chức/ }).click();
        await page.waitForURL(/\/hoat-dong\?.*org=24250-T01/);
        const row = page.locator('.reach-row', { hasText: title });
        await row.waitFor();
        assert.equal(await page.locator('.reach-row').count(), 2);
        await shot(page, 'reach-drill-activities', width);
        await row.click();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        assert.match(await page.getByTestId('participations').innerText(), /^3 /);
        assert.deepEqual(b.errors, []);
      }));

    test('an XLSX list with a bad row is previewed, then only the valid rows are imported',
      guarded(() => b, 'reach-3', width, async () => {
        const { page } = b;
        await page.context().clearCookies();
        await login(page, srv.url, 'xa.eanuol', DEMO_PASSWORD);
        await page.waitForURL(srv.url + '/');
        const before = await kpis(page, srv.url);

        const file = xlsx([
          ['Họ và tên', 'Giới tính', 'Năm sinh', 'Dân tộc', 'Thôn/buôn'],
          ['H Mai Mlô', 'Nữ', 1990, 'Ê Đê', 'Buôn Kô Siêr'],
          ['Trần Văn Bình', '', 1980, 'Kinh', 'Thôn 3'],
          ['Y Sơn Byă', 'Nam', 2009, "M'Nông", 'Buôn Kô Siêr'],
        ]);
        await page.goto(srv.url + '/hoat-dong/' + activityId);
        await page.getByRole('link', { name: /Nhập danh sách người tham gia/ }).click();
        await page.waitForURL(/\/nhap-danh-sach\?hoat-dong=/);
        await page.getByLabel('Hoạt động').locator(`option[value="${activityId}"]`).waitFor({ state: 'attached' });
        assert.equal(await page.getByLabel('Hoạt động').inputValue(), activityId);
        await page.getByLabel('Tệp danh sách (.xlsx hoặc .csv)').setInputFiles({
          name: 'danh-sach.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer: file,
        });
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
        const summary = page.getByTestId('import-summary');
        await summary.waitFor();
        assert.equal(await summary.innerText(), '3 dòng: 2 dòng hợp lệ, 1 dòng lỗi.');
        const bad = await page.locator('.reach-errors').innerText();
        assert.match(bad, /Dòng 3/);
        assert.match(bad, /giới tính/i);
        const confirm = page.getByRole('button', { name: 'Xác nhận nhập 2 người' });
        assert.equal(await confirm.isDisabled(), true);
        await shot(page, 'reach-import-preview', width);

        // Nothing was written by the check.
        const mid = await kpis(page, srv.url);
        assert.deepEqual(diff(mid, before), Object.fromEntries(KPIS.map((k) => [k, 0])));
        await page.goBack();
        await page.getByLabel('Tệp danh sách (.xlsx hoặc .csv)').setInputFiles({
          name: 'danh-sach.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer: file,
        });
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
        await page.getByTestId('import-summary').waitFor();
        await page.getByLabel('Chỉ nhập các dòng hợp lệ').check();
        await page.getByRole('button', { name: 'Xác nhận nhập 2 người' }).click();
        await page.getByRole('status').filter({ hasText: 'Đã nhập 2 lượt tham gia' }).waitFor();
        await shot(page, 'reach-import-done', width);

        const afterKpis = await kpis(page, srv.url);
        assert.deepEqual(diff(afterKpis, before), {
          sessions: 0,
          participations: 2,
          unique_people: 2,
          women: 1,
          minority_women: 1,
          children_under_16: 0,
          children_under_18: 1,
        });
        assert.deepEqual(b.errors, []);
      }));

    test('a commune officer sets this year\'s targets and the dashboard shows progress against them',
      guarded(() => b, 'reach-4', width, async () => {
        const { page } = b;
        const now = await kpis(page, srv.url);
        await page.getByRole('link', { name: 'Đặt chỉ tiêu' }).click();
        await page.waitForURL(/\/chi-tieu\?org=24250/);
        await page.getByRole('heading', { level: 1, name: 'Chỉ tiêu năm' }).waitFor();
        assert.equal(await page.getByLabel('Năm', { exact: true }).inputValue(), todayVn().slice(0, 4));
        await page.getByLabel('Số người được tiếp cận').fill('10');
        await page.getByLabel('Phụ nữ dân tộc thiểu số được tiếp cận').fill('4');
        await page.getByLabel('Số buổi tổ chức').fill('5');
        await page.getByRole('button', { name: 'Lưu' }).click();
        await page.getByRole('status').filter({ hasText: 'Đã lưu chỉ tiêu.' }).waitFor();
        await shot(page, 'reach-targets', width);

        await page.getByRole('link', { name: 'Về bảng số liệu tiếp cận' }).click();
        const bars = page.locator('.reach-targets li');
        await bars.nth(2).waitFor();
        const text = (await bars.allInnerTexts()).join('\n');
        const pct = (actual, target) => `${Math.round((actual / target) * 100)}%`;
        assert.match(text, new RegExp(`Số người được tiếp cận[^\\n]*\\n?\\s*${now.unique_people} / 10[\\s\\S]*?${pct(now.unique_people, 10)}`));
        assert.match(text, new RegExp(`Số buổi tổ chức[^\\n]*\\n?\\s*${now.sessions} / 5`));
        assert.match(text, new RegExp(`Phụ nữ dân tộc thiểu số được tiếp cận[^\\n]*\\n?\\s*${now.minority_women} / 4`));
        await page.locator('.reach-targets').scrollIntoViewIfNeeded();
        await shot(page, 'reach-dashboard-targets', width);

        // The Excel export carries the same filters and downloads with her session.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Tải Excel (.xlsx)' }).click(),
        ]);
        const bytes = await readFile(await download.path());
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
        assert.ok(bytes.length > 1000, String(bytes.length));

        // English on the same page.
        await page.getByRole('button', { name: 'EN', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Reach: Ea Nuôl' }).waitFor();
        assert.equal(await page.locator('[data-kpi="unique_people"] .reach-kpi-label').innerText(), 'People reached');
        await shot(page, 'reach-dashboard-en', width);
        await page.getByRole('button', { name: 'VI', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Tiếp cận: Ea Nuôl' }).waitFor();
        assert.deepEqual(b.errors, []);
      }));

    test('a crowd at a performance is counted by sex, age and group; an activity is edited and a planned one deleted',
      guarded(() => b, 'reach-5', width, async () => {
        const { page } = b;
        const before = await kpis(page, srv.url);
        const show = await apiPost(srv.url, officer, '/activities', {
          org_unit: '24250-T02', type: 'performance', title: 'Tiểu phẩm "Nói không với tảo hôn"',
          topics: ['early_forced_marriage'], date: todayVn(), status: 'held',
        });
        await page.goto(srv.url + '/hoat-dong/' + show.id);
        await page.getByRole('heading', { level: 1, name: 'Tiểu phẩm "Nói không với tảo hôn"' }).waitFor();
        await page.getByLabel('Nữ, 18–29, Dân tộc thiểu số').fill('25');
        await page.getByLabel('Nam, 30–59, Kinh').fill('12');
        await page.getByLabel('Nữ, Dưới 16, Dân tộc thiểu số').fill('8');
        await page.getByRole('button', { name: 'Lưu số đếm' }).click();
        await page.getByRole('status').filter({ hasText: 'Đã lưu số đếm: 45 người.' }).waitFor();
        await page.getByTestId('participations').filter({ hasText: /^45 / }).waitFor();

        // A negative count is refused before it reaches the server.
        await page.getByLabel('Nam, 30–59, Kinh').fill('-3');
        await page.getByRole('button', { name: 'Lưu số đếm' }).click();
        await page.getByRole('alert').filter({ hasText: 'không âm' }).waitFor();
        await page.getByLabel('Nam, 30–59, Kinh').fill('12');

        // Group knowledge check.
        await page.getByLabel('Trung bình trước').fill('40');
        await page.getByLabel('Trung bình sau').fill('72.5');
        await page.locator('form', { hasText: 'Kiểm tra kiến thức' }).getByRole('button', { name: 'Lưu' }).click();
        await page.getByText('Mức tăng: 32,5').waitFor();
        await shot(page, 'reach-tally', width);

        const after = await kpis(page, srv.url);
        assert.deepEqual(diff(after, before), {
          sessions: 1, participations: 45, unique_people: 0, women: 33, minority_women: 33,
          children_under_16: 8, children_under_18: 8,
        });

        // Edit: a clearer title.
        await page.goto(srv.url + '/hoat-dong/' + show.id);
        await page.getByRole('button', { name: 'Sửa' }).click();
        await page.getByLabel('Tên hoạt động').fill('Tiểu phẩm phòng chống tảo hôn tại Buôn Kô Siêr');
        await page.getByRole('button', { name: 'Lưu', exact: true }).first().click();
        await page.getByRole('heading', { level: 1, name: 'Tiểu phẩm phòng chống tảo hôn tại Buôn Kô Siêr' }).waitFor();

        // Delete a planned activity (after confirming).
        const planned = await apiPost(srv.url, officer, '/activities', {
          org_unit: '24250', type: 'dialogue', title: 'Đối thoại chính sách tháng sau',
          topics: ['gender_equality'], date: '2099-01-15', status: 'planned',
        });
        await page.goto(srv.url + '/hoat-dong/' + planned.id);
        await page.getByText('Dự kiến', { exact: true }).waitFor();
        // No participants or counts for something that has not happened yet.
        assert.equal(await page.getByRole('button', { name: 'Thêm người này' }).count(), 0);
        page.once('dialog', (d) => d.accept());
        await page.getByRole('button', { name: 'Xoá' }).click();
        await page.waitForURL(srv.url + '/hoat-dong');
        await page.locator('.reach-row').first().waitFor();
        assert.equal(await page.locator('.reach-row', { hasText: 'Đối thoại chính sách' }).count(), 0);
        const gone = await page.evaluate((id) => fetch('/api/v1/activities/' + id).then((r) => r.status), planned.id);
        assert.equal(gone, 404);
        assert.deepEqual(b.errors, []);
      }));

    test('a provincial viewer reads the dashboard but cannot record', guarded(() => b, 'reach-6', width, async () => {
      const { page } = b;
      await page.context().clearCookies();
      await login(page, srv.url, 'xem.daklak', DEMO_PASSWORD);
      await page.waitForURL(srv.url + '/');
      const nav = await navTexts(page);
      assert.ok(nav.includes('Tiếp cận'), nav.join('|'));
      assert.ok(!nav.includes('Hoạt động'), nav.join('|'));
      const seen = await kpis(page, srv.url);
      assert.ok(seen.participations > 0);
      assert.equal(await page.getByRole('link', { name: 'Đặt chỉ tiêu' }).count(), 0);
      await page.goto(srv.url + '/hoat-dong/moi');
      await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
      await page.goto(srv.url + '/nhap-danh-sach');
      await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
      // The register is readable, without the buttons to add.
      await page.goto(srv.url + '/hoat-dong');
      await page.locator('.reach-row').first().waitFor();
      assert.equal(await page.getByRole('link', { name: 'Ghi hoạt động mới' }).count(), 0);
      assert.deepEqual(b.errors, []);
    }));
  });
}
