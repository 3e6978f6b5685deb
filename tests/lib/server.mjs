// Starts the real `khien` binary for black-box tests (API and browser).
//
//   const srv = await startServer();   // migrate + demo on a fresh database, then serve
//   ... fetch(srv.url + '/api/v1/...') ...
//   await srv.stop();                   // SIGTERM, wait, remove the temp dir / database
//
// Database: SQLite in a fresh temp dir, or — when KHIEN_TEST_PG_URL is set (a URL to any
// database of a running PostgreSQL, e.g. postgresql://postgres@127.0.0.1:55432/postgres) —
// a fresh database created with psql per server and dropped by stop().
// Binary: KHIEN_BIN, default <repo>/build/khien. Static files: KHIEN_STATIC, default
// <repo>/web/dist. Set KHIEN_TEST_LOG=1 to echo the server's output.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'khien-demo-2026';

export function binaryPath() {
  return resolve(REPO, process.env.KHIEN_BIN ?? 'build/khien');
}

export function staticDir() {
  return resolve(REPO, process.env.KHIEN_STATIC ?? 'web/dist');
}

// A port nobody listens on right now (the server binds it a moment later; startServer
// retries on the rare collision).
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function khien(args, env) {
  try {
    return await run(binaryPath(), args, { env, timeout: 120_000, maxBuffer: 16 << 20 });
  } catch (e) {
    throw new Error(`khien ${args.join(' ')} failed (${e.code ?? e.signal}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function createPgDatabase(baseUrl) {
  const name = 'khien_test_' + randomBytes(6).toString('hex');
  await run('psql', [baseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(baseUrl);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop: () =>
      run('psql', [baseUrl, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {}),
  };
}

// Waits for /readyz; fails early when the process exits or `failed()` reports a spawn error.
export async function waitReady(url, child, output, timeoutMs, failed = () => null) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failed()) throw new Error(`cannot start khien serve: ${failed().message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`khien serve exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const r = await fetch(url + '/readyz', { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`khien serve not ready after ${timeoutMs} ms:\n${output()}`);
}

export async function startServer({ demo = true, extraArgs = [], env: extraEnv = {} } = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) throw new Error(`khien binary not found at ${bin} (set KHIEN_BIN)`);
  const tmp = await mkdtemp(join(tmpdir(), 'khien-test-'));
  const env = { ...process.env, ...extraEnv };
  let pg = null;
  let dbUrl = `sqlite:${join(tmp, 'khien.db')}`;
  if (process.env.KHIEN_TEST_PG_URL) {
    pg = await createPgDatabase(process.env.KHIEN_TEST_PG_URL);
    dbUrl = pg.url;
  }
  const cleanup = async () => {
    if (pg) await pg.drop();
    await rm(tmp, { recursive: true, force: true });
  };

  try {
    await khien(['migrate', '--db', dbUrl], env);
    if (demo) await khien(['demo', '--db', dbUrl], env);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const args = ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--static', staticDir(), ...extraArgs];
      const child = spawn(bin, args, { env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      const take = (chunk) => {
        log += chunk;
        if (process.env.KHIEN_TEST_LOG) process.stderr.write(chunk);
      };
      child.stdout.setEncoding('utf8').on('data', take);
      child.stderr.setEncoding('utf8').on('data', take);
      const exited = new Promise((ok) => child.once('exit', ok));
      try {
        await waitReady(url, child, () => log, 30_000);
      } catch (e) {
        child.kill('SIGKILL');
        await exited;
        if (attempt < 3 && /address already in use|bind/i.test(log)) continue;
        throw e;
      }

      let stopped = false;
      return {
        url,
        port,
        dbUrl,
        dir: tmp,
        log: () => log,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(timer);
          }
          await cleanup();
        },
      };
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
}

// Signs in over the API; returns { token, csrf, user } for Bearer-authenticated calls.
export async function apiLogin(url, username, password = DEMO_PASSWORD) {
  const r = await fetch(url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const body = await r.json();
  return { token: body.token, csrf: body.csrf_token, user: body.user };
}
