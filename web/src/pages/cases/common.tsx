// Pieces shared by the case pages: the quick-exit button of the public report pages, a
// loader hook, the vocabulary (fetched once), place names, badges and date formatting.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../../api';
import { pick, t, tOr } from '../../i18n';
import { session } from '../../store';
import type { OrgUnit } from '../../types';
import type { Vocabulary } from './types';

// Where "Thoát nhanh" goes: a neutral page that looks like an ordinary search.
export const NEUTRAL_SITE = 'https://www.google.com/search?q=thoi+tiet';

// Leaves for the neutral site with location.replace(), so the report page is not left in the
// history behind it; `clear` empties the form state first.
export function quickExit(clear?: () => void): void {
  clear?.();
  try {
    sessionStorage.clear();
  } catch {
    // Storage may be disabled; nothing of ours is in it anyway.
  }
  document.title = '';
  location.replace(NEUTRAL_SITE);
}

// The button plus the keyboard shortcut: Esc three times within two seconds.
export function QuickExit({ clear }: { clear?: () => void }) {
  const clearRef = useRef(clear);
  clearRef.current = clear;
  useEffect(() => {
    let presses: number[] = [];
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const now = Date.now();
      presses = [...presses.filter((p) => now - p < 2000), now];
      if (presses.length >= 3) quickExit(clearRef.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="quick-exit-bar">
      <button type="button" class="quick-exit" onClick={() => quickExit(clearRef.current)}>
        <span aria-hidden="true">✕ </span>
        {t('report.quick_exit')}
      </button>
      <span class="quick-exit-hint">{t('report.quick_exit_hint')}</span>
    </div>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
}

// GETs `path` (null: nothing to load) and keeps the answer; reload() asks again.
export function useLoad<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return undefined;
    let live = true;
    setLoading(true);
    api<T>('GET', path).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setData(null);
        setError(e instanceof ApiError ? e : new ApiError(0, 'error', errorText(e)));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [path, n]);
  return { data, error, loading, reload: () => setN((x) => x + 1), set: setData };
}

let vocabulary: Promise<Vocabulary> | null = null;

export function useVocabulary(): Vocabulary | null {
  const [v, setV] = useState<Vocabulary | null>(null);
  useEffect(() => {
    if (!vocabulary) {
      vocabulary = api<Vocabulary>('GET', '/cases/vocabulary');
      vocabulary.catch(() => {
        vocabulary = null;
      });
    }
    let live = true;
    vocabulary.then(
      (x) => live && setV(x),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return v;
}

const unitNames = new Map<string, Promise<string>>();

// The name of an org unit by code ("Đắk Liêng"); the code itself until it is known.
export function useUnitName(code: string | null | undefined): string {
  const [name, setName] = useState(code ?? '');
  useEffect(() => {
    if (!code) return undefined;
    let p = unitNames.get(code);
    if (!p) {
      p = api<OrgUnit>('GET', '/org-units/' + encodeURIComponent(code)).then(
        (u) => u.name,
        () => code,
      );
      unitNames.set(code, p);
    }
    let live = true;
    p.then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [code]);
  return name;
}

export function UnitName({ code }: { code: string | null | undefined }) {
  const name = useUnitName(code);
  return <>{code ? name : t('report.place_unknown')}</>;
}

export function formatDate(ms: number | null | undefined): string {
  if (!ms) return '';
  const locale = session().lang === 'en' ? 'en-GB' : 'vi-VN';
  return new Date(ms).toLocaleDateString(locale, { timeZone: 'Asia/Ho_Chi_Minh' });
}

export function formatDateTime(ms: number | null | undefined): string {
  if (!ms) return '';
  const locale = session().lang === 'en' ? 'en-GB' : 'vi-VN';
  return new Date(ms).toLocaleString(locale, {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

// A YYYY-MM-DD date as people write it here (29/11/2026); anything else as it is.
export function formatDay(iso: string | null | undefined): string {
  const m = iso?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}

// Today in Việt Nam as YYYY-MM-DD (dates of incidents and tasks are local dates).
export function today(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
}

export function statusName(status: string): string {
  return tOr('cases.status.' + status, status);
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={'badge case-status status-' + status}>{statusName(status)}</span>;
}

// Risk from the checklist level when the server sends one, else the high-risk flag.
export function riskOf(c: { high_risk: boolean; risk_level?: string | null; risk?: { level: string } | null }): string | null {
  const level = c.risk_level ?? c.risk?.level ?? null;
  if (level) return level;
  return c.high_risk ? 'high' : null;
}

export function RiskBadge({ level }: { level: string | null }) {
  if (!level) return null;
  return <span class={'badge risk risk-' + level}>{tOr('cases.risk.level_' + level, level)}</span>;
}

// A label from the server's vocabulary in the current language.
export function coreTypeName(v: Vocabulary | null, id: string): string {
  const key = tOr('cases.core.' + id, '');
  if (key) return key;
  const c = v?.core_types.find((x) => x.id === id);
  return c ? pick({ vi: c.question_vi, en: c.question_en }) : id;
}

export function Problem({ error }: { error: ApiError | null | string }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {typeof error === 'string' ? error : error.detail}
    </p>
  );
}
