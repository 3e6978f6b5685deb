// Client helpers for the black-box API tests (tests/api/*.test.mjs).
//
//   forEachDatabase('org units', (ctx) => {
//     test('...', async () => {
//       const admin = await ctx.as('admin');              // logged in once per server, reused
//       const r = await ctx.api.get('/api/v1/users', { auth: admin });
//       assert.equal(r.status, 200);
//     });
//   });
//
// `auth` is a session from login(): sent as `Authorization: Bearer` by default, or as the
// session cookie with `cookie: true` (then `csrf` chooses the X-CSRF-Token header: the
// session's token by default, a given string, or false for none).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe } from 'node:test';
import { promisify } from 'node:util';

import { backends, startApiServer } from './api_server.mjs';
import { DEMO_PASSWORD } from './server.mjs';

export { DEMO_PASSWORD };

const run = promisify(execFile);

// Runs one SQL query on a test server's database; returns the rows as arrays of strings.
export async function sql(db, query) {
  let out;
  if (db.url.startsWith('sqlite:')) {
    ({ stdout: out } = await run('sqlite3', ['-separator', '\t', db.url.slice('sqlite:'.length), query]));
  } else {
    ({ stdout: out } = await run('psql', [db.url, '-AtF', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query]));
  }
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

// Demo logins by role (khien demo); both commune officers are listed.
export const DEMO_USERS = {
  admin: 'admin',
  province_officer: 'tinh.daklak',
  commune_officer: 'xa.eanuol',
  commune_officer_other: 'xa.earok',
  case_worker: 'canbo.daklieng',
  trusted_address: 'tincay.yanglah',
  media_member: 'truyenthong.yanglah',
  viewer: 'xem.daklak',
};

export const PROBLEM_CODES = new Set([
  'invalid_input', 'malformed_request', 'unauthorized', 'forbidden', 'csrf_failed', 'not_found',
  'method_not_allowed', 'conflict', 'consent_required', 'payload_too_large', 'unsupported_media_type',
  'account_locked', 'too_many_requests', 'internal_error', 'unavailable',
]);

// Letters that only Vietnamese text carries (precomposed, NFC).
const VIETNAMESE_LETTERS = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/iu;

export class Api {
  constructor(url) {
    this.url = url;
  }

  // Returns { status, headers, text, json, setCookies }. `body` may be an object (sent as
  // JSON), a string or a Buffer (sent as is, with `contentType`, default application/json).
  async call(method, path, { auth, cookie = false, csrf, body, contentType, headers = {}, lang } = {}) {
    const h = { ...headers };
    if (lang) h['Accept-Language'] = lang;
    if (auth) {
      if (cookie) {
        h.Cookie = `khien_session=${auth.token}`;
        const token = csrf === undefined ? auth.csrf : csrf;
        if (token !== false && token !== null) h['X-CSRF-Token'] = token;
      } else {
        h.Authorization = `Bearer ${auth.token}`;
      }
    }
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      h['Content-Type'] = contentType ?? 'application/json';
    }
    const r = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await r.text();
    let json = null;
    const type = r.headers.get('content-type') ?? '';
    if (/json/.test(type) && text.length > 0) json = JSON.parse(text);
    return { status: r.status, headers: r.headers, text, json, setCookies: r.headers.getSetCookie() };
  }

  get(path, o) { return this.call('GET', path, o); }
  post(path, body, o = {}) { return this.call('POST', path, { ...o, body }); }
  patch(path, body, o = {}) { return this.call('PATCH', path, { ...o, body }); }

  // POST /auth/login; returns the raw response.
  loginResponse(username, password = DEMO_PASSWORD, o = {}) {
    return this.post('/api/v1/auth/login', { username, password }, o);
  }

  // Signs in; returns { token, csrf, user, response } or throws.
  async login(username, password = DEMO_PASSWORD) {
    const r = await this.loginResponse(username, password);
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return { token: r.json.token, csrf: r.json.csrf_token, user: r.json.user, response: r };
  }

  async userCount(admin) {
    const r = await this.get('/api/v1/users', { auth: admin });
    assert.equal(r.status, 200, r.text);
    return r.json.items.length;
  }
}

// Asserts that `r` is an RFC 7807 problem with our fields; returns its body.
export function assertProblem(r, status, code, { field } = {}) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json\b/,
    `content type of a ${status}`);
  const p = r.json;
  assert.ok(p && typeof p === 'object', 'problem body is a JSON object');
  for (const key of ['type', 'title', 'detail', 'code', 'request_id']) {
    assert.equal(typeof p[key], 'string', `problem.${key} is a string: ${r.text}`);
    assert.ok(p[key].length > 0, `problem.${key} is not empty`);
  }
  assert.equal(p.status, status, 'problem.status equals the HTTP status');
  assert.equal(p.code, code, `problem.code: ${r.text}`);
  assert.ok(PROBLEM_CODES.has(p.code), `code ${p.code} is one of the documented codes`);
  assert.equal(p.request_id, r.headers.get('x-request-id'), 'request_id equals the X-Request-Id header');
  assert.equal(p.detail, p.detail.normalize('NFC'), 'detail is NFC');
  if (field !== undefined) assert.equal(p.field, field, `problem.field: ${r.text}`);
  return p;
}

export function assertVietnamese(s) {
  assert.match(s, VIETNAMESE_LETTERS, `expected Vietnamese text with diacritics: ${s}`);
  assert.equal(s, s.normalize('NFC'));
}

export function assertEnglish(s) {
  assert.doesNotMatch(s, VIETNAMESE_LETTERS, `expected English text: ${s}`);
  assert.match(s, /[A-Za-z]{3,}/);
}

// Sends raw bytes over TCP and returns { status, head, body } of the first response, for
// requests fetch() would normalise (dot segments) or refuse to send (lying Content-Length).
export function rawRequest(port, data, { timeoutMs = 10_000, endAfterWrite = false } = {}) {
  return new Promise((ok, fail) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return fail(new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const head = text.slice(0, end);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!m) return fail(new Error(`bad status line: ${head.slice(0, 100)}`));
      ok({ status: Number(m[1]), head, body: received.subarray(end + 4).toString('utf8') });
    };
    socket.on('data', (chunk) => { received = Buffer.concat([received, chunk]); });
    socket.on('end', finish);
    socket.on('close', () => { if (timer) finish(); });
    socket.on('error', () => { /* a reset after the response is fine: finish() decides */ });
    socket.write(data, () => { if (endAfterWrite) socket.end(); });
  });
}

// GET with the path sent exactly as given (node:http does not normalise it).
export function rawGet(port, path, headers = {}) {
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

// Defines `fn(ctx)` once per backend (see backends()) inside describe('<name> [<backend>]').
// Unless `server: false`, each gets one fresh server with the demo data: ctx.srv, ctx.api, and
// ctx.as(roleOrUsername) which logs a demo user in once per server and reuses the session.
export function forEachDatabase(name, fn, { server = true } = {}) {
  for (const backend of backends()) {
    describe(`${name} [${backend}]`, () => {
      const sessions = new Map();
      const ctx = {
        backend,
        srv: null,
        api: null,
        async as(who) {
          const username = DEMO_USERS[who] ?? who;
          if (!sessions.has(username)) sessions.set(username, await ctx.api.login(username));
          return sessions.get(username);
        },
        forget(who) { sessions.delete(DEMO_USERS[who] ?? who); },
      };
      if (server) {
        before(async () => {
          ctx.srv = await startApiServer({ backend });
          ctx.api = new Api(ctx.srv.url);
        });
        after(async () => {
          await ctx.srv?.stop();
        });
      }
      fn(ctx);
    });
  }
}

// The login limits the server is built with (AuthOptions defaults in src/auth/service.h), so
// the lockout and throttle tests check the exact threshold and follow a change of it.
export async function authLimits() {
  const { readFile } = await import('node:fs/promises');
  const { REPO } = await import('./server.mjs');
  const header = await readFile(`${REPO}/src/auth/service.h`, 'utf8');
  const read = (name) => {
    const m = new RegExp(`${name}\\s*=\\s*(\\d+)`).exec(header);
    if (!m) throw new Error(`${name} not found in src/auth/service.h`);
    return Number(m[1]);
  };
  return { perUser: read('max_failures_per_user'), perAddress: read('max_failures_per_address') };
}

let counter = 0;
// A unique, valid username for accounts a test creates.
export function uniqueName(prefix = 'nv') {
  counter += 1;
  return `${prefix}.${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${counter}`.slice(0, 32);
}
