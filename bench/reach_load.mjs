// Reach at scale, through the HTTP API of running `khien serve` processes (see reach_load.sh):
//  - p50/p95 of the dashboard queries on the indicator cache and on the plain GROUP BY
//    baseline (engine=sql), in the same run;
//  - a new participant recorded through server A, seen by the next query on A and on B;
//  - a 100,000-row attendance CSV: dry run, then commit.
// Usage: node bench/reach_load.mjs URL_A URL_B [cache_runs] [sql_runs]
// Prints Markdown rows for docs/benchmarks.md.
import assert from 'node:assert/strict';

const [urlA, urlB, cacheRuns = '40', sqlRuns = '3'] = process.argv.slice(2);
const PASSWORD = 'khien-demo-2026';

async function call(base, method, path, { token, body, type } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = type ?? 'application/json';
  const t0 = performance.now();
  const r = await fetch(base + path, { method, headers, body: type || body === undefined ? body : JSON.stringify(body) });
  const text = await r.text();
  const ms = performance.now() - t0;
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text, ms };
}

async function login(base, username) {
  const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

const admin = await login(urlA, 'admin');
const adminB = await login(urlB, 'admin');
const officer = await login(urlA, 'xa.eanuol');
const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

// First query: waits for the cache warm-up started by serve.
let r = await call(urlA, 'GET', `/api/v1/reach/indicators?org=66&from=2021-01-01&to=${today}`, { token: admin });
assert.equal(r.status, 200, r.text);
console.log(`first indicator query (waits for the cache load started at serve start): ${fmt(r.ms)} ms; ` +
            `total ${r.json.total.participations} participations, ${r.json.total.unique_people} people`);
r = await call(urlB, 'GET', `/api/v1/reach/indicators?org=66&from=2021-01-01&to=${today}`, { token: adminB });
console.log(`first indicator query on server B: ${fmt(r.ms)} ms`);

r = await call(urlA, 'GET', `/api/v1/reach/indicators?org=66&from=2021-01-01&to=${today}&by=commune`, { token: admin });
const biggest = [...r.json.rows].sort((a, b) => b.participations - a.participations)[0].keys.commune;

const queries = [
  ['province total by month', `org=66&from=2021-01-01&to=${today}&by=month`],
  ['province by commune', `org=66&from=2021-01-01&to=${today}&by=commune`],
  ['province by sex × ethnicity', `org=66&from=2021-01-01&to=${today}&by=sex,ethnicity`],
  ['commune drill-down (village × month)', `org=${biggest}&from=2021-01-01&to=${today}&by=village,month`],
  ['unique people 2021–2025 by year', `org=66&from=2021-01-01&to=2025-12-31&by=year`],
  ['minority women, children by quarter', `org=66&from=2021-01-01&to=${today}&by=quarter,ethnic_group,age_group`],
  ['one topic, by commune × sex', `org=66&from=2024-01-01&to=${today}&topic=online_fraud&by=commune,sex`],
];

console.log('\n| query | cache p50 ms | cache p95 ms | GROUP BY p50 ms | GROUP BY p95 ms | same numbers |');
console.log('|---|---:|---:|---:|---:|---|');
for (const [name, q] of queries) {
  const fast = [];
  let fastBody;
  for (let i = 0; i < Number(cacheRuns); i++) {
    const x = await call(urlA, 'GET', `/api/v1/reach/indicators?${q}`, { token: admin });
    assert.equal(x.status, 200, x.text);
    fast.push(x.ms);
    fastBody = x.json;
  }
  const slow = [];
  let slowBody;
  // SQL_ONLY=1,4 runs the GROUP BY baseline on those queries only (1-based; minutes each at 5 M).
  const sqlOnly = process.env.SQL_ONLY ? process.env.SQL_ONLY.split(',').map(Number) : null;
  if (sqlOnly && !sqlOnly.includes(queries.findIndex((x) => x[0] === name) + 1)) {
    console.log(`| ${name} (${fastBody.rows.length} rows) | ${fmt(pct(fast, 50))} | ${fmt(pct(fast, 95))} | not run | not run | — |`);
    continue;
  }
  for (let i = 0; i < Number(sqlRuns); i++) {
    const x = await call(urlA, 'GET', `/api/v1/reach/indicators?${q}&engine=sql`, { token: admin });
    if (x.status !== 200) { slow.push(NaN); slowBody = { error: x.status }; break; }
    slow.push(x.ms);
    slowBody = x.json;
  }
  const same = slowBody.error ? `baseline failed (${slowBody.error})` :
    JSON.stringify(fastBody.rows) === JSON.stringify(slowBody.rows) && JSON.stringify(fastBody.total) === JSON.stringify(slowBody.total) ? 'yes' : 'NO';
  console.log(`| ${name} (${fastBody.rows.length} rows) | ${fmt(pct(fast, 50))} | ${fmt(pct(fast, 95))} | ` +
              `${slow.some(Number.isNaN) ? '—' : fmt(pct(slow, 50))} | ${slow.some(Number.isNaN) ? '—' : fmt(pct(slow, 95))} | ${same} |`);
}

// A new participant: visible at once on A (the writer) and on B (another process).
const totalQ = `/api/v1/reach/indicators?org=24250&from=2021-01-01&to=${today}`;
const beforeA = (await call(urlA, 'GET', totalQ, { token: admin })).json.total;
const beforeB = (await call(urlB, 'GET', totalQ, { token: adminB })).json.total;
const act = await call(urlA, 'POST', '/api/v1/activities', {
  token: officer,
  body: { org_unit: '24250', type: 'training', title: 'Đo độ trễ', topics: ['online_fraud'], date: today, status: 'held' },
});
assert.equal(act.status, 201, act.text);
const p = await call(urlA, 'POST', `/api/v1/activities/${act.json.id}/participants`, {
  token: officer, body: { name: 'H\'Bench Niê', sex: 'female', birth_year: 1991, ethnicity: 'ede', village: 'Buôn Đo' },
});
assert.equal(p.status, 201, p.text);
const afterA = await call(urlA, 'GET', totalQ, { token: admin });
const afterB = await call(urlB, 'GET', totalQ, { token: adminB });
assert.equal(afterA.json.total.participations, beforeA.participations + 1);
assert.equal(afterB.json.total.participations, beforeB.participations + 1);
assert.equal(afterB.json.total.minority_women, beforeB.minority_women + 1);
console.log(`\nnew participant: next query on the writing server ${fmt(afterA.ms)} ms, on the second server ${fmt(afterB.ms)} ms (both +1)`);

// 100,000-row attendance file.
const imp = await call(urlA, 'POST', '/api/v1/activities', {
  token: officer,
  body: { org_unit: '24250', type: 'communication', title: 'Nhập danh sách lớn', topics: ['digital_skills'], date: today, status: 'held' },
});
const given = ['Hen', 'Mai', 'Rin', 'Yơn', 'Bia', 'Lim', 'Ngơm', 'Juin', 'Blin', 'Hơn'];
const clans = ['Niê', 'Êban', 'Byă', 'Mlô', 'Ksơr', 'Adrơng'];
let csv = 'Họ và tên,Giới tính,Năm sinh,Dân tộc,Thôn/buôn\n';
for (let i = 0; i < 100000; i++) {
  csv += `H'${given[i % 10]} ${clans[(i / 10 | 0) % 6]} ${i},Nữ,${1950 + (i % 60)},Ê Đê,Buôn ${i % 40}\n`;
}
const dry = await call(urlA, 'POST', `/api/v1/reach/import?activity=${imp.json.id}`, { token: officer, body: csv, type: 'text/csv' });
assert.equal(dry.status, 200, dry.text);
assert.equal(dry.json.valid, 100000);
const wet = await call(urlA, 'POST', `/api/v1/reach/import?activity=${imp.json.id}&commit=true`, { token: officer, body: csv, type: 'text/csv' });
assert.equal(wet.status, 200, wet.text);
assert.equal(wet.json.written, 100000);
const seen = await call(urlA, 'GET', totalQ, { token: admin });
assert.equal(seen.json.total.participations, afterA.json.total.participations + 100000);
console.log(`100,000-row CSV (${(csv.length / 1e6).toFixed(1)} MB): dry run ${fmt(dry.ms)} ms, commit ${fmt(wet.ms)} ms; ` +
            `next indicator query ${fmt(seen.ms)} ms (+100000)`);
