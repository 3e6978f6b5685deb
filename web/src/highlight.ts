// Splits a text into pieces at the reason spans. Offsets are CODE POINTS (the API counts
// characters, not UTF-16 units), so the text is handled as an array of code points.

export interface Piece {
  text: string;
  ids: number[]; // indexes of the spans covering this piece; empty = plain text
}

export function splitBySpans(text: string, spans: { start: number; end: number }[]): Piece[] {
  const cps = Array.from(text);
  const n = cps.length;
  const cuts = new Set<number>([0, n]);
  const valid = spans.map((s) => {
    const start = Math.max(0, Math.min(n, Math.floor(s.start)));
    const end = Math.max(start, Math.min(n, Math.floor(s.end)));
    cuts.add(start);
    cuts.add(end);
    return { start, end };
  });
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    const ids: number[] = [];
    valid.forEach((s, idx) => {
      if (s.start <= a && s.end >= b && s.end > s.start) ids.push(idx);
    });
    const piece = cps.slice(a, b).join('');
    const last = pieces[pieces.length - 1];
    if (last && sameIds(last.ids, ids)) last.text += piece;
    else pieces.push({ text: piece, ids });
  }
  return pieces;
}

export function sliceCodePoints(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

function sameIds(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
