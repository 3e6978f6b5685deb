// Prints the gzipped size of the JS and CSS that index.html loads, and fails above the
// 150 KB first-load budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(dist + 'index.html', 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html) || /<style|\sstyle=/i.test(html)) {
  console.error('index.html has inline script or style (CSP forbids it)');
  process.exit(1);
}
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = 0;
for (const a of assets) {
  const gz = gzipSync(readFileSync(dist + a), { level: 9 }).length;
  total += gz;
  console.log(`${a}\t${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log(`first load JS+CSS: ${(total / 1024).toFixed(1)} KB gzip (budget 150 KB)`);
if (total > 150 * 1024) process.exit(1);
