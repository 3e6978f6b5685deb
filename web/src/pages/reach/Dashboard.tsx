// The reach dashboard (/tiep-can): what a provincial leader reads at a glance. KPI tiles, reach
// over time, reach by place (each bar drills down province → commune → village → the
// activities behind it), by sex and ethnicity, progress against targets, a pivot table and
// exports with the same filters. Loaded on demand (dynamic import) to keep the first load small.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { Notice } from '../../components/Notice';
import { t, tOr } from '../../i18n';
import { canRecordReach } from '../../roles';
import { Link, navigate, useLocation } from '../../router';
import { session, useSession } from '../../store';
import type { OrgUnit } from '../../types';
import {
  AGE_GROUPS,
  ageName,
  ETHNIC_GROUPS,
  SEXES,
  fmt,
  groupName,
  type IndicatorRow,
  type IndicatorTable,
  sexName,
  todayVn,
  TOPICS,
  topicName,
  TYPES,
  typeName,
  decimal,
  useEthnicities,
  usePlaces,
  placeOption,
} from './shared';

type Metric = Exclude<keyof IndicatorRow, 'keys' | 'knowledge_gain'>;

const KPIS: Metric[] = [
  'sessions',
  'participations',
  'unique_people',
  'women',
  'minority_women',
  'children_under_16',
  'children_under_18',
];
const METRICS: Metric[] = [...KPIS, 'named_participations', 'tallied_participations'];
const PIVOT_DIMS = ['sex', 'age_group', 'ethnic_group', 'ethnicity', 'topic', 'type', 'month', 'quarter', 'year', 'commune', 'village', 'point'];
const CHILD_DIM: Record<string, string> = { '': 'commune', province: 'commune', commune: 'village', village: 'point' };

interface Filters {
  org: string;
  from: string;
  to: string;
  topic: string;
  type: string;
}

function qs(f: Partial<Filters> | Record<string, string>, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) q.set(k, v);
  return q.toString();
}

function useTable(f: Filters, by: string, skip = false) {
  const [table, setTable] = useState<IndicatorTable | null>(null);
  const [error, setError] = useState('');
  const key = qs(f, { by });
  useEffect(() => {
    if (skip) return undefined;
    let live = true;
    setError('');
    api<IndicatorTable>('GET', '/reach/indicators?' + key).then(
      (r) => live && setTable(r),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [key, skip]);
  return { table, error };
}

// Every month (or quarter) between from and to, so empty months show as empty bars.
function periods(from: string, to: string, quarterly: boolean): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while ((y < endY || (y === endY && m <= endM)) && out.length < 200) {
    const p = quarterly ? `${y}-Q${Math.floor((m - 1) / 3) + 1}` : `${y}-${String(m).padStart(2, '0')}`;
    if (out[out.length - 1] !== p) out.push(p);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

function monthLabel(p: string): string {
  const m = p.match(/^(\d{4})-(\d{2})$/);
  if (m) return `${m[2]}/${m[1]}`;
  const q = p.match(/^(\d{4})-?Q(\d)$/);
  return q ? t('reach.quarter_label', { q: q[2], year: q[1] }) : p;
}

// "10 N" / "10K": many narrow bars have no room for full numbers (the tooltip has them).
function compact(n: number): string {
  return new Intl.NumberFormat(session().lang === 'en' ? 'en' : 'vi-VN', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

function Kpis({ total }: { total: IndicatorRow }) {
  return (
    <ul class="reach-kpis" aria-label={t('reach.kpis')}>
      {KPIS.map((k) => (
        <li key={k} class="reach-kpi" data-kpi={k}>
          <span class="reach-kpi-value">{fmt(total[k])}</span>
          <span class="reach-kpi-label">{tOr('reach.m.' + k, k)}</span>
        </li>
      ))}
      <li class="reach-kpi" data-kpi="knowledge_gain">
        <span class="reach-kpi-value">
          {total.knowledge_gain === null ? '—' : (total.knowledge_gain > 0 ? '+' : '') + decimal(total.knowledge_gain)}
        </span>
        <span class="reach-kpi-label">{t('reach.m.knowledge_gain')}</span>
      </li>
    </ul>
  );
}

function TimeBars({ table, from, to }: { table: IndicatorTable; from: string; to: string }) {
  const dim = table.by[0];
  const byKey = new Map(table.rows.map((r) => [r.keys[dim], r.participations]));
  const keys = periods(from, to, dim === 'quarter');
  // The API may spell quarters "2025-Q1" or "2025Q1"; match on digits.
  const norm = (k: string) => k.replace(/[^0-9Q]/g, '');
  const values = new Map([...byKey].map(([k, v]) => [norm(k), v]));
  const max = Math.max(1, ...values.values());
  // On a phone not every period fits: start at the latest, scroll back for older ones.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollLeft = box.current.scrollWidth;
  }, [keys.length]);
  return (
    <div ref={box} class={keys.length > 12 ? 'reach-cols reach-cols-many' : 'reach-cols'} role="img" aria-label={t('reach.time_chart_label')}>
      {keys.map((k) => {
        const v = values.get(norm(k)) ?? 0;
        const h = (v / max) * 100;
        return (
          <div class="reach-col" key={k}>
            <span class="reach-col-val">{v ? (keys.length > 12 ? compact(v) : fmt(v)) : ''}</span>
            <svg viewBox="0 0 10 100" preserveAspectRatio="none" aria-hidden="true">
              <title>{`${monthLabel(k)}: ${fmt(v)}`}</title>
              <rect x="1" y={100 - h} width="8" height={h} />
            </svg>
            <span class="reach-col-lbl">{monthLabel(k)}</span>
          </div>
        );
      })}
    </div>
  );
}

function HBar({ value, max, kind }: { value: number; max: number; kind?: string }) {
  const w = max > 0 ? (value / max) * 100 : 0;
  return (
    <svg class={'reach-hbar' + (kind ? ' reach-hbar-' + kind : '')} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect width="100" height="10" class="reach-hbar-bg" />
      <rect width={w} height="10" />
    </svg>
  );
}

const TOP = 10;

function PlaceBars({ table, dim, f }: { table: IndicatorTable; dim: string; f: Filters }) {
  const [all, setAll] = useState(false);
  const rows = [...table.rows].sort((a, b) => b.participations - a.participations);
  const max = Math.max(1, ...rows.map((r) => r.participations));
  if (!rows.length) return <p class="muted">{t('reach.no_data')}</p>;
  return (
    <>
      <ol class="reach-bars" aria-label={tOr('reach.by_place_' + dim, dim)}>
        {rows.slice(0, all ? rows.length : TOP).map((r) => {
          const code = r.keys[dim];
          const name = code ? table.place_names[code] ?? code : t('reach.directly_here');
          return (
            <li key={code || '-'}>
              <div class="reach-bar-head">
                {code && dim !== 'point' ? (
                  <Link href={'/tiep-can?' + qs({ ...f, org: code })} class="reach-bar-name">
                    {name}
                  </Link>
                ) : (
                  <span class="reach-bar-name">{name}</span>
                )}
                <span class="reach-bar-num">{fmt(r.participations)}</span>
              </div>
              <HBar value={r.participations} max={max} />
              <span class="unit-meta">
                {t('reach.bar_meta', { sessions: fmt(r.sessions), people: fmt(r.unique_people), women: fmt(r.women) })}
                {code && (
                  <>
                    {' · '}
                    <Link href={'/hoat-dong?' + qs({ org: code, from: f.from, to: f.to, topic: f.topic, type: f.type, status: 'held' })}>
                      {t('reach.see_activities')}
                    </Link>
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ol>
      {rows.length > TOP && (
        <button type="button" class="btn small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('reach.show_top', { count: TOP }) : t('reach.show_all', { count: rows.length })}
        </button>
      )}
    </>
  );
}

function SexEthnic({ table }: { table: IndicatorTable }) {
  const cell = (s: string, g: string) =>
    table.rows.find((r) => r.keys.sex === s && r.keys.ethnic_group === g)?.participations ?? 0;
  const total = Math.max(1, table.total.participations);
  return (
    <div class="reach-scroll">
      <table class="reach-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{groupName('kinh')}</th>
            <th scope="col">{t('reach.minority_short')}</th>
            <th scope="col">{t('reach.share')}</th>
          </tr>
        </thead>
        <tbody>
          {['female', 'male'].map((s) => {
            const k = cell(s, 'kinh');
            const m = cell(s, 'minority');
            return (
              <tr key={s}>
                <th scope="row">{sexName(s)}</th>
                <td>{fmt(k)}</td>
                <td>{fmt(m)}</td>
                <td class="reach-share">
                  <HBar value={k + m} max={total} kind={s} />
                  <span>{Math.round(((k + m) / total) * 100)}%</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Ethnicities({ table, names }: { table: IndicatorTable; names: Map<string, string> }) {
  const rows = [...table.rows].sort((a, b) => b.participations - a.participations).slice(0, 10);
  const max = Math.max(1, ...rows.map((r) => r.participations));
  if (!rows.length) return <p class="muted">{t('reach.no_data')}</p>;
  return (
    <ol class="reach-bars">
      {rows.map((r) => (
        <li key={r.keys.ethnicity || '-'}>
          <div class="reach-bar-head">
            <span class="reach-bar-name">
              {r.keys.ethnicity ? names.get(r.keys.ethnicity) ?? r.keys.ethnicity : t('reach.counted_only')}
            </span>
            <span class="reach-bar-num">{fmt(r.participations)}</span>
          </div>
          <HBar value={r.participations} max={max} kind="eth" />
        </li>
      ))}
    </ol>
  );
}

function Targets({ table, canSet }: { table: IndicatorTable; canSet: boolean }) {
  return (
    <>
      {table.targets.length === 0 ? (
        <p class="muted">{t('reach.no_targets')}</p>
      ) : (
        <ul class="reach-targets">
          {[...table.targets].sort((a, b) => b.year - a.year).map((x) => {
            const pct = x.target > 0 ? Math.round((x.actual / x.target) * 100) : 0;
            return (
              <li key={x.indicator + x.year}>
                <div class="reach-bar-head">
                  <span class="reach-bar-name">
                    {tOr('reach.target.' + x.indicator, x.indicator)} · {x.year}
                  </span>
                  <span class="reach-bar-num">
                    {fmt(x.actual)} / {fmt(x.target)}
                  </span>
                </div>
                <div
                  class="reach-progress"
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.min(pct, 100)}
                  aria-label={tOr('reach.target.' + x.indicator, x.indicator)}
                >
                  <HBar value={Math.min(pct, 100)} max={100} kind={pct >= 100 ? 'done' : 'target'} />
                  <span>{pct}%</span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {canSet && (
        <p>
          <Link href={'/chi-tieu?org=' + encodeURIComponent(table.org_unit)}>{t('reach.set_targets')}</Link>
        </p>
      )}
    </>
  );
}

function dimLabel(dim: string, v: string, table: IndicatorTable, names: Map<string, string>): string {
  if (v === '') {
    // An empty place means the activity was held at the unit itself (no village or point chosen).
    if (dim === 'ethnicity') return t('reach.counted_only');
    return dim === 'village' || dim === 'point' || dim === 'commune' ? t('reach.directly_here') : '—';
  }
  switch (dim) {
    case 'sex':
      return sexName(v);
    case 'age_group':
      return ageName(v);
    case 'ethnic_group':
      return groupName(v);
    case 'ethnicity':
      return names.get(v) ?? v;
    case 'topic':
      return topicName(v);
    case 'type':
      return typeName(v);
    case 'month':
    case 'quarter':
      return monthLabel(v);
    case 'commune':
    case 'village':
    case 'point':
      return table.place_names[v] ?? v;
    default:
      return v;
  }
}

const ENUM_ORDER: Record<string, readonly string[]> = {
  sex: SEXES,
  age_group: AGE_GROUPS,
  ethnic_group: ETHNIC_GROUPS,
  topic: TOPICS,
  type: TYPES,
};

// Distinct keys in reading order: categories as the app lists them, periods in time order,
// places and ethnic groups by name.
function ordered(dim: string, keys: string[], table: IndicatorTable, names: Map<string, string>): string[] {
  const unique = [...new Set(keys)];
  const order = ENUM_ORDER[dim];
  if (order) return unique.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (dim === 'month' || dim === 'quarter' || dim === 'year') return unique.sort();
  const label = (k: string) => dimLabel(dim, k, table, names);
  return unique.sort((a, b) => label(a).localeCompare(label(b), 'vi'));
}

function Pivot({ f, names, defaultRow }: { f: Filters; names: Map<string, string>; defaultRow: string }) {
  const [rowDim, setRowDim] = useState(defaultRow);
  const [colDim, setColDim] = useState('sex');
  const [metric, setMetric] = useState<Metric>('participations');
  const by = colDim && colDim !== rowDim ? `${rowDim},${colDim}` : rowDim;
  const { table, error } = useTable(f, by);
  const dims = table?.by ?? [];
  const cols = table && dims[1] ? ordered(dims[1], table.rows.map((r) => r.keys[dims[1]]), table, names) : [];
  const rowKeys = table ? ordered(dims[0], table.rows.map((r) => r.keys[dims[0]]), table, names) : [];
  const value = (rk: string, ck?: string) =>
    table?.rows.find((r) => r.keys[dims[0]] === rk && (ck === undefined || r.keys[dims[1]] === ck))?.[metric] ?? 0;
  const exportQs = qs(f, { by });

  return (
    <div>
      <div class="reach-filter-grid">
        <label>
          {t('reach.pivot_rows')}
          <select value={rowDim} onChange={(e) => setRowDim(e.currentTarget.value)}>
            {PIVOT_DIMS.map((d) => (
              <option key={d} value={d}>
                {tOr('reach.dim.' + d, d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reach.pivot_cols')}
          <select value={colDim} onChange={(e) => setColDim(e.currentTarget.value)}>
            <option value="">{t('reach.none')}</option>
            {PIVOT_DIMS.filter((d) => d !== rowDim).map((d) => (
              <option key={d} value={d}>
                {tOr('reach.dim.' + d, d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reach.pivot_metric')}
          <select value={metric} onChange={(e) => setMetric(e.currentTarget.value as Metric)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {tOr('reach.m.' + m, m)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Notice kind="error">{error}</Notice>
      {table && (
        <div class="reach-scroll">
          <table class="reach-table reach-pivot">
            <thead>
              <tr>
                <th scope="col">{tOr('reach.dim.' + dims[0], dims[0])}</th>
                {dims[1] ? (
                  cols.map((c) => (
                    <th scope="col" key={c}>
                      {dimLabel(dims[1], c, table, names)}
                    </th>
                  ))
                ) : (
                  <th scope="col">{tOr('reach.m.' + metric, metric)}</th>
                )}
              </tr>
            </thead>
            <tbody>
              {rowKeys.map((rk) => (
                <tr key={rk}>
                  <th scope="row">{dimLabel(dims[0], rk, table, names)}</th>
                  {dims[1] ? cols.map((c) => <td key={c}>{fmt(value(rk, c))}</td>) : <td>{fmt(value(rk))}</td>}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('reach.total')}</th>
                <td colSpan={Math.max(1, cols.length)}>{fmt(table.total[metric])}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p class="hint">{t('reach.pivot_hint')}</p>
      <div class="toolbar">
        <a class="btn" href={'/api/v1/reach/export.xlsx?' + exportQs} download>
          {t('reach.export_xlsx')}
        </a>
        <a class="btn" href={'/api/v1/reach/export.csv?' + exportQs} download>
          {t('reach.export_csv')}
        </a>
        <a class="btn" href={'/api/v1/reach/export.xlsx?' + qs({ ...f, status: 'held' }, { kind: 'activities' })} download>
          {t('reach.export_register')}
        </a>
      </div>
    </div>
  );
}

export function DashboardPage() {
  const s = useSession();
  const { query } = useLocation();
  const names = new Map(useEthnicities().map((e) => [e.slug, e.name]));
  const year = todayVn().slice(0, 4);
  const f: Filters = {
    org: query.get('org') ?? '',
    from: query.get('from') ?? `${year}-01-01`,
    to: query.get('to') ?? todayVn(),
    topic: query.get('topic') ?? '',
    type: query.get('type') ?? '',
  };
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const { places } = usePlaces(s.user);
  const orgCode = f.org || s.user?.org_units[0]?.code || '';
  useEffect(() => {
    let live = true;
    if (!orgCode) {
      setUnit(null);
      return undefined;
    }
    api<OrgUnit>('GET', '/org-units/' + encodeURIComponent(orgCode)).then(
      (u) => live && setUnit(u),
      () => live && setUnit(null),
    );
    return () => {
      live = false;
    };
  }, [orgCode]);

  const months = periods(f.from, f.to, false).length;
  const time = useTable(f, months > 24 ? 'quarter' : 'month');
  const childDim = CHILD_DIM[unit?.level ?? (orgCode ? 'x' : '')] ?? '';
  const place = useTable(f, childDim, !childDim);
  const sexEth = useTable(f, 'sex,ethnic_group');
  const eth = useTable(f, 'ethnicity');
  const table = time.table;

  const set = (patch: Partial<Filters>) => navigate('/tiep-can?' + qs({ ...f, ...patch }), true);
  const preset = (from: string) => set({ from, to: todayVn() });
  const yearAgo = (() => {
    const d = new Date(Date.now() + 7 * 3600_000);
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    d.setUTCDate(1);
    return d.toISOString().slice(0, 10);
  })();

  const crumbs = unit ? [...unit.ancestors, { code: unit.code, name: unit.name, level: unit.level }] : [];

  return (
    <section class="page reach-page reach-dash">
      <nav aria-label={t('org.breadcrumbs')} class="crumbs">
        <ol>
          {crumbs.map((c, i) =>
            i === crumbs.length - 1 ? (
              <li key={c.code}>
                <span aria-current="page">{c.name}</span>
              </li>
            ) : (
              <li key={c.code}>
                <Link href={'/tiep-can?' + qs({ ...f, org: c.code })}>{c.name}</Link>
              </li>
            ),
          )}
        </ol>
      </nav>
      <h1>{t('reach.dashboard_title', { place: unit?.name ?? table?.org_name ?? '' })}</h1>
      <details class="card reach-filters">
        <summary>
          {t('reach.filters')}: {unit ? unit.name + ' · ' : ''}
          {f.from.split('-').reverse().join('/')} – {f.to.split('-').reverse().join('/')}
          {f.topic ? ' · ' + topicName(f.topic) : ''}
          {f.type ? ' · ' + typeName(f.type) : ''}
        </summary>
        <div class="toolbar reach-presets">
          <button type="button" class="btn small" onClick={() => preset(`${year}-01-01`)}>
            {t('reach.this_year')}
          </button>
          <button type="button" class="btn small" onClick={() => preset(yearAgo)}>
            {t('reach.last_12')}
          </button>
          <button type="button" class="btn small" onClick={() => preset('2021-01-01')}>
            {t('reach.since_2021')}
          </button>
        </div>
        <div class="reach-filter-grid">
          <label>
            {t('reach.place')}
            <select value={orgCode} onChange={(e) => set({ org: e.currentTarget.value })}>
              {unit && !places.some((p) => p.code === unit.code) && (
                <option value={unit.code}>{placeOption({ code: unit.code, name: unit.name, level: unit.level })}</option>
              )}
              {places.map((p) => (
                <option key={p.code} value={p.code}>
                  {placeOption(p)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reach.from')}
            <input type="date" min="2021-01-01" value={f.from} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} />
          </label>
          <label>
            {t('reach.to')}
            <input type="date" min="2021-01-01" value={f.to} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} />
          </label>
          <label>
            {t('reach.topic')}
            <select value={f.topic} onChange={(e) => set({ topic: e.currentTarget.value })}>
              <option value="">{t('reach.any')}</option>
              {TOPICS.map((x) => (
                <option key={x} value={x}>
                  {topicName(x)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reach.type')}
            <select value={f.type} onChange={(e) => set({ type: e.currentTarget.value })}>
              <option value="">{t('reach.any')}</option>
              {TYPES.map((x) => (
                <option key={x} value={x}>
                  {typeName(x)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </details>
      <Notice kind="error">{time.error}</Notice>
      {!table && !time.error && <p class="muted">{t('common.loading')}</p>}
      {table && (
        <>
          <Kpis total={table.total} />
          <p>
            <Link href={'/hoat-dong?' + qs({ org: table.org_unit, from: f.from, to: f.to, topic: f.topic, type: f.type, status: 'held' })}>
              {t('reach.see_all_activities', { count: fmt(table.total.sessions) })}
            </Link>
          </p>
          <div class="reach-grid">
            <section class="card reach-wide">
              <h2 class="h-small">{t(table.by[0] === 'quarter' ? 'reach.over_time_q' : 'reach.over_time')}</h2>
              <TimeBars table={table} from={f.from} to={f.to} />
            </section>
            {childDim && (
              <section class="card">
                <h2 class="h-small">{tOr('reach.by_place_' + childDim, childDim)}</h2>
                <Notice kind="error">{place.error}</Notice>
                {place.table && <PlaceBars table={place.table} dim={childDim} f={{ ...f, org: orgCode }} />}
              </section>
            )}
            <section class="card">
              <h2 class="h-small">{t('reach.targets_title')}</h2>
              <Targets table={table} canSet={canRecordReach(s.user)} />
            </section>
            <section class="card">
              <h2 class="h-small">{t('reach.by_sex_group')}</h2>
              <Notice kind="error">{sexEth.error}</Notice>
              {sexEth.table && <SexEthnic table={sexEth.table} />}
            </section>
            <section class="card">
              <h2 class="h-small">{t('reach.by_ethnicity')}</h2>
              <Notice kind="error">{eth.error}</Notice>
              {eth.table && <Ethnicities table={eth.table} names={names} />}
            </section>
            <section class="card reach-wide">
              <h2 class="h-small">{t('reach.pivot_title')}</h2>
              <Pivot f={{ ...f, org: orgCode }} names={names} defaultRow={childDim || 'topic'} key={childDim} />
            </section>
          </div>
          <p class="hint">{t('reach.definitions')}</p>
        </>
      )}
    </section>
  );
}
