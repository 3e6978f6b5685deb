// Writes .gz and .br siblings for the text files in dist/, which `khien serve` sends to
// browsers that accept them (it never compresses at request time).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const TEXT = /\.(js|css|html|svg|json|txt|webmanifest)$/;

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let count = 0;
for (const file of walk(dist)) {
  if (!TEXT.test(file)) continue;
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  // Only worth serving when it saves bytes.
  if (gz.length < raw.length) writeFileSync(file + '.gz', gz);
  if (br.length < raw.length) writeFileSync(file + '.br', br);
  count++;
}
console.log(`compressed ${count} files in dist/`);
