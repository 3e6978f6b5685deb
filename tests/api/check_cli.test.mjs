// `khien check` from the command line (issue 4): the text as an argument or on stdin, plain
// Vietnamese (or English) output with reasons and advice, --json, --lines for batches; bad
// input (blank, over 64 KB, invalid UTF-8, a malformed rules folder) is a message in both
// languages on stderr and a non-zero exit. Invented messages only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const khien = (args, input) =>
  spawnSync(process.env.KHIEN_BIN, ['check', ...args], { input, env: { ...process.env, KHIEN_DB: '' } });
const out = (r) => r.stdout.toString('utf8');
const err = (r) => r.stderr.toString('utf8');

const SCAM = 'Cơ quan công an yêu cầu chị chuyển toàn bộ tiền vào tài khoản an toàn để phục vụ điều tra.';
const WARNING = 'Hội LHPN xã cảnh báo: kẻ gian gọi điện mời nâng cấp SIM 4G lên 5G rồi xin mã OTP. Không làm theo, nhà mạng không gọi như vậy.';

test('a scam as an argument: the verdict, each reason with its rule id and what to do, in Vietnamese', () => {
  const r = khien([SCAM]);
  assert.equal(r.status, 0, err(r));
  const text = out(r);
  assert.match(text, /^Kết luận: NGUY HIỂM \(lừa đảo \d+%\)/);
  assert.match(text, /Lý do:\n {2}• «vào tài khoản an toàn» — .+ \[scam\.safe_account\]/);
  assert.match(text, /Nên làm gì:\n {2}• Không chuyển tiền/);
  const en = out(khien(['--en', SCAM]));
  assert.match(en, /^Verdict: DANGER \(scam \d+%\)/);
  assert.match(en, /What to do:/);
});

test('the same text on stdin gives the same answer; a warning about scams is safe, its sign marked ✓', () => {
  assert.equal(out(khien([], SCAM)), out(khien([SCAM])));
  const w = out(khien([WARNING]));
  assert.match(w, /^Kết luận: AN TOÀN/);
  assert.match(w, / {2}✓ «kẻ gian» — .+ \[scam\.warning_notice\]/);
  assert.match(w, / {2}• «nâng cấp SIM 4G» — .+ \[scam\.sim_upgrade\]/);
});

test('--json prints the result object with spans in characters of the original', () => {
  const r = khien(['--json', SCAM]);
  assert.equal(r.status, 0, err(r));
  const j = JSON.parse(out(r));
  assert.equal(j.verdict, 'danger');
  assert.ok(j.scores.scam >= 0.8);
  const reason = j.reasons.find((x) => x.rule === 'scam.safe_account');
  assert.equal(Array.from(SCAM).slice(reason.start, reason.end).join(''), reason.text);
  assert.ok(j.advice.some((a) => a.id === 'no_transfer'));
});

test('--lines answers every line, bad ones with an error object, and exits 2 if any was bad', () => {
  const input = Buffer.concat([
    Buffer.from(`${SCAM}\n\n`),
    Buffer.from([0x61, 0xff, 0xfe, 0x0a]),
    Buffer.from('Mai họp phụ huynh lúc 7 giờ nhé\n'),
  ]);
  const r = khien(['--lines'], input);
  assert.equal(r.status, 2, err(r));
  const lines = out(r).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  assert.equal(lines[0].verdict, 'danger');
  assert.equal(lines[1].error, 'invalid_input');
  assert.equal(lines[1].message.vi, 'Hãy dán tin nhắn cần kiểm tra.');
  assert.equal(lines[2].error, 'malformed_request');
  assert.equal(lines[3].verdict, 'safe');
});

test('blank, too long and invalid UTF-8 text: both languages on stderr, nothing on stdout, exit 2', () => {
  for (const [args, input, vi] of [
    [[''], undefined, 'Hãy dán tin nhắn cần kiểm tra.'],
    [[], ' \n', 'Hãy dán tin nhắn cần kiểm tra.'],
    [[], 'a'.repeat(70_000), 'tối đa 64 KB'],
    [[], Buffer.from([0x63, 0xc3, 0x28]), 'không phải văn bản UTF-8'],
  ]) {
    const r = khien(args, input);
    assert.equal(r.status, 2, `${args} ${err(r)}`);  // the same code for every kind of bad input
    assert.equal(out(r), '');
    assert.match(err(r), new RegExp(`^Lỗi: .*${vi.replace(/[.]/g, '\\.')}`, 'm'));
    assert.match(err(r), /^Error: /m);
  }
});

test('a malformed rules folder is refused naming the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khien-rules-'));
  try {
    writeFileSync(join(dir, 'bad.toml'), [
      '[[rule]]', 'id = "t.x"', 'category = "scam"', "patterns = ['x']", 'weight = 1.0',
      'at_least = "maybe"', 'explanation_vi = "Giải thích"', 'explanation_en = "Why"', ''].join('\n'));
    const r = khien(['--rules', dir, SCAM]);
    assert.notEqual(r.status, 0);
    assert.equal(out(r), '');
    assert.match(err(r), /bad\.toml:6: .*at_least/);
    assert.match(err(r), /^Lỗi: /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
