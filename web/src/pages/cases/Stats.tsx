// /thong-ke-ca: anonymous case statistics for province and commune officers — place,
// period and dimension; cells under 5 arrive as "<5" below province level and are shown as
// sent. The XLSX link asks the server for the same query.
import { useState } from 'preact/hooks';
import { t, tOr } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../store';
import { useOrgSearch } from '../../hooks';
import { UnitLabel } from '../../components/UnitLabel';
import { Problem, UnitName, coreTypeName, useLoad, useVocabulary } from './common';
import type { StatsResult } from './types';

const DIMENSIONS = ['core_type', 'sex', 'age_group', 'ethnicity', 'commune', 'context', 'referral_status'];

function PlaceSearch({ onPick }: { onPick: (code: string) => void }) {
  const [q, setQ] = useState('');
  const { items } = useOrgSearch(q, 250, 8);
  const places = items.filter((u) => u.level === 'province' || u.level === 'commune');
  return (
    <div class="picker">
      <input
        id="stats-place-search"
        type="search"
        autocomplete="off"
        placeholder={t('cases.stats_place_placeholder')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      {places.length > 0 && (
        <ul class="picker-results">
          {places.map((u) => (
            <li key={u.code}>
              <button
                type="button"
                class="result-btn"
                onClick={() => {
                  onPick(u.code);
                  setQ('');
                }}
              >
                <UnitLabel unit={u} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CellKey({ by, k }: { by: string; k: string }) {
  const vocabulary = useVocabulary();
  if (k === '' || k === 'unknown') return <>{t('cases.not_known')}</>;
  switch (by) {
    case 'core_type':
      return <>{coreTypeName(vocabulary, k)}</>;
    case 'sex':
      return <>{tOr('cases.sex_' + k, k)}</>;
    case 'context':
      return <>{tOr('cases.ctx.' + k, k)}</>;
    case 'referral_status':
      return <>{tOr('cases.referral_status.' + k, k)}</>;
    case 'commune':
      return <UnitName code={k} />;
    default:
      return <>{k}</>;
  }
}

export function StatsPage() {
  const s = useSession();
  const { query } = useLocation();
  const own = s.user?.org_units[0]?.code ?? '';
  const org = query.get('org') ?? own;
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const by = query.get('by') ?? 'core_type';
  const params = new URLSearchParams({ org, by });
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  const qs = params.toString();
  const stats = useLoad<StatsResult>(org ? '/cases/stats?' + qs : null);

  const go = (patch: Record<string, string>) => {
    const p = new URLSearchParams({ org, by, from, to, ...patch });
    for (const k of ['from', 'to']) if (!p.get(k)) p.delete(k);
    navigate('/thong-ke-ca?' + p.toString(), true);
  };

  return (
    <section class="page stats">
      <h1>{t('cases.stats_title')}</h1>
      <p class="muted">{t('cases.stats_intro')}</p>
      <div class="card form filters">
        <label for="stats-place-search">{t('cases.stats_place')}</label>
        <p class="chosen-place-name">
          <UnitName code={org} />
        </p>
        <PlaceSearch onPick={(code) => go({ org: code })} />
        <div class="two-col">
          <div>
            <label for="stats-from">{t('cases.stats_from')}</label>
            <input id="stats-from" type="date" value={from} onChange={(e) => go({ from: e.currentTarget.value })} />
          </div>
          <div>
            <label for="stats-to">{t('cases.stats_to')}</label>
            <input id="stats-to" type="date" value={to} onChange={(e) => go({ to: e.currentTarget.value })} />
          </div>
        </div>
        <label for="stats-by">{t('cases.stats_by')}</label>
        <select id="stats-by" value={by} onChange={(e) => go({ by: e.currentTarget.value })}>
          {DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              {tOr('cases.stats_by_' + d, d)}
            </option>
          ))}
        </select>
      </div>
      <Problem error={stats.error} />
      {stats.loading && !stats.data && <p class="muted">{t('common.loading')}</p>}
      {stats.data && (
        <div class="card">
          <table class="stats-table">
            <caption>
              {tOr('cases.stats_by_' + stats.data.by, stats.data.by)} — <UnitName code={stats.data.org} />
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.stats_group')}</th>
                <th scope="col" class="num">
                  {t('cases.stats_count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.data.cells.length === 0 && (
                <tr>
                  <td colSpan={2} class="muted">
                    {t('cases.stats_empty')}
                  </td>
                </tr>
              )}
              {stats.data.cells.map((c) => (
                <tr key={c.key}>
                  <th scope="row">
                    <CellKey by={stats.data!.by} k={c.key} />
                  </th>
                  <td class="num">{String(c.count)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('cases.stats_total')}</th>
                <td class="num stats-total">{String(stats.data.total)}</td>
              </tr>
            </tfoot>
          </table>
          {stats.data.suppression_applied && <p class="hint">{t('cases.stats_suppressed')}</p>}
          <p class="hint">{t('cases.stats_consent_only')}</p>
          <a class="btn" href={'/api/v1/cases/stats.xlsx?' + qs} download>
            {t('cases.stats_export')}
          </a>
        </div>
      )}
    </section>
  );
}
