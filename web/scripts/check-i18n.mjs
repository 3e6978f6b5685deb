// Fails when vi.json and en.json disagree on their keys, when a key used as t('…') in
// src/ is missing, or when a Vietnamese string is not NFC.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../src/', import.meta.url).pathname;
const problems = [];
// vi.json/en.json plus one pair per area (cases.vi.json, reach.vi.json, …), merged as index.ts does.
function load(lang) {
  const merged = {};
  for (const f of readdirSync(join(root, 'i18n')).filter((f) => f === `${lang}.json` || f.endsWith(`.${lang}.json`))) {
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(root, 'i18n', f), 'utf8')))) {
      if (k in merged) problems.push(`${f}: key ${k} repeats a key of another file`);
      merged[k] = v;
    }
  }
  return merged;
}
const vi = load('vi');
const en = load('en');

for (const k of Object.keys(vi)) if (!(k in en)) problems.push(`en.json lacks ${k}`);
for (const k of Object.keys(en)) if (!(k in vi)) problems.push(`vi.json lacks ${k}`);
for (const [k, v] of Object.entries(vi)) {
  if (v !== v.normalize('NFC')) problems.push(`vi.json ${k} is not NFC`);
  if (!v.trim()) problems.push(`vi.json ${k} is empty`);
}

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}
const used = new Set();
for (const file of walk(root)) {
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/\bt\(\s*'([a-z_.0-9]+)'/g)) used.add(m[1]);
}
for (const k of used) if (!(k in vi)) problems.push(`key ${k} used but not defined`);

// Keys built from data (tOr('role.' + role)) must cover every value the API sends.
const dataKeys = [
  ...['admin', 'province_officer', 'commune_officer', 'case_worker', 'trusted_address', 'media_member', 'viewer'].map((r) => 'role.' + r),
  ...['province', 'commune', 'village', 'point'].map((l) => 'level.' + l),
  ...['command_point', 'trusted_address', 'school', 'club', 'other'].map((k) => 'kind.' + k),
  ...['scam', 'grooming', 'toxic', 'privacy'].map((c) => 'category.' + c),
  ...['safe', 'caution', 'danger'].map((v) => 'check.verdict_' + v),
];
for (const k of dataKeys) if (!(k in vi)) problems.push(`data key ${k} not defined`);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n ok: ${Object.keys(vi).length} keys, ${used.size} used directly`);
