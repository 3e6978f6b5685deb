// Hostile and broken requests: each gets a clear 4xx problem, nothing is written, and the
// server keeps serving.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertProblem, forEachDatabase, rawGet, rawRequest, uniqueName } from '../lib/api.mjs';

const validUser = () => ({
  username: uniqueName('bi'), display_name: 'Người Thử', password: 'mat-khau-thu-2026', role: 'viewer',
  org_units: ['24250'],
});

forEachDatabase('bad input', (ctx) => {
  // POSTs that must be refused; after each, the account and village counts are unchanged.
  async function refusedWrite(path, method, body, contentType, status, code, field) {
    const admin = await ctx.as('admin');
    const users = await ctx.api.userCount(admin);
    const villages = (await ctx.api.get('/api/v1/org-units/24250')).json.children_count;
    const r = await ctx.api.call(method, path, { auth: admin, body, contentType });
    const p = assertProblem(r, status, code, field === undefined ? {} : { field });
    assert.equal(await ctx.api.userCount(admin), users, `${method} ${path}: no account written`);
    assert.equal((await ctx.api.get('/api/v1/org-units/24250')).json.children_count, villages,
      `${method} ${path}: no org unit written`);
    return p;
  }

  const WRITES = [
    ['/api/v1/users', 'POST'],
    ['/api/v1/org-units', 'POST'],
    ['/api/v1/auth/me', 'PATCH'],
    ['/api/v1/auth/login', 'POST'],
  ];

  test('malformed JSON is 400 malformed_request', async () => {
    for (const [path, method] of WRITES) {
      for (const body of ['{"username": ', '{username: "x"}', '', '[1,2]', '"text"', '{"a":1}{"b":2}']) {
        const p = await refusedWrite(path, method, body, undefined, 400, 'malformed_request');
        assert.ok(!p.detail.includes(body) || body.length < 3, 'the detail does not quote the body');
      }
    }
  });

  test('invalid UTF-8 in the body is 400 malformed_request', async () => {
    const bad = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('","display_name":"x"}')]);
    for (const [path, method] of WRITES) await refusedWrite(path, method, bad, undefined, 400, 'malformed_request');
    // An overlong encoding of '/' and a lone surrogate are invalid too.
    const overlong = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
    const surrogate = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    await refusedWrite('/api/v1/org-units', 'POST', overlong, undefined, 400, 'malformed_request');
    await refusedWrite('/api/v1/org-units', 'POST', surrogate, undefined, 400, 'malformed_request');
  });

  test('a non-JSON content type is 415 unsupported_media_type', async () => {
    const body = JSON.stringify(validUser());
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      await refusedWrite('/api/v1/users', 'POST', body, type, 415, 'unsupported_media_type');
    }
    await refusedWrite('/api/v1/auth/me', 'PATCH', '{"lang":"en"}', 'text/plain', 415, 'unsupported_media_type');
    // Parameters after the media type are fine.
    const admin = await ctx.as('admin');
    const ok = await ctx.api.patch('/api/v1/auth/me', '{"lang":"vi"}', { auth: admin, contentType: 'application/json; charset=utf-8' });
    assert.equal(ok.status, 200, ok.text);
  });

  test('wrong types and unknown fields are 400 invalid_input naming the field', async () => {
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), username: 5 }, undefined, 400, 'invalid_input', 'username');
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), display_name: ['a'] }, undefined, 400, 'invalid_input', 'display_name');
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), password: 1234567890123 }, undefined, 400, 'invalid_input', 'password');
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), org_units: '24250' }, undefined, 400, 'invalid_input', 'org_units');
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), org_units: [24250] }, undefined, 400, 'invalid_input', 'org_units');
    await refusedWrite('/api/v1/users', 'POST', { ...validUser(), is_admin: true }, undefined, 400, 'invalid_input', 'is_admin');
    await refusedWrite('/api/v1/org-units', 'POST', { parent: 24250, level: 'village', name: 'Thôn Số' }, undefined, 400, 'invalid_input', 'parent');
    await refusedWrite('/api/v1/org-units', 'POST', { parent: '24250', level: 'village', name: { vi: 'x' } }, undefined, 400, 'invalid_input', 'name');
    await refusedWrite('/api/v1/org-units', 'POST', { parent: '24250', level: 'village', name: 'Thôn Y', code: '24250-T99' }, undefined, 400, 'invalid_input', 'code');
    await refusedWrite('/api/v1/org-units', 'POST', { parent: '24250', level: 'village', name: 'x'.repeat(101) }, undefined, 400, 'invalid_input', 'name');
    await refusedWrite('/api/v1/auth/me', 'PATCH', { lang: 1 }, undefined, 400, 'invalid_input', 'lang');
    await refusedWrite('/api/v1/auth/me', 'PATCH', { role: 'admin' }, undefined, 400, 'invalid_input', 'role');
    const login = await ctx.api.post('/api/v1/auth/login', { username: 5, password: 'x' });
    assertProblem(login, 400, 'invalid_input', { field: 'username' });
    const admin = await ctx.as('admin');
    const me = await ctx.api.get('/api/v1/auth/me', { auth: admin });
    assert.equal(me.json.user.role, 'admin');
  });

  test('a 100 MB body is refused with 413 before it is read, and the server keeps serving', async () => {
    const admin = await ctx.as('admin');
    const users = await ctx.api.userCount(admin);
    const claimed = await rawRequest(ctx.srv.port,
      'POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${admin.token}\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{"username":`);
    assert.equal(claimed.status, 413, claimed.head);
    assert.match(claimed.head, /content-type: application\/problem\+json/i);
    assert.equal(JSON.parse(claimed.body).code, 'payload_too_large');

    // Really sending 100 MB (chunked, so no Content-Length announces it).
    const big = Buffer.alloc(100 * 1024 * 1024, 0x61);
    const streamed = await fetch(ctx.srv.url + '/api/v1/org-units', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.token}` },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"name":"'));
          for (let i = 0; i < big.length; i += 1 << 20) c.enqueue(big.subarray(i, i + (1 << 20)));
          c.close();
        },
      }),
      duplex: 'half',
    }).then(async (r) => ({ status: r.status, text: await r.text() }), (e) => ({ status: 0, error: e }));
    // The server answers 413 and closes; a client still sending may see the reset instead.
    assert.ok(streamed.status === 413 || streamed.status === 0, `status ${streamed.status} ${streamed.text ?? ''}`);
    if (streamed.status === 413) assert.equal(JSON.parse(streamed.text).code, 'payload_too_large');

    // Login has a small limit of its own.
    const login = await ctx.api.post('/api/v1/auth/login', JSON.stringify({ username: 'admin', password: 'x'.repeat(64 * 1024) }));
    assertProblem(login, 413, 'payload_too_large');

    const health = await fetch(ctx.srv.url + '/healthz');
    assert.equal(health.status, 200);
    assert.ok(ctx.srv.alive());
    assert.equal(await ctx.api.userCount(admin), users, 'nothing written');
  });

  test('../ and %2e%2e paths never reach a file outside web/dist', async () => {
    const paths = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
      '/..%5c..%5c..%5cetc%5cpasswd',
      '/api/v1/../../../etc/passwd',
      '/api/v1/org-units/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/%252e%252e/%252e%252e/etc/passwd',
      '/%00/etc/passwd',
      '//etc/passwd',
    ];
    const index = await rawGet(ctx.srv.port, '/');
    assert.equal(index.status, 200);
    assert.match(index.body, /<!doctype html>/i);
    for (const path of paths) {
      const r = await rawGet(ctx.srv.port, path);
      assert.ok(!r.body.includes('root:'), `${path} leaked a system file`);
      // A path that decodes to a dot segment is refused outright; anything else may at most get
      // the web app's own index.html (SPA fallback), which is inside web/dist.
      let decoded = path;
      try { decoded = decodeURIComponent(path); } catch { /* keep the raw form */ }
      if (/(^|[/\\])\.\.([/\\]|$)/.test(decoded) || path.startsWith('/api/')) {
        assert.ok([400, 404].includes(r.status), `${path}: ${r.status}`);
      } else {
        assert.ok([400, 404].includes(r.status) || r.body === index.body, `${path}: ${r.status}`);
      }
      if (path.startsWith('/api/') || r.status === 400) {
        assert.match(r.headers['content-type'] ?? '', /^(application\/problem\+json|text\/plain)/, path);
      }
    }
  });
});
