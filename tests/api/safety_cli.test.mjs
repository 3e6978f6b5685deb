// `khien safety train` from the command line: category defaults (toxic heads get 2^20 feature
// buckets), an explicit --hash-bits wins over them, bad options and files are refused with a
// message in both languages, a non-zero exit and no model file; `khien serve --model` refuses a
// model file it could never write or read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

// Invented comments: plain chat (0) and insults (1).
const plain = ['hôm nay trời đẹp', 'mai đi học sớm', 'cả nhà ăn cơm', 'chiều nay họp tổ', 'nhớ mang áo mưa'];
const insults = ['đồ ngu', 'mày ngu như bò', 'thằng mất dạy', 'đồ khốn nạn'];
const labelledRows = (n) => {
  const rows = ['text\tlabel'];
  for (let i = 0; i < n; i++) {
    rows.push(`${plain[i % 5]} ${plain[(i + 2) % 5]}\t0`);
    rows.push(`${plain[i % 5]} ${insults[i % 4]}\t1`);
  }
  return rows;
};

let dir;
let data;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'khien-train-'));
  data = join(dir, 'labelled.tsv');
  writeFileSync(data, labelledRows(60).join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const train = (out, ...extra) =>
  spawnSync(process.env.KHIEN_BIN, ['safety', 'train', '--data', data, '--text-col', 'text', '--label-col', 'label',
    '--out', join(dir, out), ...extra], { env: { ...process.env, KHIEN_DB: '' }, encoding: 'utf8' });

test('toxic heads get 2^20 buckets by default, others 2^18, and --hash-bits overrides both', () => {
  const cases = [
    [['--category', 'toxic'], 20],
    [['--category', 'toxic', '--hash-bits', '18'], 18],
    [['--category', 'scam'], 18],
    [['--category', 'scam', '--hash-bits', '17'], 17],
  ];
  cases.forEach(([args, bits], i) => {
    const r = train(`m${i}.model`, ...args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`2\\^${bits} ô đặc trưng`), r.stdout);
    assert.match(r.stdout, new RegExp(`2\\^${bits} feature buckets`), r.stdout);
    assert.ok(existsSync(join(dir, `m${i}.model`)));
  });
});

test('bad options and a missing file are refused, and no model is written', () => {
  for (const [args, pattern] of [
    [['--category', 'toxic', '--hash-bits', '30'], /hash-bits/],
    [['--category', 'nope'], /nope/],
  ]) {
    const r = train('bad.model', ...args);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, pattern);
    assert.ok(!existsSync(join(dir, 'bad.model')));
  }
  const missing = spawnSync(process.env.KHIEN_BIN, ['safety', 'train', '--data', join(dir, 'none.tsv'), '--text-col',
    'text', '--label-col', 'label', '--category', 'toxic', '--out', join(dir, 'bad.model')],
  { env: { ...process.env, KHIEN_DB: '' }, encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /none\.tsv/);
  assert.ok(!existsSync(join(dir, 'bad.model')));
});

test('khien serve refuses a --model in a folder that does not exist and a file that is not a model', () => {
  const bad = join(dir, 'not-a.model');
  writeFileSync(bad, 'garbage');
  const cases = [
    [join(dir, 'no-such-folder', 'khien.model'), /Không có thư mục .* cho tệp mô hình/, /There is no folder/],
    [bad, /Tệp mô hình .* không hợp lệ/, /Model file .* is invalid/],
  ];
  for (const [model, vi, en] of cases) {
    const r = spawnSync(process.env.KHIEN_BIN, ['serve', '--db', `sqlite:${join(dir, 'serve.db')}`, '--listen', '127.0.0.1:0',
      '--model', model], { env: { ...process.env, KHIEN_DB: '' }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, vi);
    assert.match(r.stderr, en);
  }
});

test('safety cv --show-errors lists every out-of-fold mistake once, cut on a character boundary', () => {
  // Rows like the other tests' plus two labelled against their twins: a long plain sentence
  // marked as an insult and an insult marked as plain.
  const long = `(${[...plain, ...plain, ...plain].join(' ')})`;  // the plain rows' words, 316 bytes
  assert.equal(Buffer.from(long)[160] & 0xc0, 0x80, 'byte 160 must fall inside a character');
  const noisy = join(dir, 'noisy.tsv');
  const rows = labelledRows(40);
  rows.push(`${long}\t1`, 'mày ngu như bò\t0');
  writeFileSync(noisy, rows.join('\n') + '\n');
  const r = spawnSync(process.env.KHIEN_BIN, ['safety', 'cv', '--data', noisy, '--text-col', 'text', '--label-col',
    'label', '--category', 'toxic', '--text-only', '--show-errors'],
  { env: { ...process.env, KHIEN_DB: '' } });
  assert.equal(r.status, 0, r.stderr.toString());
  const row = r.stdout.toString().split('\n').find((l) => l.startsWith('model only (text)'));
  const [fp, , fn] = row.trim().split(/\s+/).slice(-3).map(Number);  // … tp fp tn fn
  // stderr must stay valid UTF-8 although the long sentence is cut at 160 bytes.
  const stderr = new TextDecoder('utf-8', { fatal: true }).decode(r.stderr);
  const lines = stderr.split('\n').filter((l) => /^F[PN]\t/.test(l));
  assert.equal(lines.filter((l) => l.startsWith('FP\t')).length, fp, stderr);
  assert.equal(lines.filter((l) => l.startsWith('FN\t')).length, fn, stderr);
  assert.ok(lines.includes('FP\tmày ngu như bò'), stderr);
  const cut = lines.find((l) => l.startsWith('FN\t(hôm nay trời đẹp mai'));
  assert.ok(cut, stderr);
  assert.ok(Buffer.byteLength(cut.slice(3)) <= 160 && long.startsWith(cut.slice(3)), cut);
});

test('safety cv applies the rules\' at_least floors to the learned configurations, as khien check does', () => {
  // One toxic rule on a phrase that 24 of the 60 plain rows and 12 of the 60 insults contain.
  // With its floor every row holding the phrase is flagged, whatever the models learned; without
  // it the stacked model learns that the phrase says nothing and flags (almost) none of the 24.
  const stackedFp = (atLeast) => {
    const rules = mkdtempSync(join(dir, 'rules-'));
    writeFileSync(join(rules, 't.toml'), ['[[rule]]', 'id = "t.phrase"', 'category = "toxic"',
      "patterns = ['\\bmai di hoc\\b']", 'weight = 1.0', ...(atLeast ? ['at_least = "caution"'] : []),
      'explanation_vi = "Giải thích"', 'explanation_en = "Why"', ''].join('\n'));
    const r = spawnSync(process.env.KHIEN_BIN, ['safety', 'cv', '--data', data, '--text-col', 'text', '--label-col',
      'label', '--category', 'toxic', '--rules', rules], { env: { ...process.env, KHIEN_DB: '' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const counts = (name) => {
      const row = r.stdout.split('\n').find((l) => l.startsWith(name));
      assert.ok(row, r.stdout);
      return row.trim().split(/\s+/).slice(-4).map(Number);  // tp fp tn fn
    };
    return { rules: counts('rules only')[1], stacked: counts('stacked (rules as features)')[1] };
  };
  const floored = stackedFp(true);
  assert.equal(floored.rules, 24);
  assert.ok(floored.stacked >= 24, JSON.stringify(floored));
  const plain = stackedFp(false);
  assert.equal(plain.rules, 0, 'weight 1 alone stays under the threshold');
  assert.ok(plain.stacked < 24, JSON.stringify(plain));
});
