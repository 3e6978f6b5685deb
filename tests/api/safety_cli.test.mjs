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

let dir;
let data;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'khien-train-'));
  data = join(dir, 'labelled.tsv');
  // Invented comments: plain chat (0) and insults (1).
  const plain = ['hôm nay trời đẹp', 'mai đi học sớm', 'cả nhà ăn cơm', 'chiều nay họp tổ', 'nhớ mang áo mưa'];
  const insults = ['đồ ngu', 'mày ngu như bò', 'thằng mất dạy', 'đồ khốn nạn'];
  const rows = ['text\tlabel'];
  for (let i = 0; i < 60; i++) {
    rows.push(`${plain[i % 5]} ${plain[(i + 2) % 5]}\t0`);
    rows.push(`${plain[i % 5]} ${insults[i % 4]}\t1`);
  }
  writeFileSync(data, rows.join('\n') + '\n');
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
