// Every user-visible string comes from vi.json / en.json. t() looks a key up in the current
// language, falls back to Vietnamese, then to the key itself (so a missing key is visible,
// and scripts/check-i18n.mjs catches it before a build).
import vi from './vi.json';
import en from './en.json';
import { session } from '../store';
import type { Lang, Localised } from '../types';

type Dict = Record<string, string>;
const dicts: Record<Lang, Dict> = { vi: vi as Dict, en: en as Dict };

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
