// "Kiểm duyệt báo cáo": for media-group members and admins. The queue of reported messages
// with buttons to confirm each as scam or safe (a scam's numbers and links go on the block
// list at once), and the list entries, which can be added and removed by hand.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { t, tOr } from '../i18n';
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

export function ModerationPage() {
  const [version, setVersion] = useState(0);
  return (
    <section class="page">
      <h1>{t('moderation.title')}</h1>
      <p class="muted">{t('moderation.intro')}</p>
      <Queue onChanged={() => setVersion((v) => v + 1)} />
      <Lists version={version} />
    </section>
  );
}
