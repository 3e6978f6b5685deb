// "Kiểm duyệt báo cáo": for media-group members and admins. Tab "Báo cáo": the queue of
// reported messages with buttons to confirm each as scam or safe (a scam's numbers and links go
// on the block list at once), and the list entries, added and removed by hand. Tab "Quy tắc":
// every checker rule with a search, an on/off switch and its weight; a change applies to the
// running checker at once; and the learned model, retrained from the confirmed reports with
// one button (the new model runs at once).
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { pick, t, tOr } from '../i18n';
import { Notice } from '../components/Notice';

interface Report {
  id: string;
  text: string;
  verdict: string;
  categories: string[];
  org_unit: string | null;
  created_at: number;
}

interface ListEntry {
  id: string;
  kind: string;
  value: string;
  list: string;
  source_report: string | null;
}

interface Rule {
  id: string;
  category: string;
  weight: number;
  default_weight: number;
  enabled: boolean;
  weighted: boolean; // false: explains a flag from the learned model; no weight to set
  at_least: 'caution' | 'danger' | null; // alone it forces at least this verdict
  explanation: { vi: string; en: string };
}

interface ModelStatus {
  source: 'built_in' | 'trained';
  trained_at: number | null;
  can_retrain: boolean;
  confirmed_scam: number;
  confirmed_safe: number;
  examples: number | null;
  reports_used: number | null;
}

const when = (ms: number) => new Date(ms).toLocaleString();

function Queue({ onChanged }: { onChanged: () => void }) {
  const [items, setItems] = useState<Report[] | null>(null);
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState('');

  const load = async () => {
    try {
      const r = await api<{ items: Report[] }>('GET', '/safety/reports?status=pending');
      setItems(r.items);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const confirm = async (id: string, label: 'scam' | 'safe') => {
    setBusy(id);
    setErr('');
    setMsg('');
    try {
      const r = await api<{ added: ListEntry[] }>('POST', `/safety/reports/${id}/confirm`, { label });
      setMsg(
        label === 'scam'
          ? t('moderation.confirmed_scam', { n: r.added.length })
          : t('moderation.confirmed_safe'),
      );
      setItems((list) => (list ?? []).filter((x) => x.id !== id));
      onChanged();
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy('');
    }
  };

  return (
    <section class="card">
      <h2>{t('moderation.queue')}</h2>
      {msg && <Notice kind="ok">{msg}</Notice>}
      {err && <Notice kind="error">{err}</Notice>}
      {items === null && !err && <p class="muted">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && <p class="muted">{t('moderation.queue_empty')}</p>}
      {items?.map((r) => (
        <article key={r.id} class="card report">
          <p class="message">{r.text}</p>
          <p class="muted">
            {tOr('check.verdict_' + r.verdict, r.verdict)}
            {r.categories.length > 0 && ' · ' + r.categories.map((c) => tOr('category.' + c, c)).join(', ')}
            {' · '}
            {when(r.created_at)}
          </p>
          <div class="actions">
            <button class="btn danger" disabled={busy === r.id} onClick={() => confirm(r.id, 'scam')}>
              {t('moderation.confirm_scam')}
            </button>
            <button class="btn" disabled={busy === r.id} onClick={() => confirm(r.id, 'safe')}>
              {t('moderation.confirm_safe')}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

function Lists({ version }: { version: number }) {
  const [items, setItems] = useState<ListEntry[] | null>(null);
  const [kind, setKind] = useState('phone');
  const [value, setValue] = useState('');
  const [list, setList] = useState('block');
  const [err, setErr] = useState('');

  const load = async () => {
    try {
      const r = await api<{ items: ListEntry[] }>('GET', '/safety/lists');
      setItems(r.items);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  useEffect(() => {
    void load();
  }, [version]);

  const add = async (ev: Event) => {
    ev.preventDefault();
    setErr('');
    try {
      await api('POST', '/safety/lists', { kind, value, list });
      setValue('');
      await load();
    } catch (e) {
      setErr(errorText(e));
    }
  };

  const remove = async (id: string) => {
    setErr('');
    try {
      await api('DELETE', `/safety/lists/${id}`);
      await load();
    } catch (e) {
      setErr(errorText(e));
    }
  };

  return (
    <section class="card">
      <h2>{t('moderation.lists')}</h2>
      {err && <Notice kind="error">{err}</Notice>}
      <form onSubmit={add} class="actions">
        <label>
          {t('moderation.kind')}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="phone">{t('moderation.kind_phone')}</option>
            <option value="domain">{t('moderation.kind_domain')}</option>
            <option value="account">{t('moderation.kind_account')}</option>
          </select>
        </label>
        <label>
          {t('moderation.value')}
          <input
            value={value}
            required
            maxLength={300}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('moderation.list')}
          <select value={list} onChange={(e) => setList((e.target as HTMLSelectElement).value)}>
            <option value="block">{t('moderation.list_block')}</option>
            <option value="allow">{t('moderation.list_allow')}</option>
          </select>
        </label>
        <button class="btn" type="submit">
          {t('moderation.add')}
        </button>
      </form>
      {items !== null && items.length === 0 && <p class="muted">{t('moderation.lists_empty')}</p>}
      {items !== null && items.length > 0 && (
        <ul class="entries">
          {items.map((e) => (
            <li key={e.id}>
              <span>
                {tOr('moderation.kind_' + e.kind, e.kind)}: <strong>{e.value}</strong> ·{' '}
                {tOr('moderation.list_' + e.list, e.list)}
                {e.source_report && ' · ' + t('moderation.from_report')}
              </span>{' '}
              <button class="btn" onClick={() => remove(e.id)}>
                {t('moderation.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// Lower case without marks, so "lua dao" finds "lừa đảo".
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase();

function RuleRow({ rule, onSaved }: { rule: Rule; onSaved: (r: Rule) => void }) {
  const [weight, setWeight] = useState(String(rule.weight));
  // Shown at once when toggled; put back if the server refuses.
  const [enabled, setEnabled] = useState(rule.enabled);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (change: { enabled?: boolean; weight?: number }) => {
    setBusy(true);
    setErr('');
    try {
      const r = await api<Rule>('PATCH', `/safety/rules/${encodeURIComponent(rule.id)}`, change);
      onSaved(r);
      setWeight(String(r.weight));
      setEnabled(r.enabled);
    } catch (e) {
      setEnabled(rule.enabled);
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const saveWeight = (ev: Event) => {
    ev.preventDefault();
    const w = Number(weight.replace(',', '.'));
    if (weight.trim() === '' || !Number.isFinite(w) || w < -20 || w > 20) {
      setErr(t('moderation.rules.weight_invalid'));
      return;
    }
    if (w !== rule.weight) void save({ weight: w });
  };

  const inputId = `rule-w-${rule.id}`;
  return (
    <li class={'rule' + (enabled ? '' : ' off')} data-rule={rule.id}>
      <div class="item-head">
        <strong class="rule-id">{rule.id}</strong>
        <span class="badge">{tOr('category.' + rule.category, rule.category)}</span>
      </div>
      <p class="rule-why">{pick(rule.explanation)}</p>
      <div class="actions">
        <label class="switch">
          <input
            type="checkbox"
            checked={enabled}
            disabled={busy}
            aria-label={t('moderation.rules.enabled_label', { id: rule.id })}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              setEnabled(on);
              void save({ enabled: on });
            }}
          />{' '}
          {enabled ? t('moderation.rules.on') : t('moderation.rules.off')}
        </label>
        {rule.weighted && (
          <form onSubmit={saveWeight} class="weight-form">
            <label for={inputId}>{t('moderation.rules.weight')}</label>
            <input
              id={inputId}
              type="number"
              inputMode="decimal"
              step="0.1"
              min={-20}
              max={20}
              value={weight}
              disabled={busy}
              onInput={(e) => setWeight((e.target as HTMLInputElement).value)}
              onBlur={saveWeight}
            />
            {rule.weight !== rule.default_weight && (
              <span class="muted"> {t('moderation.rules.default', { w: rule.default_weight })}</span>
            )}
          </form>
        )}
      </div>
      {!rule.weighted && <p class="muted">{t('moderation.rules.model_explanation')}</p>}
      {rule.at_least && rule.enabled && rule.weight > 0 && (
        <p class="muted rule-at-least">{t(rule.at_least === 'danger' ? 'moderation.rules.at_least_danger' : 'moderation.rules.at_least_caution')}</p>
      )}
      {err && <Notice kind="error">{err}</Notice>}
    </li>
  );
}

function Rules() {
  const [items, setItems] = useState<Rule[] | null>(null);
  const [query, setQuery] = useState('');
  const [err, setErr] = useState('');

  useEffect(() => {
    api<{ items: Rule[] }>('GET', '/safety/rules')
      .then((r) => setItems(r.items))
      .catch((e) => setErr(errorText(e)));
  }, []);

  const q = fold(query.trim());
  const shown = (items ?? []).filter(
    (r) =>
      q === '' ||
      fold(r.id).includes(q) ||
      fold(r.category).includes(q) ||
      fold(tOr('category.' + r.category, r.category)).includes(q) ||
      fold(r.explanation.vi).includes(q) ||
      fold(r.explanation.en).includes(q),
  );

  return (
    <section class="card">
      <h2>{t('moderation.rules.title')}</h2>
      <p class="muted">{t('moderation.rules.intro')}</p>
      {err && <Notice kind="error">{err}</Notice>}
      <label>
        {t('moderation.rules.search')}
        <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </label>
      {items === null && !err && <p class="muted">{t('common.loading')}</p>}
      {items !== null && shown.length === 0 && <p class="muted">{t('moderation.rules.none')}</p>}
      <ul class="entries rules">
        {shown.map((r) => (
          <RuleRow
            key={r.id}
            rule={r}
            onSaved={(nr) => setItems((list) => (list ?? []).map((x) => (x.id === nr.id ? nr : x)))}
          />
        ))}
      </ul>
    </section>
  );
}

function Model() {
  const [status, setStatus] = useState<ModelStatus | null>(null);
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<ModelStatus>('GET', '/safety/model')
      .then(setStatus)
      .catch((e) => setErr(errorText(e)));
  }, []);

  const retrain = async () => {
    setBusy(true);
    setErr('');
    setMsg('');
    try {
      const r = await api<ModelStatus>('POST', '/safety/model/retrain', {});
      setStatus(r);
      setMsg(t('moderation.model.retrained', { n: r.reports_used ?? 0, examples: r.examples ?? 0 }));
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const confirmed = status ? status.confirmed_scam + status.confirmed_safe : 0;
  return (
    <section class="card" aria-labelledby="model-title">
      <h2 id="model-title">{t('moderation.model.title')}</h2>
      <p class="muted">{t('moderation.model.intro')}</p>
      {msg && <Notice kind="ok">{msg}</Notice>}
      {err && <Notice kind="error">{err}</Notice>}
      {status === null && !err && <p class="muted">{t('common.loading')}</p>}
      {status && (
        <>
          <p>
            {status.source === 'trained' && status.trained_at !== null
              ? t('moderation.model.trained_at', { when: when(status.trained_at) })
              : t('moderation.model.built_in')}
          </p>
          <p>{t('moderation.model.confirmed', { scam: status.confirmed_scam, safe: status.confirmed_safe })}</p>
          {status.can_retrain ? (
            <button class="btn primary" disabled={busy || confirmed === 0} onClick={retrain}>
              {busy ? t('moderation.model.retraining') : t('moderation.model.retrain')}
            </button>
          ) : (
            <p class="muted">{t('moderation.model.no_file')}</p>
          )}
        </>
      )}
    </section>
  );
}

type Tab = 'reports' | 'rules';

export function ModerationPage() {
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<Tab>('reports');
  return (
    <section class="page">
      <h1>{t('moderation.title')}</h1>
      <p class="muted">{t('moderation.intro')}</p>
      <nav class="tabs" aria-label={t('moderation.sections')}>
        {(['reports', 'rules'] as Tab[]).map((x) => (
          <button
            key={x}
            type="button"
            class="tab"
            aria-current={tab === x ? 'page' : undefined}
            onClick={() => setTab(x)}
          >
            {tOr('moderation.tab_' + x, x)}
          </button>
        ))}
      </nav>
      {tab === 'reports' && (
        <>
          <Queue onChanged={() => setVersion((v) => v + 1)} />
          <Lists version={version} />
        </>
      )}
      {tab === 'rules' && (
        <>
          <Model />
          <Rules />
        </>
      )}
    </section>
  );
}
