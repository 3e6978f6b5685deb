// Moderators' rule controls (issue 4): GET /api/v1/safety/rules lists every rule with its
// weight, default weight, on/off state and Vietnamese explanation; PATCH switches a rule off or
// changes its weight, the running checker uses it at once, the change is audited, and a second
// server process on the same database picks it up within seconds (a version counter in the
// database, read at most every 2 s). Only media members and admins may read or change rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Api, DEMO_USERS, assertProblem, forEachDatabase, sql } from '../lib/api.mjs';
import { startApiServer } from '../lib/api_server.mjs';

// Invented message: a prize, a fee to transfer, an account number.
const SCAM = 'Chúc mừng quý khách trúng thưởng 50 triệu! Gọi ngay 0912 345 678 để nhận, chuyển phí 500k vào stk 1234567890 Vietcombank.';
const MODERATORS = ['admin', 'media_member'];
const OTHERS = Object.keys(DEMO_USERS).filter((r) => !MODERATORS.includes(r));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

forEachDatabase('moderation rules', (ctx) => {
  const check = async (api, text) => {
    const r = await api.post('/api/v1/safety/check', { text });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const rules = async (who = 'media_member') => {
    const r = await ctx.api.get('/api/v1/safety/rules', { auth: await ctx.as(who) });
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  // A pattern rule (not a list or entity signal) that flags SCAM today.
  const firingRule = async () => {
    const fired = (await check(ctx.api, SCAM)).reasons.map((x) => x.rule);
    const all = await rules();
    const rule = all.find((r) => fired.includes(r.id) && r.enabled && r.weight > 0);
    assert.ok(rule, `a rule fires on the scam: ${fired}`);
    return rule;
  };

  test('moderators list every rule with weight, default, state and a Vietnamese explanation', async () => {
    for (const who of MODERATORS) {
      const items = await rules(who);
      assert.ok(items.length >= 20, `${items.length} rules`);
      for (const r of items) {
        assert.match(r.id, /^[a-z]+\.[a-z0-9_.]+$/, r.id);
        assert.ok(['scam', 'grooming', 'toxic', 'privacy'].includes(r.category), r.category);
        assert.equal(typeof r.weight, 'number');
        assert.equal(typeof r.default_weight, 'number');
        assert.equal(typeof r.enabled, 'boolean');
        assert.ok(r.explanation.vi.length > 0 && r.explanation.en.length > 0, r.id);
        // Only the explanations of model-only flags have no weight to set.
        assert.equal(r.weighted, !r.id.endsWith('.learned_wording'), r.id);
        assert.ok([null, 'caution', 'danger'].includes(r.at_least), `${r.id}: ${r.at_least}`);
      }
      // The floors the rule files set: block-list hits and OTP requests are at least caution.
      const floors = Object.fromEntries(items.map((r) => [r.id, r.at_least]));
      assert.equal(floors['scam.otp_request'], 'caution');
      assert.equal(floors['scam.blocklisted_phone'], 'caution');
      assert.equal(floors['scam.urgency'], null);
      assert.equal(new Set(items.map((r) => r.id)).size, items.length, 'ids are unique');
      const unweighted = items.filter((r) => !r.weighted).map((r) => r.category).sort();
      assert.deepEqual(unweighted, ['grooming', 'privacy', 'scam', 'toxic']);
    }
  });

  test('every other role and anonymous get 403/401 for both reading and changing rules', async () => {
    const rule = await firingRule();
    for (const who of OTHERS) {
      const auth = await ctx.as(who);
      assertProblem(await ctx.api.get('/api/v1/safety/rules', { auth }), 403, 'forbidden');
      assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: false }, { auth }), 403, 'forbidden');
    }
    assertProblem(await ctx.api.get('/api/v1/safety/rules'), 401, 'unauthorized');
    assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: false }), 401, 'unauthorized');
    assert.ok((await check(ctx.api, SCAM)).reasons.some((x) => x.rule === rule.id), 'still on');
  });

  test('bad weights are 400 invalid_input on "weight", an unknown rule is 404, nothing changes', async () => {
    const auth = await ctx.as('admin');
    const rule = await firingRule();
    for (const weight of [21, -20.5, 1e9, 'ba', true, [1]]) {
      const p = assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { weight }, { auth }), 400, 'invalid_input', { field: 'weight' });
      assert.match(p.detail, /Trọng số/);
    }
    assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: 'no' }, { auth }), 400, 'invalid_input', { field: 'enabled' });
    assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, {}, { auth }), 400, 'invalid_input');
    assertProblem(await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: false, extra: 1 }, { auth }), 400, 'invalid_input');
    assertProblem(await ctx.api.patch('/api/v1/safety/rules/scam.khong_co_quy_tac_nay', { enabled: false }, { auth }), 404, 'not_found');
    const after = (await rules()).find((r) => r.id === rule.id);
    assert.deepEqual([after.enabled, after.weight], [rule.enabled, rule.weight]);
  });

  test('switching a rule off takes effect at once, is audited and stored; on again restores it', async () => {
    const auth = await ctx.as('media_member');
    const rule = await firingRule();
    const before = await check(ctx.api, SCAM);
    const off = await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: false }, { auth });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.enabled, false);
    assert.equal(off.json.weight, rule.weight);
    const during = await check(ctx.api, SCAM);
    assert.ok(!during.reasons.some((x) => x.rule === rule.id), 'the rule no longer fires');
    assert.ok(during.scores[rule.category] < before.scores[rule.category], 'its category scores lower');
    assert.equal((await rules()).find((r) => r.id === rule.id).enabled, false);

    const [row] = await sql(ctx.srv.db, `SELECT enabled FROM safety_rule_settings WHERE rule_id = '${rule.id}'`);
    assert.equal(row[0], '0');
    const audit = await sql(ctx.srv.db, `SELECT action FROM audit_log WHERE target_id = '${rule.id}'`);
    assert.ok(audit.some((r) => r[0] === 'safety.rule_changed'), JSON.stringify(audit));

    const on = await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: true }, { auth });
    assert.equal(on.status, 200, on.text);
    assert.deepEqual((await check(ctx.api, SCAM)).scores, before.scores);
  });

  test('a weight change moves the score at once; null puts the file weight back', async () => {
    const auth = await ctx.as('admin');
    const rule = await firingRule();
    const before = await check(ctx.api, SCAM);
    const r = await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { weight: rule.default_weight + 3 }, { auth });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.weight, rule.default_weight + 3);
    assert.equal(r.json.default_weight, rule.default_weight);
    const heavier = await check(ctx.api, SCAM);
    assert.equal(heavier.reasons.find((x) => x.rule === rule.id).weight, rule.default_weight + 3);
    assert.ok(heavier.scores[rule.category] >= before.scores[rule.category]);
    const reset = await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { weight: null }, { auth });
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.json.weight, rule.default_weight);
    assert.deepEqual((await check(ctx.api, SCAM)).scores, before.scores);
  });

  test('a rule weighted 0 loses its floor: an OTP request alone is then judged by its wording', async () => {
    const auth = await ctx.as('admin');
    // Conversational wording: only the OTP rule's floor makes it a warning.
    const text = 'Chị cho em xin mã OTP vừa gửi về máy nhé';
    const before = await check(ctx.api, text);
    assert.notEqual(before.verdict, 'safe', JSON.stringify(before));
    const zero = await ctx.api.patch('/api/v1/safety/rules/scam.otp_request', { weight: 0 }, { auth });
    assert.equal(zero.status, 200, zero.text);
    assert.equal(zero.json.at_least, 'caution', 'the file\'s floor is still listed');
    try {
      const after = await check(ctx.api, text);
      assert.ok(after.scores.scam < 0.5, JSON.stringify(after.scores));
    } finally {
      const reset = await ctx.api.patch('/api/v1/safety/rules/scam.otp_request', { weight: null }, { auth });
      assert.equal(reset.status, 200, reset.text);
    }
    assert.deepEqual((await check(ctx.api, text)).scores, before.scores);
  });

  test('a second server process on the same database sees a change made on the first within seconds', async () => {
    const second = await startApiServer({ db: ctx.srv.db });
    try {
      const other = new Api(second.url);
      const rule = await firingRule();
      assert.ok((await check(other, SCAM)).reasons.some((x) => x.rule === rule.id));
      const off = await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: false }, { auth: await ctx.as('admin') });
      assert.equal(off.status, 200, off.text);
      let seen = false;
      const deadline = Date.now() + 8000;
      while (!seen && Date.now() < deadline) {
        seen = !(await check(other, SCAM)).reasons.some((x) => x.rule === rule.id);
        if (!seen) await sleep(250);
      }
      assert.ok(seen, 'the second process stopped using the rule');
      // Lists travel the same way: a block-list entry added on the first reaches the second.
      const add = await ctx.api.post('/api/v1/safety/lists', { kind: 'phone', value: '0987 654 321' }, { auth: await ctx.as('admin') });
      assert.equal(add.status, 201, add.text);
      const text = 'Anh gọi lại số 0987654321 giúp em';
      let flagged = false;
      const deadline2 = Date.now() + 8000;
      while (!flagged && Date.now() < deadline2) {
        flagged = (await check(other, text)).reasons.some((x) => x.rule.includes('blocklist'));
        if (!flagged) await sleep(250);
      }
      assert.ok(flagged, 'the second process flags the newly listed number');
      await ctx.api.patch(`/api/v1/safety/rules/${rule.id}`, { enabled: true }, { auth: await ctx.as('admin') });
    } finally {
      await second.stop();
    }
  });
});
