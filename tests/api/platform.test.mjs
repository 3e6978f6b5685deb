// What every response carries (problem+json shape, request ids, security headers) and the
// operational endpoints /healthz, /readyz and /metrics.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { assertProblem, forEachDatabase } from '../lib/api.mjs';

const SECURITY_HEADERS = (h) => {
  const csp = h.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, 'CSP forbids framing');
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, 'no inline script');
  assert.equal(h.get('x-content-type-options'), 'nosniff');
  assert.ok(h.get('referrer-policy'), 'Referrer-Policy');
  assert.ok(h.get('x-request-id'), 'X-Request-Id');
};

forEachDatabase('platform', (ctx) => {
  test('every problem has type, title, status, detail, code and request_id', async () => {
    const admin = await ctx.as('admin');
    const commune = await ctx.as('xa.eanuol');
    const cases = [
      [await ctx.api.get('/api/v1/auth/me'), 401, 'unauthorized'],
      [await ctx.api.get('/api/v1/users', { auth: commune }), 403, 'forbidden'],
      [await ctx.api.get('/api/v1/org-units/000'), 404, 'not_found'],
      [await ctx.api.get('/api/v1/khong-co'), 404, 'not_found'],
      [await ctx.api.get('/api'), 404, 'not_found'],
      [await ctx.api.call('DELETE', '/api/v1/users', { auth: admin }), 405, 'method_not_allowed'],
      [await ctx.api.call('PUT', '/api/v1/org-units/24250', { auth: admin, body: {} }), 405, 'method_not_allowed'],
      [await ctx.api.post('/api/v1/users', '{', { auth: admin }), 400, 'malformed_request'],
      [await ctx.api.post('/api/v1/users', {}, { auth: admin }), 400, 'invalid_input'],
      [await ctx.api.post('/api/v1/users', '{}', { auth: admin, contentType: 'text/plain' }), 415, 'unsupported_media_type'],
      [await ctx.api.patch('/api/v1/auth/me', { lang: 'en' }, { auth: admin, cookie: true, csrf: false }), 403, 'csrf_failed'],
      [await ctx.api.get('/api/v1/org-units?limit=abc'), 400, 'invalid_input'],
      [await ctx.api.call('POST', '/healthz'), 405, 'method_not_allowed'],
    ];
    const ids = new Set();
    for (const [r, status, code] of cases) {
      const p = assertProblem(r, status, code);
      assert.match(p.type, /^(urn:|https?:\/\/)/, `type is a URI: ${p.type}`);
      assert.ok(!ids.has(p.request_id), 'request ids are unique');
      ids.add(p.request_id);
      SECURITY_HEADERS(r.headers);
    }
    const allowed = cases[5][0].headers.get('allow') ?? '';
    assert.match(allowed, /GET/);
    assert.match(allowed, /POST/);
  });

  test('a client X-Request-Id is echoed in the header and the problem; a hostile one is replaced', async () => {
    const mine = 'thu-nghiem.123_ABC';
    const r = await ctx.api.get('/api/v1/auth/me', { headers: { 'X-Request-Id': mine } });
    assert.equal(r.headers.get('x-request-id'), mine);
    assert.equal(assertProblem(r, 401, 'unauthorized').request_id, mine);
    const ok = await ctx.api.get('/api/v1/org-units/24250', { headers: { 'X-Request-Id': mine } });
    assert.equal(ok.headers.get('x-request-id'), mine);

    const hostile = 'x"><script>alert(1)</script>';
    const h = await ctx.api.get('/api/v1/auth/me', { headers: { 'X-Request-Id': hostile } });
    const id = h.headers.get('x-request-id');
    assert.ok(id && id !== hostile && !id.includes('<'), `replaced: ${id}`);
    assert.equal(h.json.request_id, id);
    const long = 'a'.repeat(300);
    assert.notEqual((await ctx.api.get('/healthz', { headers: { 'X-Request-Id': long } })).headers.get('x-request-id'), long);
  });

  test('security headers on API, static and operational responses', async () => {
    const api = await ctx.api.get('/api/v1/org-units');
    assert.equal(api.status, 200);
    assert.match(api.headers.get('content-type'), /^application\/json/);
    SECURITY_HEADERS(api.headers);
    assert.equal(api.headers.get('cache-control'), 'no-store');

    const index = await ctx.api.get('/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    SECURITY_HEADERS(index.headers);
    const asset = /\/assets\/[^"']+\.js/.exec(index.text)?.[0];
    assert.ok(asset, 'index.html links a script asset');
    const js = await ctx.api.get(asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /javascript/);
    SECURITY_HEADERS(js.headers);
    // SPA routes get index.html; unknown files get 404.
    const route = await ctx.api.get('/don-vi');
    assert.equal(route.status, 200);
    assert.equal(route.text, index.text);
    SECURITY_HEADERS(route.headers);
    const missing = await ctx.api.get('/assets/khong-co.js');
    assert.equal(missing.status, 404);
    SECURITY_HEADERS(missing.headers);

    for (const path of ['/healthz', '/readyz', '/metrics']) SECURITY_HEADERS((await ctx.api.get(path)).headers);
    assert.ok(!(api.headers.get('server') ?? '').match(/\d+\.\d+/), 'the Server header carries no version');
  });

  test('/healthz and /readyz answer 200', async () => {
    const h = await ctx.api.get('/healthz');
    assert.equal(h.status, 200);
    assert.equal(h.json.status, 'ok');
    const r = await ctx.api.get('/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ready');
  });

  test('/metrics is Prometheus text that counts requests by route and status', async () => {
    const count = async (route, status) => {
      const m = await ctx.api.get('/metrics');
      assert.equal(m.status, 200);
      assert.match(m.headers.get('content-type'), /^text\/plain/);
      assert.match(m.text, /^# TYPE khien_http_requests_total counter$/m);
      const line = m.text.split('\n').find((l) => l.startsWith('khien_http_requests_total{') &&
        l.includes(`route="${route}"`) && l.includes(`status="${status}"`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count('/api/v1/org-units/{code}', '200');
    for (let i = 0; i < 3; i++) assert.equal((await ctx.api.get('/api/v1/org-units/24250')).status, 200);
    // A request is counted just after its response is written, so the client can be a moment
    // ahead of the counter: wait briefly for it, then require the exact count.
    let after = await count('/api/v1/org-units/{code}', '200');
    for (let i = 0; i < 50 && after < before + 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await count('/api/v1/org-units/{code}', '200');
    }
    assert.equal(after, before + 3);
    const m = await ctx.api.get('/metrics');
    assert.match(m.text, /khien_http_request_duration_seconds_bucket\{/);
    // Labels are route patterns, never raw paths or search text.
    await ctx.api.get('/api/v1/org-units?q=b%C3%AD+m%E1%BA%ADt');
    assert.ok(!(await ctx.api.get('/metrics')).text.includes('bí mật'));
    assert.ok(!(await ctx.api.get('/metrics')).text.includes('24250'));
  });
});

// Runs fn(dir) with a fresh temporary folder, removed afterwards.
async function inTempDir(prefix, fn) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a PostgreSQL statement timeout setting that is not a number of milliseconds is refused', () =>
  inTempDir('khien-timeout-', (dir) => {
    const run = (value) => spawnSync(process.env.KHIEN_BIN, ['migrate', '--db', `sqlite:${join(dir, 'k.db')}`], {
      env: { ...process.env, KHIEN_DB: '', KHIEN_PG_STATEMENT_TIMEOUT_MS: value }, encoding: 'utf8',
    });
    for (const bad of ['abc', '10s', '5', '99999999']) {
      const r = run(bad);
      assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /pg_statement_timeout_ms phải là số mili giây/);
      assert.match(r.stderr, /must be a number of milliseconds/);
    }
    assert.equal(run('600000').status, 0);
  }));

test('demo --scale run twice keeps the province it generated and still succeeds', () =>
  inTempDir('khien-demo-', (dir) => {
    const db = `sqlite:${join(dir, 'k.db')}`;
    const demo = () => spawnSync(process.env.KHIEN_BIN, ['demo', '--db', db, '--scale', '300'], {
      env: { ...process.env, KHIEN_DB: '' }, encoding: 'utf8',
    });
    const first = demo();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Đã tạo \/ generated/);
    const second = demo();
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /đã có, giữ nguyên/);
    assert.match(second.stderr, /already there, kept as it is/);
    assert.doesNotMatch(second.stdout, /Đã tạo \/ generated/);
    assert.match(second.stdout, /demo logins/);
  }));
