// The sections of a case page below the overview: consent, referrals, tasks, notes, risk and
// safety plan, access log. Each section writes through the API and hands the caller a
// reload(); none keeps case data of its own beyond its form fields.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { pick, t, tOr } from '../../i18n';
import { useSession } from '../../store';
import type { OrgUnit } from '../../types';
import { Link } from '../../router';
import { Problem, RiskBadge, UnitName, formatDate, formatDateTime, formatDay, today, useLoad } from './common';
import { canSupervise } from './roles';
import type { AccessLogEntry, CaseView, Consent, Referral, SafetyPlan, Task, Vocabulary } from './types';

type Reload = () => void;

const ENC = encodeURIComponent;

// The latest consent for a purpose (and provider); absent means not given.
export function consentOf(c: CaseView, purpose: string, provider: string | null = null): boolean {
  const found = c.consents.filter((x) => x.purpose === purpose && (x.provider ?? null) === provider);
  return found.length > 0 && found[found.length - 1].granted;
}

function useWrite(reload: Reload) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError('');
    try {
      await fn();
      reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

const GENERAL_PURPOSES = ['services', 'statistics', 'share_identity'];

export function ConsentSection({ c, reload }: { c: CaseView; reload: Reload }) {
  const w = useWrite(reload);
  // What she just ticked shows at once; a refused write puts the box back.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const shown = (purpose: string, provider: string | null = null) =>
    pending[purpose + '|' + (provider ?? '')] ?? consentOf(c, purpose, provider);
  const set = async (purpose: string, granted: boolean, provider?: string) => {
    const key = purpose + '|' + (provider ?? '');
    setPending((p) => ({ ...p, [key]: granted }));
    const ok = await w.run(() =>
      api<{ items: Consent[] }>('POST', `/cases/${ENC(c.id)}/consents`, { purpose, provider, granted }),
    );
    if (!ok) {
      setPending((p) => {
        const next = { ...p };
        delete next[key];
        return next;
      });
    }
  };
  const providers = [...new Set(c.consents.filter((x) => x.purpose === 'referral' && x.provider).map((x) => x.provider!))];
  return (
    <div>
      <p class="hint">{t('cases.consent_intro')}</p>
      <ul class="plain-list">
        {GENERAL_PURPOSES.map((p) => (
          <li key={p}>
            <label class="check-line switch-line">
              <input
                type="checkbox"
                disabled={w.busy}
                checked={shown(p)}
                onChange={(e) => set(p, e.currentTarget.checked)}
              />
              <span>{tOr('cases.consent_' + p, p)}</span>
            </label>
          </li>
        ))}
        {providers.map((p) => (
          <li key={p}>
            <label class="check-line switch-line">
              <input
                type="checkbox"
                disabled={w.busy}
                checked={shown('referral', p)}
                onChange={(e) => set('referral', e.currentTarget.checked, p)}
              />
              <span>
                {t('cases.consent_referral_to')} <UnitName code={p} />
              </span>
            </label>
          </li>
        ))}
      </ul>
      <Problem error={w.error} />
    </div>
  );
}

const SERVICES = ['shelter', 'police', 'health', 'legal_aid', 'psychosocial', 'hotline_111', 'peoples_committee'];

// Providers under the case's commune: its trusted-address points first, then the commune
// itself (police, health and the People's Committee are addressed to the commune).
function useProviders(orgCode: string): OrgUnit[] {
  const [list, setList] = useState<OrgUnit[]>([]);
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const unit = await api<OrgUnit>('GET', '/org-units/' + ENC(orgCode));
        const commune = unit.level === 'commune' ? unit : null;
        const communeCode = commune?.code ?? unit.ancestors.find((a) => a.level === 'commune')?.code;
        if (!communeCode) return;
        const points = await api<{ items: OrgUnit[] }>(
          'GET',
          `/org-units?within=${ENC(communeCode)}&level=point&limit=200`,
        );
        const self = commune ?? (await api<OrgUnit>('GET', '/org-units/' + ENC(communeCode)));
        const trusted = points.items.filter((p) => p.kind === 'trusted_address');
        if (live) setList([...trusted, self]);
      } catch {
        if (live) setList([]);
      }
    })();
    return () => {
      live = false;
    };
  }, [orgCode]);
  return list;
}

export function ReferralActions({ r, reload }: { r: Referral; reload: Reload }) {
  const w = useWrite(reload);
  const step = (action: string) => w.run(() => api('POST', `/referrals/${ENC(r.id)}/${action}`));
  return (
    <div>
      <div class="toolbar">
        {r.status === 'sent' && (
          <>
            <button type="button" class="btn primary" disabled={w.busy} onClick={() => step('accept')}>
              {t('cases.referral_accept')}
            </button>
            <button type="button" class="btn danger" disabled={w.busy} onClick={() => step('decline')}>
              {t('cases.referral_decline')}
            </button>
          </>
        )}
        {r.status === 'accepted' && (
          <button type="button" class="btn primary" disabled={w.busy} onClick={() => step('complete')}>
            {t('cases.referral_complete')}
          </button>
        )}
      </div>
      <Problem error={w.error} />
    </div>
  );
}

export function ReferralItem({ r, children }: { r: Referral; children?: ComponentChildren }) {
  return (
    <li class="item-row">
      <p class="item-head">
        <strong>{tOr('cases.service.' + r.service, r.service)}</strong>
        <span class={'badge ref-status ref-' + r.status}>{tOr('cases.referral_status.' + r.status, r.status)}</span>
      </p>
      <p class="unit-meta">
        <UnitName code={r.provider} /> · {formatDate(r.created_at)}
        {r.share_identity ? ' · ' + t('cases.referral_shares_identity') : ''}
        {r.consent_overridden ? ' · ' + t('cases.referral_overridden') : ''}
      </p>
      {children}
    </li>
  );
}

export function ReferralSection({ c, reload }: { c: CaseView; reload: Reload }) {
  const s = useSession();
  const providers = useProviders(c.org_unit);
  const [provider, setProvider] = useState('');
  const [service, setService] = useState('shelter');
  const [consent, setConsent] = useState(false);
  const [share, setShare] = useState(false);
  const [override, setOverride] = useState('');
  const w = useWrite(reload);
  const receiver = s.user?.role === 'trusted_address';
  const supervisor = canSupervise(s.user);
  const chosen = provider || providers[0]?.code || '';
  const hasConsent = chosen ? consentOf(c, 'referral', chosen) : false;

  const send = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    await w.run(async () => {
      // Ticking the box records her consent for this provider before the referral.
      if (consent && !hasConsent) {
        await api('POST', `/cases/${ENC(c.id)}/consents`, { purpose: 'referral', provider: chosen, granted: true });
      }
      await api('POST', `/cases/${ENC(c.id)}/referrals`, {
        provider: chosen,
        service,
        share_identity: share,
        override_reason: override.trim() || undefined,
      });
      setConsent(false);
      setOverride('');
    });
  };

  return (
    <div>
      {c.referrals.length === 0 && <p class="muted">{t('cases.referrals_none')}</p>}
      <ul class="plain-list">
        {c.referrals.map((r) => (
          <ReferralItem key={r.id} r={r}>
            {receiver && <ReferralActions r={r} reload={reload} />}
          </ReferralItem>
        ))}
      </ul>
      {!receiver && c.status !== 'closed' && (
        <form class="form sub-form" onSubmit={send} noValidate>
          <h3 class="h-small">{t('cases.referral_new')}</h3>
          <label for="ref-provider">{t('cases.referral_provider')}</label>
          <select id="ref-provider" value={chosen} onChange={(e) => setProvider(e.currentTarget.value)}>
            {providers.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
                {p.kind ? ' — ' + tOr('kind.' + p.kind, p.kind) : ''}
              </option>
            ))}
          </select>
          <label for="ref-service">{t('cases.referral_service')}</label>
          <select id="ref-service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
            {SERVICES.map((x) => (
              <option key={x} value={x}>
                {tOr('cases.service.' + x, x)}
              </option>
            ))}
          </select>
          {hasConsent ? (
            <p class="notice notice-ok">{t('cases.referral_has_consent')}</p>
          ) : (
            <label class="check-line">
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
              <span>{t('cases.referral_consent')}</span>
            </label>
          )}
          <label class="check-line">
            <input type="checkbox" checked={share} onChange={(e) => setShare(e.currentTarget.checked)} />
            <span>{t('cases.referral_share_identity')}</span>
          </label>
          {supervisor && !hasConsent && !consent && (
            <>
              <label for="ref-override">{t('cases.referral_override')}</label>
              <input id="ref-override" maxLength={500} value={override} onInput={(e) => setOverride(e.currentTarget.value)} />
              <p class="hint">{t('cases.referral_override_hint')}</p>
            </>
          )}
          <Problem error={w.error} />
          <button type="submit" class="btn primary" disabled={w.busy || !chosen}>
            {t('cases.referral_send')}
          </button>
        </form>
      )}
    </div>
  );
}

export function taskDone(task: Task): boolean {
  return !!(task.done ?? (task.status === 'done' || task.done_at));
}

export function taskOverdue(task: Task): boolean {
  if (taskDone(task)) return false;
  return task.overdue ?? (!!task.due && task.due < today());
}

export function TaskItem({ task, reload, showCase }: { task: Task; reload: Reload; showCase?: boolean }) {
  const w = useWrite(reload);
  const done = taskDone(task);
  return (
    <li class={'item-row task' + (done ? ' done' : '')}>
      <p class="item-head">
        <span class="task-title">{task.title}</span>
        {taskOverdue(task) && <span class="badge overdue">{t('cases.task_overdue')}</span>}
        {done && <span class="badge">{t('cases.task_done')}</span>}
      </p>
      <p class="unit-meta">
        {showCase && task.survivor_code && task.case_id && (
          <>
            <Link href={'/ca/' + ENC(task.case_id) + '?tab=tasks'}>{task.survivor_code}</Link>
            {' · '}
          </>
        )}
        {task.due ? t('cases.task_due', { date: formatDay(task.due) }) : t('cases.task_no_due')}
      </p>
      {!done && (
        <button
          type="button"
          class="btn small"
          disabled={w.busy}
          onClick={() => w.run(() => api('POST', `/tasks/${ENC(task.id)}/done`))}
        >
          {t('cases.task_mark_done')}
        </button>
      )}
      <Problem error={w.error} />
    </li>
  );
}

// A Vietnam date `n` days from today (YYYY-MM-DD), the default due date of a new task.
function inDays(n: number): string {
  const d = new Date(today() + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function TaskSection({ c, reload }: { c: CaseView; reload: Reload }) {
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(inDays(7));
  const w = useWrite(reload);
  const tasks = c.tasks ?? [];
  const add = async (e: Event) => {
    e.preventDefault();
    if (!title.trim() || !due) return;
    const ok = await w.run(() =>
      api('POST', `/cases/${ENC(c.id)}/tasks`, { title: title.normalize('NFC').trim(), due }),
    );
    if (ok) {
      setTitle('');
      setDue(inDays(7));
    }
  };
  return (
    <div>
      {c.tasks === undefined && <p class="muted">{t('cases.not_available')}</p>}
      {tasks.length === 0 && c.tasks !== undefined && <p class="muted">{t('cases.tasks_none')}</p>}
      <ul class="plain-list">
        {tasks.map((x) => (
          <TaskItem key={x.id} task={x} reload={reload} />
        ))}
      </ul>
      {c.status !== 'closed' && (
        <form class="form sub-form" onSubmit={add} noValidate>
          <h3 class="h-small">{t('cases.task_new')}</h3>
          <label for="task-title">{t('cases.task_title')}</label>
          <input id="task-title" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <label for="task-due">{t('cases.task_due_label')}</label>
          <input id="task-due" type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          <Problem error={w.error} />
          <button type="submit" class="btn primary" disabled={w.busy || !title.trim() || !due}>
            {t('cases.task_add')}
          </button>
        </form>
      )}
    </div>
  );
}

export function NoteSection({ c, reload }: { c: CaseView; reload: Reload }) {
  const [text, setText] = useState('');
  const w = useWrite(reload);
  const notes = c.notes ?? [];
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (await w.run(() => api('POST', `/cases/${ENC(c.id)}/notes`, { text: text.normalize('NFC').trim() }))) {
      setText('');
    }
  };
  return (
    <div>
      {c.notes === undefined && <p class="muted">{t('cases.not_available')}</p>}
      {notes.length === 0 && c.notes !== undefined && <p class="muted">{t('cases.notes_none')}</p>}
      <ul class="plain-list">
        {notes.map((n, i) => (
          <li key={n.id ?? i} class="item-row note">
            <p class="note-text">{n.text}</p>
            <p class="unit-meta">
              {n.author ? n.author + ' · ' : ''}
              {formatDateTime(n.created_at ?? n.at)}
            </p>
          </li>
        ))}
      </ul>
      <form class="form sub-form" onSubmit={add} noValidate>
        <label for="note-text">{t('cases.note_new')}</label>
        <textarea id="note-text" rows={3} maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <Problem error={w.error} />
        <button type="submit" class="btn primary" disabled={w.busy || !text.trim()}>
          {t('cases.note_add')}
        </button>
      </form>
    </div>
  );
}

// The answers as the server sent them (an object, or a list of pairs) as one map.
function answerMap(a: NonNullable<CaseView['risk']>['answers']): Record<string, boolean> {
  if (!a) return {};
  if (!Array.isArray(a)) return a;
  const out: Record<string, boolean> = {};
  for (const x of a) {
    if (Array.isArray(x)) out[x[0]] = x[1];
    else out[x.id] = x.answer;
  }
  return out;
}

export function RiskSection({ c, vocabulary, reload }: { c: CaseView; vocabulary: Vocabulary | null; reload: Reload }) {
  const items = vocabulary?.risk_items ?? [];
  const [answers, setAnswers] = useState<Record<string, boolean>>(() => answerMap(c.risk?.answers));
  const [result, setResult] = useState<{ level: string; score?: number } | null>(null);
  const w = useWrite(reload);
  const level = result?.level ?? c.risk?.level ?? (c.high_risk ? 'high' : null);
  const save = () =>
    w.run(async () => {
      const all: Record<string, boolean> = {};
      for (const i of items) all[i.id] = !!answers[i.id];
      setResult(await api<{ level: string; score?: number }>('PUT', `/cases/${ENC(c.id)}/risk`, { answers: all }));
    });
  return (
    <div>
      <p class="risk-now">
        {t('cases.risk_level')} {level ? <RiskBadge level={level} /> : <span class="muted">{t('cases.risk_not_assessed')}</span>}
      </p>
      {items.length === 0 ? (
        <p class="muted">{t('cases.not_available')}</p>
      ) : (
        <fieldset class="choice">
          <legend>{t('cases.risk_checklist')}</legend>
          {items.map((i) => (
            <label class="check-line" key={i.id}>
              <input
                type="checkbox"
                checked={!!answers[i.id]}
                onChange={(e) => setAnswers({ ...answers, [i.id]: e.currentTarget.checked })}
              />
              <span>
                {pick({ vi: i.vi, en: i.en })}
                {i.critical && <span class="badge risk risk-high critical-mark">{t('cases.risk_critical')}</span>}
              </span>
            </label>
          ))}
          <button type="button" class="btn primary" disabled={w.busy} onClick={save}>
            {t('cases.risk_save')}
          </button>
        </fieldset>
      )}
      <Problem error={w.error} />
    </div>
  );
}

const PLAN_FIELDS: (keyof SafetyPlan)[] = ['safe_places', 'trusted_contacts', 'warning_signs', 'emergency_steps', 'documents'];

export function SafetyPlanSection({ c, reload }: { c: CaseView; reload: Reload }) {
  const [plan, setPlan] = useState<SafetyPlan>(() => {
    const p = c.safety_plan ?? {};
    return {
      safe_places: p.safe_places ?? '',
      trusted_contacts: p.trusted_contacts ?? '',
      warning_signs: p.warning_signs ?? '',
      emergency_steps: p.emergency_steps ?? '',
      documents: p.documents ?? '',
    };
  });
  const [saved, setSaved] = useState(false);
  const w = useWrite(reload);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, string> = {};
    for (const f of PLAN_FIELDS) body[f] = plan[f].normalize('NFC').trim();
    if (await w.run(() => api('PUT', `/cases/${ENC(c.id)}/safety-plan`, body))) setSaved(true);
  };
  return (
    <form class="form" onSubmit={save} noValidate>
      {PLAN_FIELDS.map((f) => (
        <div key={f} class="field">
          <label for={'plan-' + f}>{tOr('cases.plan_' + f, f)}</label>
          <textarea
            id={'plan-' + f}
            rows={2}
            maxLength={2000}
            value={plan[f]}
            onInput={(e) => setPlan({ ...plan, [f]: e.currentTarget.value })}
          />
        </div>
      ))}
      <Problem error={w.error} />
      {saved && <p class="notice notice-ok" role="status">{t('cases.plan_saved')}</p>}
      <button type="submit" class="btn primary" disabled={w.busy}>
        {t('cases.plan_save')}
      </button>
    </form>
  );
}

export function AccessLogSection({ c }: { c: CaseView }) {
  const log = useLoad<{ items: AccessLogEntry[] }>(`/cases/${ENC(c.id)}/access-log`);
  return (
    <div>
      <Problem error={log.error} />
      {log.loading && <p class="muted">{t('common.loading')}</p>}
      <ol class="plain-list access-log">
        {(log.data?.items ?? [])
          .slice()
          .reverse()
          .map((e, i) => (
            <li key={i} class="item-row">
              <span class="log-action">{tOr('cases.log.' + e.action, e.action)}</span>
              <span class="unit-meta">
                {formatDateTime(e.at)} · {t('cases.log_actor', { id: e.actor_id.slice(-6) })}
              </span>
            </li>
          ))}
      </ol>
    </div>
  );
}

