// POST /api/v1/safety/check with bad or odd input (issue 4): blank text, text over 64 KB, a
// million repeated characters, invalid UTF-8, wrong types and shapes each get a problem with a
// stable code in the caller's language; binary noise and text without letters get an answer,
// not a made-up flag. Rules and the shipped model as `khien serve` loads them; SQLite only,
// since a check touches no table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Api, assertEnglish, assertProblem, assertVietnamese } from '../lib/api.mjs';
import { startApiServer } from '../lib/api_server.mjs';

describe('safety check: bad and odd input', () => {
  let srv;
  let api;
  before(async () => {
    // A rate limit high enough for every request below.
    srv = await startApiServer({ extraArgs: ['--checks-per-minute', '1000'] });
    api = new Api(srv.url);
  });
  after(async () => srv?.stop());

  const check = (body, o = {}) => api.post('/api/v1/safety/check', body, o);

  test('blank text is 400 invalid_input on "text", in Vietnamese by default and English on request', async () => {
    for (const text of ['', ' ', '\n\t  \r\n', '\u200b\ufeff']) {
      const vi = assertProblem(await check({ text }), 400, 'invalid_input', { field: 'text' });
      assert.equal(vi.detail, 'Hãy dán tin nhắn cần kiểm tra.');
      assertVietnamese(vi.detail);
      const en = assertProblem(await check({ text }, { lang: 'en' }), 400, 'invalid_input', { field: 'text' });
      assertEnglish(en.detail);
    }
  });

  test('text over 64 KB and a million repeated characters are 413 payload_too_large', async () => {
    assert.equal((await check({ text: 'a'.repeat(64 * 1024) })).status, 200);
    assertProblem(await check({ text: 'a'.repeat(64 * 1024 + 1) }), 413, 'payload_too_large', { field: 'text' });
    // 16,400 characters of four bytes each: the limit counts bytes, not characters.
    assertProblem(await check({ text: '😀'.repeat(16_400) }), 413, 'payload_too_large', { field: 'text' });
    const million = await check({ text: 'ạ'.repeat(1_000_000) });
    assert.equal(million.status, 413, million.text);
    assert.equal(million.json.code, 'payload_too_large');
    // The server still answers.
    assert.equal((await check({ text: 'Xin chào' })).status, 200);
  });

  test('invalid UTF-8 is 400 malformed_request and the detail quotes nothing', async () => {
    const body = Buffer.concat([Buffer.from('{"text":"chuyển tiền '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const p = assertProblem(await check(body), 400, 'malformed_request');
    assert.ok(!p.detail.includes('chuyển'), p.detail);
  });

  test('wrong types and shapes are 400 with the field named', async () => {
    for (const [body, field] of [
      [{ text: 5 }, 'text'],
      [{ text: ['a'] }, 'text'],
      [{ text: 'a', messages: [{ from: 'a', text: 'b' }] }, undefined],
      [{}, undefined],
      [{ messages: [] }, 'messages'],
      [{ messages: 'xin chào' }, 'messages'],
      [{ messages: [{ from: 'a' }] }, 'messages'],
      [{ text: 'a', extra: 1 }, undefined],
    ]) {
      const r = await check(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assertProblem(r, 400, r.json.code, field === undefined ? {} : { field });
      assert.ok(['invalid_input', 'malformed_request'].includes(r.json.code), r.json.code);
      assertVietnamese(r.json.detail);
    }
  });

  test('binary noise gets an answer with spans inside the text', async () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20; i++) {
      const chars = Array.from({ length: 1 + (next() % 400) }, () => String.fromCodePoint(1 + (next() % 0x2fff)));
      const text = 'x' + chars.join('');
      const r = await check({ text });
      assert.equal(r.status, 200, r.text);
      const length = Array.from(text).length;
      for (const reason of r.json.reasons) assert.ok(reason.start <= reason.end && reason.end <= length);
    }
  });

  test('text without letters is safe: the model does not guess from nothing', async () => {
    for (const text of ['.', '???', '1234', '👍', 'a']) {
      const r = await check({ text });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.verdict, 'safe', `${text}: ${JSON.stringify(r.json.scores)}`);
      assert.deepEqual(r.json.reasons, [], text);
    }
  });
});
