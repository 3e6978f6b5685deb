// Cases follow-up API, black box on SQLite and PostgreSQL (issue 5, round 2): tasks and the
// home-page task list, notes, the danger assessment and the risk filter, the safety plan,
// closure with supervisor approval (a closed case is read-only), the XLSX statistics export,
// `khien cases purge` (crypto-shredding), and bad input on the new endpoints.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';

import { assertProblem, forEachDatabase } from '../lib/api.mjs';
import { binaryPath } from '../lib/server.mjs';

const run = promisify(execFile);
const keyDir = mkdtempSync(join(tmpdir(), 'khien-cases-followup-key-'));
process.env.KHIEN_KEY_FILE = join(keyDir, 'master.key');
writeFileSync(process.env.KHIEN_KEY_FILE, randomBytes(32), { mode: 0o600 });

// Invented identity and free text; searched for in the stored bytes and in denied bodies.
const SURVIVOR = { name: 'Y Thử Theo Dõi', phone: '0933444555', sex: 'female', birth_year: 2008 };
const NOTE = 'Chị Thử Theo Dõi sợ quay về nhà chồng';
const OWN = '24595';
const SUPERVISOR = 'xa.daklieng';   // commune officer of 24595

// A Vietnam date (UTC+7) `days` from today, as YYYY-MM-DD.
function vietnamDate(days) {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

forEachDatabase('cases follow-up', (ctx) => {
  let caseId;
  let lateTask;
  const put = (path, body, auth) => ctx.api.call('PUT', path, { auth, body });

  test('tasks: overdue in Vietnam time, the home-page list, done', async () => {
    const worker = await ctx.as('case_worker');
    const r = await ctx.api.post('/api/v1/cases', { org_unit: OWN, survivor: SURVIVOR }, { auth: worker });
    assert.equal(r.status, 201, r.text);
    caseId = r.json.id;
    assert.deepEqual(r.json.tasks, []);
    assert.deepEqual(r.json.notes, []);
    assert.equal(r.json.risk, null);
    assert.equal(r.json.safety_plan, null);

    const late = await ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'Gọi lại cho chị Thử', due: vietnamDate(-1) }, { auth: worker });
    assert.equal(late.status, 201, late.text);
    lateTask = late.json;
    assert.equal(lateTask.done, false);
    assert.equal(lateTask.overdue, true);
    assert.equal(lateTask.case_id, caseId);
    assert.equal(lateTask.created_by, 'canbo.daklieng');
    const soon = await ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'Thăm nhà', due: vietnamDate(1) }, { auth: worker });
    assert.equal(soon.json.overdue, false);

    const overdue = await ctx.api.get('/api/v1/tasks?scope=mine&overdue=true', { auth: worker });
    assert.equal(overdue.status, 200, overdue.text);
    assert.deepEqual(overdue.json.items.map((t) => t.id), [lateTask.id]);
    assert.equal(overdue.json.items[0].survivor_code, r.json.survivor_code);
    assert.ok(!overdue.text.includes(SURVIVOR.name));
    const notOverdue = await ctx.api.get('/api/v1/tasks?scope=mine&overdue=false', { auth: worker });
    assert.deepEqual(notOverdue.json.items.map((t) => t.id), [soon.json.id]);
    // Other roles own no case: an empty list, not someone else's tasks.
    for (const role of ['commune_officer', 'trusted_address', 'province_officer']) {
      const other = await ctx.api.get('/api/v1/tasks?scope=mine', { auth: await ctx.as(role) });
      assert.equal(other.status, 200, other.text);
      assert.deepEqual(other.json.items, [], role);
    }
    assertProblem(await ctx.api.get('/api/v1/tasks?scope=all', { auth: worker }), 400, 'invalid_input', { field: 'scope' });
    assertProblem(await ctx.api.get('/api/v1/tasks?overdue=maybe', { auth: worker }), 400, 'invalid_input', { field: 'overdue' });
    assertProblem(await ctx.api.get('/api/v1/tasks'), 401, 'unauthorized');

    assertProblem(await ctx.api.post(`/api/v1/tasks/${lateTask.id}/done`, undefined, { auth: await ctx.as(SUPERVISOR) }), 404, 'not_found');
    const done = await ctx.api.post(`/api/v1/tasks/${lateTask.id}/done`, undefined, { auth: worker });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.done, true);
    assert.equal(done.json.overdue, false);
    const view = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: worker });
    assert.equal(view.json.tasks.length, 2);

    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'x', due: '2025-02-30' }, { auth: worker }), 400, 'invalid_input', { field: 'due' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'x' }, { auth: worker }), 400, 'invalid_input', { field: 'due' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'x', due: vietnamDate(2), owner: 'y' }, { auth: worker }), 400, 'invalid_input');
    assertProblem(await ctx.api.post('/api/v1/tasks/01ZZZZZZZZZZZZZZZZZZZZZZZZ/done', undefined, { auth: worker }), 404, 'not_found');
  });

  test('notes: newest first, encrypted, the case team only', async () => {
    const worker = await ctx.as('case_worker');
    const first = await ctx.api.post(`/api/v1/cases/${caseId}/notes`, { text: NOTE }, { auth: worker });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.author, 'canbo.daklieng');
    assert.equal(first.json.text, NOTE);
    const second = await ctx.api.post(`/api/v1/cases/${caseId}/notes`, { text: 'Đã liên hệ nhà tạm lánh' }, { auth: worker });
    const view = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: worker });
    assert.deepEqual(view.json.notes.map((n) => n.id), [second.json.id, first.json.id]);
    const supervisor = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: await ctx.as(SUPERVISOR) });
    assert.equal(supervisor.status, 200, supervisor.text);
    assert.deepEqual(supervisor.json.notes, []);
    assert.ok(!supervisor.text.includes(NOTE));
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/notes`, { text: '' }, { auth: worker }), 400, 'invalid_input', { field: 'text' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/notes`, { text: 'x'.repeat(4001) }, { auth: worker }), 400, 'invalid_input', { field: 'text' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/notes`, '{"text": ', { auth: worker }), 400, 'malformed_request');
    // Incident dates: not in the future (Vietnam time), not before the birth year.
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: vietnamDate(3), core_type: 'rape' }, { auth: worker }), 400, 'invalid_input', { field: 'occurred_on' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2007-12-31', core_type: 'rape' }, { auth: worker }), 400, 'invalid_input', { field: 'occurred_on' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2024-02-30', core_type: 'rape' }, { auth: worker }), 400, 'invalid_input', { field: 'occurred_on' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, [1, 2], { auth: worker }), 400, 'malformed_request');
  });

  test('risk: vocabulary, critical item → high, list filter, unknown item', async () => {
    const vocab = await ctx.api.get('/api/v1/cases/vocabulary');
    assert.ok(vocab.json.risk_items.length >= 10);
    assert.ok(vocab.json.risk_items.some((i) => i.id === 'strangulation' && i.critical === true));
    for (const i of vocab.json.risk_items) assert.ok(i.vi && i.en, i.id);
    assert.deepEqual(vocab.json.closure_reasons.map((r) => r.id),
      ['needs_met', 'survivor_request', 'moved_away', 'transferred', 'unreachable', 'other']);

    const worker = await ctx.as('case_worker');
    const r = await put(`/api/v1/cases/${caseId}/risk`, { answers: { weapon: true, pregnant: false } }, worker);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.level, 'high');
    assert.equal(r.json.score, 3);
    assert.deepEqual(r.json.answers, { pregnant: false, weapon: true });
    assert.equal(r.json.assessed_by, 'canbo.daklieng');
    const list = await ctx.api.get('/api/v1/cases?risk=high', { auth: worker });
    assert.equal(list.status, 200, list.text);
    const item = list.json.items.find((c) => c.id === caseId);
    assert.equal(item.risk_level, 'high');
    assert.equal(item.high_risk, true);
    assert.ok(!(await ctx.api.get('/api/v1/cases?risk=low', { auth: worker })).json.items.some((c) => c.id === caseId));
    assertProblem(await ctx.api.get('/api/v1/cases?risk=extreme', { auth: worker }), 400, 'invalid_input', { field: 'risk' });
    assertProblem(await put(`/api/v1/cases/${caseId}/risk`, { answers: { horoscope: true } }, worker), 400, 'invalid_input', { field: 'answers' });
    assertProblem(await put(`/api/v1/cases/${caseId}/risk`, { answers: { weapon: 'yes' } }, worker), 400, 'invalid_input', { field: 'answers' });
    assertProblem(await put(`/api/v1/cases/${caseId}/risk`, {}, worker), 400, 'invalid_input', { field: 'answers' });
    const supervisor = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: await ctx.as(SUPERVISOR) });
    assert.equal(supervisor.json.risk.level, 'high', 'the supervisor sees the risk level');
  });

  test('safety plan: replaced whole, limited, encrypted', async () => {
    const worker = await ctx.as('case_worker');
    const plan = { safe_places: 'Nhà chị gái ở buôn bên', trusted_contacts: 'Chị gái', warning_signs: 'Say rượu',
                   emergency_steps: 'Gọi 113 rồi 111', documents: 'Căn cước, sổ hộ khẩu' };
    const r = await put(`/api/v1/cases/${caseId}/safety-plan`, plan, worker);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.updated_at > 0);
    const view = await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: worker });
    assert.equal(view.json.safety_plan.safe_places, plan.safe_places);
    assert.equal(view.json.safety_plan.updated_by, 'canbo.daklieng');
    assertProblem(await put(`/api/v1/cases/${caseId}/safety-plan`, { documents: 'x'.repeat(2001) }, worker), 400, 'invalid_input', { field: 'documents' });
    assertProblem(await put(`/api/v1/cases/${caseId}/safety-plan`, { documents: 7 }, worker), 400, 'invalid_input', { field: 'documents' });
    assertProblem(await put(`/api/v1/cases/${caseId}/safety-plan`, plan, await ctx.as(SUPERVISOR)), 404, 'not_found');
  });

  test('closure: the case team asks, only the supervisor decides; a closed case is read-only', async () => {
    const worker = await ctx.as('case_worker');
    const supervisor = await ctx.as(SUPERVISOR);
    // Something for the statistics to count after the purge.
    assert.equal((await ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2024-03-03', core_type: 'physical_assault' }, { auth: worker })).status, 201);
    assert.equal((await ctx.api.post(`/api/v1/cases/${caseId}/consents`, { purpose: 'statistics', granted: true }, { auth: worker })).status, 200);

    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/closure`, { reason: 'bored' }, { auth: worker }), 400, 'invalid_input', { field: 'reason' });
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/closure/approve`, {}, { auth: supervisor }), 409, 'conflict');
    let r = await ctx.api.post(`/api/v1/cases/${caseId}/closure`, { reason: 'survivor_request', note: 'Chị muốn tự lo' }, { auth: worker });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closure_requested');
    assert.equal(r.json.closure.reason, 'survivor_request');
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/closure`, { reason: 'needs_met' }, { auth: worker }), 409, 'conflict');
    const pending = await ctx.api.get('/api/v1/cases?status=closure_requested', { auth: supervisor });
    assert.ok(pending.json.items.some((c) => c.id === caseId && c.status === 'closure_requested'));
    assertProblem(await ctx.api.post(`/api/v1/cases/${caseId}/closure/approve`, {}, { auth: worker }), 403, 'forbidden');
    for (const role of ['commune_officer', 'province_officer', 'admin', 'trusted_address']) {
      const denied = await ctx.api.post(`/api/v1/cases/${caseId}/closure/approve`, {}, { auth: await ctx.as(role) });
      assertProblem(denied, 404, 'not_found');
      assert.ok(!denied.text.includes(SURVIVOR.name));
    }
    r = await ctx.api.post(`/api/v1/cases/${caseId}/closure/reject`, { note: 'Cần thêm một lần thăm' }, { auth: supervisor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'open');
    assert.equal(r.json.closure, null);

    await ctx.api.post(`/api/v1/cases/${caseId}/closure`, { reason: 'needs_met' }, { auth: worker });
    r = await ctx.api.post(`/api/v1/cases/${caseId}/closure/approve`, undefined, { auth: supervisor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.equal(r.json.closure_reason, 'needs_met');
    assert.ok(r.json.closed_at > 0);

    const writes = [
      () => ctx.api.post(`/api/v1/cases/${caseId}/notes`, { text: 'sau khi đóng' }, { auth: worker }),
      () => ctx.api.post(`/api/v1/cases/${caseId}/tasks`, { title: 'sau khi đóng', due: vietnamDate(3) }, { auth: worker }),
      () => put(`/api/v1/cases/${caseId}/risk`, { answers: { weapon: false } }, worker),
      () => put(`/api/v1/cases/${caseId}/safety-plan`, {}, worker),
      () => ctx.api.patch(`/api/v1/cases/${caseId}`, { high_risk: false }, { auth: worker }),
      () => ctx.api.post(`/api/v1/cases/${caseId}/incidents`, { occurred_on: '2024-04-04', core_type: 'rape' }, { auth: worker }),
      () => ctx.api.post(`/api/v1/cases/${caseId}/consents`, { purpose: 'services', granted: true }, { auth: worker }),
      () => ctx.api.post(`/api/v1/cases/${caseId}/closure`, { reason: 'other' }, { auth: worker }),
      () => ctx.api.post(`/api/v1/tasks/${lateTask.id}/done`, undefined, { auth: worker }),
    ];
    for (const send of writes) assertProblem(await send(), 409, 'conflict', { field: 'case_closed' });
    assert.equal((await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: worker })).status, 200);
    const log = await ctx.api.get(`/api/v1/cases/${caseId}/access-log`, { auth: worker });
    const actions = log.json.items.map((e) => e.action);
    for (const a of ['case.task_added', 'case.task_done', 'case.note_added', 'case.risk_assessed', 'case.safety_plan_updated',
      'case.closure_requested', 'case.closure_rejected', 'case.closure_approved']) assert.ok(actions.includes(a), a);
    assert.ok(!log.text.includes(NOTE));
  });

  test('statistics export: XLSX with the same "<5" cells, own permission, audited', async () => {
    const province = await ctx.as('province_officer');
    const res = await fetch(`${ctx.api.url}/api/v1/cases/stats.xlsx?org=${OWN}&by=core_type`, {
      headers: { Authorization: `Bearer ${province.token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    const file = join(keyDir, `stats-${ctx.backend}.xlsx`);
    writeFileSync(file, bytes);
    const { stdout } = await run('unzip', ['-p', file, 'xl/sharedStrings.xml']);
    assert.ok(stdout.includes('Số vụ việc'), 'Vietnamese header');
    assert.ok(stdout.includes('&lt;5'), 'suppressed cell');
    const json = await ctx.api.get(`/api/v1/cases/stats?org=${OWN}&by=core_type`, { auth: province });
    assert.equal(json.json.total, '<5');
    for (const role of ['case_worker', 'trusted_address', 'viewer', 'admin', 'media_member']) {
      assertProblem(await ctx.api.get(`/api/v1/cases/stats.xlsx?org=${OWN}`, { auth: await ctx.as(role) }), 403, 'forbidden');
    }
    assertProblem(await ctx.api.get(`/api/v1/cases/stats.xlsx?org=${OWN}`, { auth: await ctx.as('commune_officer') }), 404, 'not_found');
    assertProblem(await ctx.api.get(`/api/v1/cases/stats.xlsx?org=${OWN}&by=name`, { auth: province }), 400, 'invalid_input', { field: 'by' });
    assertProblem(await ctx.api.get('/api/v1/cases/stats.xlsx'), 401, 'unauthorized');
  });

  test('khien cases purge: a purged case no longer opens and still counts', async () => {
    const province = await ctx.as('province_officer');
    const before = await ctx.api.get('/api/v1/cases/stats?org=66&by=core_type', { auth: province });
    const args = ['cases', 'purge', '--db', ctx.srv.db.url, '--key-file', process.env.KHIEN_KEY_FILE, '--closed-for-days', '0'];
    const dry = await run(binaryPath(), [...args, '--dry-run']);
    assert.match(dry.stdout, /Dry run \(nothing destroyed\): 1 cases/);
    assert.equal((await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: await ctx.as('case_worker') })).status, 200);
    const real = await run(binaryPath(), args);
    assert.match(real.stdout, /Purged 1 cases/);
    assertProblem(await ctx.api.get(`/api/v1/cases/${caseId}`, { auth: await ctx.as('case_worker') }), 404, 'not_found');
    assert.ok(!(await ctx.api.get('/api/v1/cases', { auth: await ctx.as('case_worker') })).json.items.some((c) => c.id === caseId));
    const after = await ctx.api.get('/api/v1/cases/stats?org=66&by=core_type', { auth: province });
    assert.deepEqual(after.json.cells, before.json.cells);
    assert.equal(after.json.total, before.json.total);
    await assert.rejects(run(binaryPath(), ['cases', 'purge', '--db', ctx.srv.db.url, '--closed-for-days', '0']), 'the key file is required');
  });

  test('tampered ids on the new endpoints look like an unknown case', async () => {
    const worker = await ctx.as('case_worker');
    for (const id of [`${caseId}x`, '..%2F..%2Fetc', 'khong-co-id', "1'OR'1'='1"]) {
      const enc = id.includes('%') ? id : encodeURIComponent(id);
      for (const r of [
        await ctx.api.post(`/api/v1/cases/${enc}/tasks`, { title: 'x', due: vietnamDate(1) }, { auth: worker }),
        await ctx.api.post(`/api/v1/cases/${enc}/notes`, { text: 'x' }, { auth: worker }),
        await put(`/api/v1/cases/${enc}/risk`, { answers: {} }, worker),
        await put(`/api/v1/cases/${enc}/safety-plan`, {}, worker),
        await ctx.api.post(`/api/v1/cases/${enc}/closure`, { reason: 'other' }, { auth: worker }),
        await ctx.api.post(`/api/v1/tasks/${enc}/done`, undefined, { auth: worker }),
      ]) {
        assert.ok(r.status === 404 || r.status === 400, `${id}: ${r.status} ${r.text}`);
        assert.ok(!r.text.includes(SURVIVOR.name));
      }
    }
  });

  test('guessed report codes: the address is throttled after 20 misses', async () => {
    let last;
    for (let i = 0; i < 21; i++) {
      const code = randomBytes(10).toString('hex').toUpperCase().slice(0, 16);
      last = await ctx.api.get(`/api/v1/reports/${code}`, { headers: { 'X-Report-Pin': '123456' } });
    }
    assertProblem(last, 429, 'too_many_requests');
  });
});
