// The OpenAPI document tells the truth: src/http/api/openapi.json lists exactly the routes the
// source registers (read from `router.Add("METHOD", "/path"` in src/http/api/*.cc), the binary
// serves that document at /api/v1/openapi.json, and each documented operation exists on the
// running server.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { forEachDatabase } from '../lib/api.mjs';
import { REPO } from '../lib/server.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

async function routesInSource() {
  const dir = join(REPO, 'src/http/api');
  const routes = new Set();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cc')).sort()) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\.Add\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g)) routes.add(`${m[1]} ${m[2]}`);
  }
  return routes;
}

function routesInDocument(doc) {
  const routes = new Set();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(item)) {
      if (METHODS.includes(method)) routes.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return routes;
}

// A concrete path for a templated one.
function concrete(path) {
  return path.replace(/\{code\}/g, '24250').replace(/\{[^}]+\}/g, 'khong-co-id');
}

forEachDatabase('openapi', (ctx) => {
  let doc;

  test('GET /api/v1/openapi.json is an OpenAPI 3 JSON document', async () => {
    const r = await ctx.api.get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    doc = JSON.parse(r.text);
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.ok(doc.info?.title && doc.info?.version, 'info.title and info.version');
    assert.ok(Object.keys(doc.paths).length > 0);
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/api/v1/'), path);
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
        for (const p of path.match(/\{[^}]+\}/g) ?? []) {
          const name = p.slice(1, -1);
          const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
          const declared = params.some((x) => (x.$ref ? x.$ref.endsWith('/' + name) : x.name === name && x.in === 'path'));
          assert.ok(declared, `${method} ${path} declares path parameter ${name}`);
        }
      }
    }
  });

  test('the served document is src/http/api/openapi.json (the binary is not stale)', async () => {
    const file = JSON.parse(await readFile(join(REPO, 'src/http/api/openapi.json'), 'utf8'));
    assert.deepEqual(routesInDocument(doc), routesInDocument(file),
      'the binary serves another openapi.json than the source tree: rebuild it');
  });

  test('src/http/api/openapi.json lists exactly the routes registered in src/http/api/*.cc', async () => {
    const source = await routesInSource();
    assert.ok(source.size >= 12, `found ${source.size} routes in the source; is the regex still right?`);
    const file = JSON.parse(await readFile(join(REPO, 'src/http/api/openapi.json'), 'utf8'));
    const documented = routesInDocument(file);
    const undocumented = [...source].filter((r) => !documented.has(r)).sort();
    const phantom = [...documented].filter((r) => !source.has(r)).sort();
    assert.deepEqual({ undocumented, phantom }, { undocumented: [], phantom: [] });
  });

  test('every documented operation exists on the server (never "no such endpoint" or 405)', async () => {
    for (const route of routesInDocument(doc)) {
      const [method, path] = route.split(' ');
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const r = await ctx.api.call(method, concrete(path), { body, lang: 'en' });
      assert.notEqual(r.status, 405, `${route}: ${r.text}`);
      if (r.status === 404) {
        assert.notEqual(r.json?.detail, 'No such API endpoint.', `${route} is not routed`);
      }
      // A route that exists but is not documented answers like any other API route; one that
      // does not exist at all gets the router's 404.
    }
    const none = await ctx.api.get('/api/v1/khong-co-dia-chi', { lang: 'en' });
    assert.equal(none.status, 404);
    assert.equal(none.json.detail, 'No such API endpoint.', 'the probe can tell a missing route');
  });
});
