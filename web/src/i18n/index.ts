// Every user-visible string comes from vi.json / en.json. t() looks a key up in the current
// language, falls back to Vietnamese, then to the key itself (so a missing key is visible,
// and scripts/check-i18n.mjs catches it before a build).
import viBase from './vi.json';
import enBase from './en.json';
import viCases from './cases.vi.json';
import enCases from './cases.en.json';
import viReach from './reach.vi.json';
import enReach from './reach.en.json';
import { session } from '../store';
import type { Lang, Localised } from '../types';

type Dict = Record<string, string>;
// One file pair per area (base, cases, reach) so areas are edited independently; keys must
// not repeat across files (scripts/check-i18n.mjs checks).
const dicts: Record<Lang, Dict> = {
  vi: { ...(viBase as Dict), ...(viCases as Dict), ...(viReach as Dict) },
  en: { ...(enBase as Dict), ...(enCases as Dict), ...(enReach as Dict) },
};

export function t(key: string, params?: Record<string, string | number>): string {
  const lang = session().lang;
  let s = dicts[lang][key] ?? dicts.vi[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name: string) =>
      params[name] !== undefined ? String(params[name]) : m,
    );
  }
  return s;
}

// t() for keys built from data (role, level, kind names); falls back to the raw value.
export function tOr(key: string, fallback: string): string {
  const lang = session().lang;
  return dicts[lang][key] ?? dicts.vi[key] ?? fallback;
}

export function pick(text: Localised): string {
  return session().lang === 'en' ? text.en || text.vi : text.vi || text.en;
}
