// The activity register (/hoat-dong): filters by place, period, type, topic and status, and
// the form to record a new activity (/hoat-dong/moi). Filters live in the address so the
// dashboard can link to "the activities behind a number".
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { Notice } from '../../components/Notice';
import { t } from '../../i18n';
import { canRecordReach } from '../../roles';
import { Link, navigate, useLocation } from '../../router';
import { useSession } from '../../store';
import type { OrgUnit, UnitRef } from '../../types';
import {
  type Activity,
  type ActivityDetail,
  activityMeta,
  participationsLine,
  placeOption,
  STATUSES,
  statusName,
  TOPICS,
  topicName,
  TYPES,
  typeName,
  todayVn,
  usePlaces,
} from './shared';

const PAGE = 50;

export function ActivitiesPage() {
  const s = useSession();
  const { query } = useLocation();
  const { places } = usePlaces(s.user);
  const [items, setItems] = useState<Activity[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');
  const f = {
    org: query.get('org') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    type: query.get('type') ?? '',
    topic: query.get('topic') ?? '',
    status: query.get('status') ?? '',
  };
  const key = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();

  const load = async (offset: number) => {
    const q = new URLSearchParams(key);
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));
    try {
      const r = await api<{ items: Activity[] }>('GET', '/activities?' + q.toString());
      setItems((old) => (offset === 0 ? r.items : [...(old ?? []), ...r.items]));
      setMore(r.items.length === PAGE);
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    setItems(null);
    load(0);
  }, [key]);

  const set = (name: string, value: string) => {
    const q = new URLSearchParams(key);
    if (value) q.set(name, value);
    else q.delete(name);
    const qs = q.toString();
    navigate('/hoat-dong' + (qs ? '?' + qs : ''), true);
  };

  // A place from a dashboard link may not be in her list (e.g. a village, for a province
  // officer): show it by name.
  const [extra, setExtra] = useState<UnitRef | null>(null);
  useEffect(() => {
    setExtra(null);
    if (!f.org) return;
    api<OrgUnit>('GET', '/org-units/' + encodeURIComponent(f.org)).then(
      (u) => setExtra({ code: u.code, name: u.name, level: u.level }),
      () => setExtra({ code: f.org, name: f.org, level: 'village' }),
    );
  }, [f.org]);
  const placeList = extra && !places.some((p) => p.code === extra.code) ? [extra, ...places] : places;

  return (
    <section class="page reach-page">
      <h1>{t('reach.register_title')}</h1>
      {canRecordReach(s.user) && (
        <div class="toolbar">
          <Link href="/hoat-dong/moi" class="btn primary">
            {t('reach.new_activity')}
          </Link>
          <Link href="/nhap-danh-sach" class="btn">
            {t('reach.import_link')}
          </Link>
        </div>
      )}
      <details class="card reach-filters">
        <summary>
          {t('reach.filters')}
          {key ? ' ' + t('reach.filters_active', { count: key.split('&').length }) : ''}
        </summary>
        <div class="reach-filter-grid">
          <label>
            {t('reach.place')}
            <select value={f.org} onChange={(e) => set('org', e.currentTarget.value)}>
              <option value="">{t('reach.all_my_places')}</option>
              {placeList.map((p) => (
                <option key={p.code} value={p.code}>
                  {placeOption(p)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reach.from')}
            <input type="date" value={f.from} onChange={(e) => set('from', e.currentTarget.value)} />
          </label>
          <label>
            {t('reach.to')}
            <input type="date" value={f.to} onChange={(e) => set('to', e.currentTarget.value)} />
          </label>
          <label>
            {t('reach.type')}
            <select value={f.type} onChange={(e) => set('type', e.currentTarget.value)}>
              <option value="">{t('reach.any')}</option>
              {TYPES.map((x) => (
                <option key={x} value={x}>
                  {typeName(x)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reach.topic')}
            <select value={f.topic} onChange={(e) => set('topic', e.currentTarget.value)}>
              <option value="">{t('reach.any')}</option>
              {TOPICS.map((x) => (
                <option key={x} value={x}>
                  {topicName(x)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reach.status')}
            <select value={f.status} onChange={(e) => set('status', e.currentTarget.value)}>
              <option value="">{t('reach.any')}</option>
              {STATUSES.map((x) => (
                <option key={x} value={x}>
                  {statusName(x)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {key && (
          <button type="button" class="btn small reach-clear" onClick={() => navigate('/hoat-dong', true)}>
            {t('reach.clear_filters')}
          </button>
        )}
      </details>
      <Notice kind="error">{error}</Notice>
      {items === null && !error && <p class="muted">{t('common.loading')}</p>}
      {items && items.length === 0 && <p class="muted">{t('reach.no_activities')}</p>}
      {items && items.length > 0 && (
        <ul class="reach-list" aria-label={t('reach.register_title')}>
          {items.map((a) => (
            <li key={a.id}>
              <Link href={'/hoat-dong/' + a.id} class="reach-row">
                <span class="reach-row-title">{a.title}</span>
                <span class="unit-meta">{activityMeta(a)}</span>
                <span class="reach-row-foot">
                  <span class={'reach-status reach-status-' + a.status}>{statusName(a.status)}</span>
                  <span>{participationsLine(a)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {more && items && (
        <button type="button" class="btn" onClick={() => load(items.length)}>
          {t('reach.more')}
        </button>
      )}
    </section>
  );
}

export interface ActivityFormValue {
  org_unit: string;
  type: string;
  title: string;
  topics: string[];
  date: string;
  start_time: string;
  status: string;
  facilitators: string;
  partners: string;
  notes: string;
}

export function emptyActivity(org: string): ActivityFormValue {
  return {
    org_unit: org,
    type: 'training',
    title: '',
    topics: [],
    date: todayVn(),
    start_time: '',
    status: 'held',
    facilitators: '',
    partners: '',
    notes: '',
  };
}

// The fields of an activity; used to record a new one and to edit one.
export function ActivityForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: ActivityFormValue;
  submitLabel: string;
  onSubmit: (v: ActivityFormValue) => Promise<void>;
  onCancel?: () => void;
}) {
  const s = useSession();
  const { places, error: placesError } = usePlaces(s.user);
  const [v, setV] = useState<ActivityFormValue>(initial);
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  const [busy, setBusy] = useState(false);
  const upd = (patch: Partial<ActivityFormValue>) => setV((old) => ({ ...old, ...patch }));

  useEffect(() => {
    if (!v.org_unit && places.length) upd({ org_unit: places[0].code });
  }, [places]);

  const toggleTopic = (x: string) =>
    upd({ topics: v.topics.includes(x) ? v.topics.filter((y) => y !== x) : [...v.topics, x] });

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setField('');
    // The same rules as the server, so the common mistakes are caught without a round trip.
    if (!v.title.trim()) return fail('title', t('reach.err_title'));
    if (!v.date) return fail('date', t('reach.err_date'));
    if (v.date < '2021-01-01') return fail('date', t('reach.err_date_old'));
    if (v.status === 'held' && v.date > todayVn()) return fail('date', t('reach.err_held_future'));
    setBusy(true);
    try {
      await onSubmit({ ...v, title: v.title.trim() });
    } catch (err) {
      setError(errorText(err));
      if (err instanceof ApiError && err.field) setField(err.field);
    } finally {
      setBusy(false);
    }
  };
  const fail = (f: string, msg: string) => {
    setField(f);
    setError(msg);
  };
  const bad = (f: string) => (field === f ? true : undefined);

  return (
    <form class="card form" onSubmit={submit} noValidate>
      <label for="act-title">{t('reach.title')}</label>
      <input
        id="act-title"
        value={v.title}
        maxLength={200}
        aria-invalid={bad('title')}
        onInput={(e) => upd({ title: e.currentTarget.value })}
      />
      <label for="act-type">{t('reach.type')}</label>
      <select id="act-type" value={v.type} onChange={(e) => upd({ type: e.currentTarget.value })}>
        {TYPES.map((x) => (
          <option key={x} value={x}>
            {typeName(x)}
          </option>
        ))}
      </select>
      <fieldset class="choice">
        <legend>{t('reach.topics')}</legend>
        <div class="reach-chips">
          {TOPICS.map((x) => (
            <button
              type="button"
              key={x}
              class="reach-chip"
              aria-pressed={v.topics.includes(x)}
              onClick={() => toggleTopic(x)}
            >
              {topicName(x)}
            </button>
          ))}
        </div>
      </fieldset>
      <label for="act-place">{t('reach.place')}</label>
      <select
        id="act-place"
        value={v.org_unit}
        aria-invalid={bad('org_unit')}
        onChange={(e) => upd({ org_unit: e.currentTarget.value })}
      >
        {!places.some((p) => p.code === v.org_unit) && v.org_unit && (
          <option value={v.org_unit}>{v.org_unit}</option>
        )}
        {places.map((p) => (
          <option key={p.code} value={p.code}>
            {placeOption(p)}
          </option>
        ))}
      </select>
      <Notice kind="error">{placesError}</Notice>
      <div class="reach-two">
        <div>
          <label for="act-date">{t('reach.date')}</label>
          <input
            id="act-date"
            type="date"
            min="2021-01-01"
            value={v.date}
            aria-invalid={bad('date')}
            onInput={(e) => upd({ date: e.currentTarget.value })}
          />
        </div>
        <div>
          <label for="act-time">{t('reach.time')}</label>
          <input
            id="act-time"
            type="time"
            value={v.start_time}
            onInput={(e) => upd({ start_time: e.currentTarget.value })}
          />
        </div>
      </div>
      <fieldset class="choice">
        <legend>{t('reach.status')}</legend>
        {STATUSES.map((x) => (
          <label class="radio" key={x}>
            <input
              type="radio"
              name="act-status"
              checked={v.status === x}
              onChange={() => upd({ status: x })}
            />
            {statusName(x)}
          </label>
        ))}
      </fieldset>
      <label for="act-facilitators">{t('reach.facilitators')}</label>
      <input
        id="act-facilitators"
        value={v.facilitators}
        maxLength={500}
        onInput={(e) => upd({ facilitators: e.currentTarget.value })}
      />
      <label for="act-partners">{t('reach.partners')}</label>
      <input
        id="act-partners"
        value={v.partners}
        maxLength={500}
        onInput={(e) => upd({ partners: e.currentTarget.value })}
      />
      <label for="act-notes">{t('reach.notes')}</label>
      <textarea
        id="act-notes"
        value={v.notes}
        maxLength={4000}
        onInput={(e) => upd({ notes: e.currentTarget.value })}
      />
      <Notice kind="error">{error}</Notice>
      <div class="toolbar">
        <button type="submit" class="btn primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            {t('reach.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

export function activityBody(v: ActivityFormValue) {
  return {
    org_unit: v.org_unit,
    type: v.type,
    title: v.title,
    topics: v.topics,
    date: v.date,
    start_time: v.start_time,
    status: v.status,
    facilitators: v.facilitators,
    partners: v.partners,
    notes: v.notes,
  };
}

export function NewActivityPage() {
  return (
    <section class="page narrow reach-page">
      <nav class="crumbs" aria-label={t('org.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/hoat-dong">{t('reach.register_title')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('reach.new_activity')}</span>
          </li>
        </ol>
      </nav>
      <h1>{t('reach.new_activity')}</h1>
      <ActivityForm
        initial={emptyActivity('')}
        submitLabel={t('reach.save_activity')}
        onSubmit={async (v) => {
          const a = await api<ActivityDetail>('POST', '/activities', activityBody(v));
          navigate('/hoat-dong/' + a.id, true);
        }}
      />
    </section>
  );
}
