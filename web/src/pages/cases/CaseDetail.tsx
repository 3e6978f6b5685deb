// /ca/:id — one case in sections: overview (survivor identity only when the server sends
// it), incidents with the classification wizard, consent, referrals, tasks, notes, risk and
// safety plan, access log, closure. A case she may not see answers 404; staff of the
// case's commune are offered "break the glass" with a reason.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { pick, t, tOr } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { useSession } from '../../store';
import {
  Problem,
  RiskBadge,
  StatusBadge,
  UnitName,
  coreTypeName,
  formatDate,
  formatDay,
  riskOf,
  useLoad,
  useVocabulary,
} from './common';
import {
  AccessLogSection,
  ConsentSection,
  NoteSection,
  ReferralSection,
  RiskSection,
  SafetyPlanSection,
  TaskSection,
  taskOverdue,
} from './CaseSections';
import { IncidentWizard } from './IncidentWizard';
import { canSupervise, mayBreakGlass } from './roles';
import type { CaseView, Vocabulary } from './types';

const ENC = encodeURIComponent;
const TABS = ['overview', 'incidents', 'consent', 'referrals', 'tasks', 'notes', 'risk', 'log'] as const;
type Tab = (typeof TABS)[number];
const FALLBACK_REASONS = ['needs_met', 'survivor_request', 'moved_away', 'transferred', 'unreachable', 'other'];

function reasonIds(v: Vocabulary | null): { id: string; label: string }[] {
  const raw = v?.closure_reasons ?? FALLBACK_REASONS;
  return raw.map((r) =>
    typeof r === 'string'
      ? { id: r, label: tOr('cases.closure_reason.' + r, r) }
      : { id: r.id, label: r.vi || r.en ? pick({ vi: r.vi ?? '', en: r.en ?? '' }) : tOr('cases.closure_reason.' + r.id, r.id) },
  );
}

function BreakGlass({ id, onDone }: { id: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api('POST', `/cases/${ENC(id)}/break-glass`, { reason: reason.normalize('NFC').trim() });
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form break-glass" onSubmit={submit} noValidate>
      <h2 class="h-small">{t('cases.glass_title')}</h2>
      <p>{t('cases.glass_body')}</p>
      <label for="glass-reason">{t('cases.glass_reason')}</label>
      <textarea id="glass-reason" rows={3} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <p class="hint">{t('cases.glass_hint')}</p>
      <Problem error={error} />
      <button type="submit" class="btn danger" disabled={busy || reason.trim().length < 10}>
        {t('cases.glass_submit')}
      </button>
    </form>
  );
}

function Closure({ c, vocabulary, reload }: { c: CaseView; vocabulary: Vocabulary | null; reload: () => void }) {
  const s = useSession();
  const reasons = reasonIds(vocabulary);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const supervisor = canSupervise(s.user);
  const worker = c.access === 'owner' || c.access === 'assigned';

  const post = async (path: string, body: unknown) => {
    setBusy(true);
    setError('');
    try {
      await api('POST', `/cases/${ENC(c.id)}/closure${path}`, body);
      setNote('');
      reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (c.status === 'closed') {
    return <p class="notice notice-ok">{t('cases.closure_closed')}</p>;
  }
  if (c.status === 'closure_requested') {
    return (
      <div class="closure">
        <p class="notice notice-ok" role="status">
          {t('cases.closure_waiting')}
          {c.closure?.reason ? ' — ' + (reasons.find((r) => r.id === c.closure!.reason)?.label ?? c.closure.reason) : ''}
        </p>
        {supervisor && (
          <div class="form">
            <label for="closure-note">{t('cases.closure_note')}</label>
            <input id="closure-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            <div class="toolbar">
              <button type="button" class="btn primary" disabled={busy} onClick={() => post('/approve', { note: note.trim() || undefined })}>
                {t('cases.closure_approve')}
              </button>
              <button type="button" class="btn danger" disabled={busy} onClick={() => post('/reject', { note: note.trim() || undefined })}>
                {t('cases.closure_reject')}
              </button>
            </div>
          </div>
        )}
        <Problem error={error} />
      </div>
    );
  }
  if (!worker) return null;
  return (
    <form
      class="form closure"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason) return setError(t('cases.closure_need_reason'));
        post('', { reason, note: note.trim() || undefined });
      }}
    >
      <label for="closure-reason">{t('cases.closure_reason_label')}</label>
      <select id="closure-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
        <option value="">{t('cases.choose')}</option>
        {reasons.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
      <label for="closure-note">{t('cases.closure_note')}</label>
      <input id="closure-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <Problem error={error} />
      <button type="submit" class="btn" disabled={busy}>
        {t('cases.closure_request')}
      </button>
    </form>
  );
}

function Overview({ c, vocabulary, reload }: { c: CaseView; vocabulary: Vocabulary | null; reload: () => void }) {
  const sv = c.survivor;
  const overdue = (c.tasks ?? []).filter(taskOverdue).length;
  return (
    <>
      {c.possible_duplicates.length > 0 && (
        <p class="notice notice-error" role="alert">
          {t('cases.duplicate_warning', { codes: c.possible_duplicates.join(', ') })}
        </p>
      )}
      {c.access === 'break_glass' && <p class="notice notice-error">{t('cases.glass_active')}</p>}
      <dl class="facts">
        {sv && (
          <>
            <dt>{t('cases.survivor_name')}</dt>
            <dd>{sv.name || '—'}</dd>
            <dt>{t('cases.survivor_phone')}</dt>
            <dd>{sv.phone || '—'}</dd>
            <dt>{t('cases.survivor_address')}</dt>
            <dd>{sv.address || '—'}</dd>
            {sv.reporter_contact && (
              <>
                <dt>{t('cases.reporter_contact')}</dt>
                <dd>{sv.reporter_contact}</dd>
              </>
            )}
          </>
        )}
        <dt>{t('cases.sex')}</dt>
        <dd>{tOr('cases.sex_' + c.sex, c.sex)}</dd>
        <dt>{t('cases.birth_year')}</dt>
        <dd>{c.birth_year ?? '—'}</dd>
        <dt>{t('cases.ethnicity')}</dt>
        <dd>{c.ethnicity ?? '—'}</dd>
        <dt>{t('cases.disability')}</dt>
        <dd>{c.disability ? t('cases.yes') : t('cases.no')}</dd>
        <dt>{t('cases.place')}</dt>
        <dd>
          <UnitName code={c.org_unit} />
        </dd>
        <dt>{t('cases.opened')}</dt>
        <dd>{formatDate(c.created_at)}</dd>
        <dt>{t('cases.access')}</dt>
        <dd>{tOr('cases.access_' + c.access, c.access)}</dd>
      </dl>
      {!sv && <p class="hint">{t('cases.identity_hidden')}</p>}
      {overdue > 0 && <p class="notice notice-error">{t('cases.overdue_count', { n: overdue })}</p>}
      {c.incidents.length > 0 && (
        <p>
          {t('cases.latest_incident')} <strong>{coreTypeName(vocabulary, c.incidents[c.incidents.length - 1].core_type)}</strong>
        </p>
      )}
      <h3 class="h-small">{t('cases.closure_title')}</h3>
      <Closure c={c} vocabulary={vocabulary} reload={reload} />
    </>
  );
}

function Incidents({ c, vocabulary, reload }: { c: CaseView; vocabulary: Vocabulary | null; reload: () => void }) {
  const [adding, setAdding] = useState(false);
  const receiver = c.access === 'referral';
  return (
    <>
      {c.incidents.length === 0 && !adding && <p class="muted">{t('cases.incidents_none')}</p>}
      <ul class="plain-list">
        {c.incidents.map((i) => (
          <li key={i.id} class="item-row incident">
            <p class="item-head">
              <strong>{coreTypeName(vocabulary, i.core_type)}</strong>
              <span class="muted">{formatDay(i.occurred_on)}</span>
            </p>
            <p class="unit-meta">
              {i.place_type ? tOr('cases.place.' + i.place_type, i.place_type) + ' · ' : ''}
              {i.survivor_age !== null ? t('cases.age_at', { age: i.survivor_age }) : ''}
              {i.child_under_16 ? ' · ' + t('cases.child_16') : i.child_under_18 ? ' · ' + t('cases.child_18') : ''}
            </p>
            {(i.context_flags.length > 0 || i.dv_acts.length > 0) && (
              <p>
                {i.context_flags.map((f) => (
                  <span class="tag" key={f}>
                    {tOr('cases.ctx.' + f, f)}
                  </span>
                ))}
                {i.dv_acts.map((a) => (
                  <span class="tag" key={a}>
                    {t('cases.dv_act_tag', { id: a === 'dd' ? 'đ' : a })}
                  </span>
                ))}
              </p>
            )}
            {i.perpetrator.relationship && (
              <p class="unit-meta">
                {t('cases.perpetrator')}: {tOr('cases.rel.' + i.perpetrator.relationship, i.perpetrator.relationship)}
                {i.perpetrator.sex ? ', ' + tOr('cases.sex_' + i.perpetrator.sex, i.perpetrator.sex) : ''}
                {i.perpetrator.age_group && i.perpetrator.age_group !== 'unknown' ? ', ' + i.perpetrator.age_group : ''}
              </p>
            )}
          </li>
        ))}
      </ul>
      {adding && vocabulary ? (
        <IncidentWizard
          caseId={c.id}
          vocabulary={vocabulary}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            reload();
          }}
        />
      ) : (
        !receiver &&
        c.status !== 'closed' && (
          <button type="button" class="btn primary" disabled={!vocabulary} onClick={() => setAdding(true)}>
            {t('cases.incident_add')}
          </button>
        )
      )}
    </>
  );
}

export function CaseDetailPage({ id }: { id: string }) {
  const s = useSession();
  const { query } = useLocation();
  const tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'overview';
  const c = useLoad<CaseView>('/cases/' + ENC(id));
  const vocabulary = useVocabulary();
  const setTab = (x: Tab) => navigate(`/ca/${ENC(id)}${x === 'overview' ? '' : '?tab=' + x}`, true);

  if (c.error) {
    return (
      <section class="page narrow">
        <h1>{t('cases.case')}</h1>
        <Problem error={c.error} />
        {c.error.status === 404 && mayBreakGlass(s.user) && <BreakGlass id={id} onDone={c.reload} />}
        <Link href="/ca" class="btn">
          {t('cases.back_to_list')}
        </Link>
      </section>
    );
  }
  if (!c.data) return <p class="muted page">{t('common.loading')}</p>;
  const v = c.data;
  const receiver = v.access === 'referral';
  const tabs = TABS.filter((x) => !receiver || x === 'overview' || x === 'referrals' || x === 'incidents');

  return (
    <section class="page case-page">
      <p class="crumb-line">
        <Link href={receiver ? '/chuyen-den' : '/ca'}>{receiver ? t('cases.incoming_title') : t('cases.list_title')}</Link>
      </p>
      <h1 class="case-h1">
        <span>{v.survivor_code}</span> <StatusBadge status={v.status} /> <RiskBadge level={riskOf(v)} />
      </h1>
      <nav class="tabs" aria-label={t('cases.sections')}>
        {tabs.map((x) => (
          <button
            key={x}
            type="button"
            class="tab"
            aria-current={tab === x ? 'page' : undefined}
            onClick={() => setTab(x)}
          >
            {tOr('cases.tab_' + x, x)}
          </button>
        ))}
      </nav>
      <div class="card case-section">
        <h2 class="h-small">{tOr('cases.tab_' + tab, tab)}</h2>
        {tab === 'overview' && <Overview c={v} vocabulary={vocabulary} reload={c.reload} />}
        {tab === 'incidents' && <Incidents c={v} vocabulary={vocabulary} reload={c.reload} />}
        {tab === 'consent' && <ConsentSection c={v} reload={c.reload} />}
        {tab === 'referrals' && <ReferralSection c={v} reload={c.reload} />}
        {tab === 'tasks' && <TaskSection c={v} reload={c.reload} />}
        {tab === 'notes' && <NoteSection c={v} reload={c.reload} />}
        {tab === 'risk' && (
          <>
            <RiskSection key={'r' + v.updated_at} c={v} vocabulary={vocabulary} reload={c.reload} />
            <h3 class="h-small">{t('cases.plan_title')}</h3>
            <SafetyPlanSection c={v} reload={c.reload} />
          </>
        )}
        {tab === 'log' && <AccessLogSection c={v} />}
      </div>
    </section>
  );
}
