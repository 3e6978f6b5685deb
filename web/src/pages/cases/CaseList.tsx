// /ca: her cases by survivor code (never a name), with status and risk, filtered by status
// or high risk. The server decides which cases she may list.
import { t, tOr } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { useSession } from '../../store';
import { canOpenCases } from './roles';
import { Problem, RiskBadge, StatusBadge, UnitName, formatDate, riskOf, useLoad } from './common';
import type { CaseSummary } from './types';

const STATUSES = ['open', 'closure_requested', 'closed'];

export function CaseRow({ c }: { c: CaseSummary }) {
  return (
    <li>
      <Link href={'/ca/' + encodeURIComponent(c.id)} class="case-row">
        <span class="case-code">
          {c.survivor_code}
        </span>
        <span class="case-badges">
          <StatusBadge status={c.status} />
          <RiskBadge level={riskOf(c)} />
        </span>
        <span class="unit-meta">
          <UnitName code={c.org_unit} /> · {formatDate(c.created_at)}
        </span>
      </Link>
    </li>
  );
}

export function CaseListPage() {
  const s = useSession();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const risk = query.get('risk') === 'high';
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (risk) params.set('risk', 'high');
  const qs = params.toString();
  const list = useLoad<{ items: CaseSummary[] }>('/cases' + (qs ? '?' + qs : ''));
  // An older server ignores ?risk=high; the flag on each item still filters.
  const items = (list.data?.items ?? []).filter((c) => !risk || riskOf(c) === 'high');

  const go = (next: { status?: string; risk?: boolean }) => {
    const p = new URLSearchParams();
    const st = next.status ?? status;
    const r = next.risk ?? risk;
    if (st) p.set('status', st);
    if (r) p.set('risk', 'high');
    const q = p.toString();
    navigate('/ca' + (q ? '?' + q : ''), true);
  };

  return (
    <section class="page cases">
      <div class="title-row">
        <h1>{t('cases.list_title')}</h1>
        {canOpenCases(s.user) && (
          <Link href="/ca/moi" class="btn primary">
            {t('cases.new')}
          </Link>
        )}
      </div>
      <div class="filters card">
        <label for="case-status">{t('cases.filter_status')}</label>
        <select id="case-status" value={status} onChange={(e) => go({ status: e.currentTarget.value })}>
          <option value="">{t('cases.filter_all')}</option>
          {STATUSES.map((x) => (
            <option key={x} value={x}>
              {tOr('cases.status.' + x, x)}
            </option>
          ))}
        </select>
        <label class="check-line">
          <input type="checkbox" checked={risk} onChange={(e) => go({ risk: e.currentTarget.checked })} />
          <span>{t('cases.filter_high_risk')}</span>
        </label>
      </div>
      <Problem error={list.error} />
      {list.loading && <p class="muted">{t('common.loading')}</p>}
      {list.data && items.length === 0 && <p class="card">{t('cases.list_empty')}</p>}
      {items.length > 0 && (
        <ul class="plain-list case-list">
          {items.map((c) => (
            <CaseRow key={c.id} c={c} />
          ))}
        </ul>
      )}
    </section>
  );
}
