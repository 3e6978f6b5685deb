// Servers for the black-box API tests: the real `khien` binary on an explicit backend.
//
// tests/lib/server.mjs (the web helper's) picks PostgreSQL whenever KHIEN_TEST_PG_URL is set;
// the API suite must run on SQLite AND PostgreSQL in one run and must start two servers on one
// PostgreSQL database, so it needs the backend and the database as parameters.
//
//   const db = await createDatabase('postgres');        // fresh, migrated, demo data loaded
//   const a = await startApiServer({ db }), b = await startApiServer({ db });
//   ...; await a.stop(); await b.stop(); await db.drop();
//
// Start-up waits up to KHIEN_TEST_READY_MS (default 180000) for /readyz: serve compiles the
// checker rules at start, which takes tens of seconds on a loaded 2-core machine.
// Backends: `backends()` is ['sqlite'] plus 'postgres' when KHIEN_TEST_PG_URL is set;
// KHIEN_TEST_BACKENDS=sqlite|postgres|sqlite,postgres narrows it.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { binaryPath, freePort, staticDir, waitReady } from './server.mjs';

const run = promisify(execFile);

export function backends() {
  const all = ['sqlite'];
  if (process.env.KHIEN_TEST_PG_URL) all.push('postgres');
  const wanted = process.env.KHIEN_TEST_BACKENDS;
  if (!wanted) return all;
  const chosen = wanted.split(',').map((s) => s.trim());
  for (const b of chosen) {
    if (b === 'postgres' && !process.env.KHIEN_TEST_PG_URL) {
      throw new Error('KHIEN_TEST_BACKENDS asks for postgres but KHIEN_TEST_PG_URL is not set');
    }
    if (b !== 'sqlite' && b !== 'postgres') throw new Error(`unknown backend ${b}`);
  }
  return chosen;
}

async function khien(args) {
  const bin = binaryPath();
  if (!existsSync(bin)) throw new Error(`khien binary not found at ${bin} (set KHIEN_BIN)`);
  try {
    return await run(bin, args, { timeout: 120_000, maxBuffer: 16 << 20 });
  } catch (e) {
    throw new Error(`khien ${args.join(' ')} failed (${e.code ?? e.signal}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

// Runs `khien ARGS` (e.g. `user add`) with `input` on stdin; resolves to { stdout, stderr }.
export function khienCli(args, input = '') {
  return new Promise((ok, fail) => {
    const child = execFile(binaryPath(), args, { timeout: 60_000 }, (e, stdout, stderr) => {
      if (e) fail(new Error(`khien ${args.join(' ')} failed (${e.code ?? e.signal}):\n${stdout}${stderr}`));
      else ok({ stdout, stderr });
    });
    child.stdin.end(input);
  });
}

// A fresh database with migrations (and by default the demo data) applied.
// Returns { backend, url, drop() }.
export async function createDatabase(backend, { demo = true } = {}) {
  let db;
  if (backend === 'postgres') {
    const base = process.env.KHIEN_TEST_PG_URL;
    if (!base) throw new Error('KHIEN_TEST_PG_URL is not set');
    const name = 'khien_api_' + randomBytes(6).toString('hex');
    await run('psql', [base, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
    const u = new URL(base);
    u.pathname = '/' + name;
    db = {
      backend,
      url: u.toString(),
      drop: () => run('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {}),
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'khien-api-'));
    db = { backend, url: `sqlite:${join(dir, 'khien.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  try {
    await khien(['migrate', '--db', db.url]);
    if (demo) await khien(['demo', '--db', db.url]);
  } catch (e) {
    await db.drop();
    throw e;
  }
  return db;
}


// Starts `khien serve` on `db` (from createDatabase), or on a fresh database of `backend`
// that stop() drops; `extraArgs` go to `khien serve` (e.g. ['--checks-per-minute', '5']).
// Returns { url, port, db, log(), stop() }.
export async function startApiServer({ db = null, backend = 'sqlite', demo = true, extraArgs = [] } = {}) {
  const owned = db === null;
  if (owned) db = await createDatabase(backend, { demo });
  const cwd = await mkdtemp(join(tmpdir(), 'khien-api-cwd-'));
  const cleanup = async () => {
    await rm(cwd, { recursive: true, force: true });
    if (owned) await db.drop();
  };
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const args = ['serve', '--db', db.url, '--listen', `127.0.0.1:${port}`, '--static', staticDir(), ...extraArgs];
      const child = spawn(binaryPath(), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      const take = (chunk) => {
        // Keep the tail only: the access log grows with every request.
        log = (log + chunk).slice(-200_000);
        if (process.env.KHIEN_TEST_LOG) process.stderr.write(chunk);
      };
      child.stdout.setEncoding('utf8').on('data', take);
      child.stderr.setEncoding('utf8').on('data', take);
      // A failed spawn (binary missing or being relinked) emits 'error' and never 'exit'.
      let spawnError = null;
      const exited = new Promise((ok) => {
        child.once('exit', ok);
        child.once('error', (e) => {
          spawnError = e;
          ok();
        });
      });
      try {
        await waitReady(url, child, () => log, Number(process.env.KHIEN_TEST_READY_MS ?? 180_000), () => spawnError);
      } catch (e) {
        if (!spawnError) child.kill('SIGKILL');
        await exited;
        if (attempt < 3 && /address already in use|bind/i.test(log)) continue;
        throw e;
      }
      let stopped = false;
      return {
        url,
        port,
        db,
        log: () => log,
        alive: () => child.exitCode === null && child.signalCode === null,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (!spawnError && child.exitCode === null && child.signalCode === null) {
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
