// One activity (/hoat-dong/:id): details, edit and delete, the participants by name (with the
// server's "looks like someone already registered" suggestions), the crowd tally grid and the
// group knowledge check.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { Notice } from '../../components/Notice';
import { t } from '../../i18n';
import { canRecordReach } from '../../roles';
import { Link, navigate } from '../../router';
import { useSession } from '../../store';
import { ActivityForm, activityBody, type ActivityFormValue } from './Activities';
import {
  type ActivityDetail,
  AGE_GROUPS,
  ageName,
  dateVn,
  decimal,
  ETHNIC_GROUPS,
  fmt,
  groupName,
  type Person,
  SEXES,
  sexName,
  statusName,
  TopicTags,
  typeName,
  useEthnicities,
} from './shared';

interface Added {
  person: Person;
  recognised: boolean;
  suggestions: Person[];
}

function ParticipantForm({ activityId, onAdded }: { activityId: string; onAdded: (a: Added) => void }) {
  const ethnicities = useEthnicities();
  const blank = { name: '', sex: '', birth_year: '', ethnicity: '', disability: false, village: '', phone: '', pre: '', post: '' };
  const [v, setV] = useState(blank);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const upd = (p: Partial<typeof blank>) => setV((o) => ({ ...o, ...p }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!v.name.trim()) return setError(t('reach.err_name'));
    if (!v.sex) return setError(t('reach.err_sex'));
    const year = Number(v.birth_year);
    if (!Number.isInteger(year) || year < 1900 || year > new Date().getFullYear()) {
      return setError(t('reach.err_birth_year'));
    }
    if (!v.ethnicity) return setError(t('reach.err_ethnicity'));
    const body: Record<string, unknown> = {
      name: v.name.trim(),
      sex: v.sex,
      birth_year: year,
      ethnicity: v.ethnicity,
      disability: v.disability,
      village: v.village.trim(),
    };
    if (v.phone.trim()) body.phone = v.phone.trim();
    if (v.pre !== '') body.pre_score = Number(v.pre);
    if (v.post !== '') body.post_score = Number(v.post);
    setBusy(true);
    try {
      const r = await api<Added>('POST', `/activities/${activityId}/participants`, body);
      // Keep village and ethnicity: people at one session often share them.
      setV({ ...blank, village: v.village, ethnicity: v.ethnicity });
      onAdded(r);
      document.getElementById('p-name')?.focus();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="p-form-title">
      <h3 class="h-small" id="p-form-title">
        {t('reach.add_participant')}
      </h3>
      <label for="p-name">{t('reach.p_name')}</label>
      <input id="p-name" value={v.name} maxLength={100} autocomplete="off" onInput={(e) => upd({ name: e.currentTarget.value })} />
      <fieldset class="choice">
        <legend>{t('reach.p_sex')}</legend>
        <div class="reach-inline">
          {SEXES.map((x) => (
            <label class="radio" key={x}>
              <input type="radio" name="p-sex" checked={v.sex === x} onChange={() => upd({ sex: x })} />
              {sexName(x)}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="reach-two">
        <div>
          <label for="p-year">{t('reach.p_birth_year')}</label>
          <input
            id="p-year"
            inputMode="numeric"
            maxLength={4}
            value={v.birth_year}
            onInput={(e) => upd({ birth_year: e.currentTarget.value.replace(/\D/g, '') })}
          />
        </div>
        <div>
          <label for="p-eth">{t('reach.p_ethnicity')}</label>
          <select id="p-eth" value={v.ethnicity} onChange={(e) => upd({ ethnicity: e.currentTarget.value })}>
            <option value="">{t('reach.choose')}</option>
            {ethnicities.map((x) => (
              <option key={x.slug} value={x.slug}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label for="p-village">{t('reach.p_village')}</label>
      <input id="p-village" value={v.village} maxLength={100} onInput={(e) => upd({ village: e.currentTarget.value })} />
      <label for="p-phone">{t('reach.p_phone')}</label>
      <input id="p-phone" type="tel" value={v.phone} maxLength={20} onInput={(e) => upd({ phone: e.currentTarget.value })} />
      <label class="check-line">
        <input type="checkbox" checked={v.disability} onChange={(e) => upd({ disability: e.currentTarget.checked })} />
        {t('reach.p_disability')}
      </label>
      <details>
        <summary>{t('reach.p_scores')}</summary>
        <div class="reach-two">
          <div>
            <label for="p-pre">{t('reach.pre_score')}</label>
            <input id="p-pre" type="number" min={0} max={100} value={v.pre} onInput={(e) => upd({ pre: e.currentTarget.value })} />
          </div>
          <div>
            <label for="p-post">{t('reach.post_score')}</label>
            <input id="p-post" type="number" min={0} max={100} value={v.post} onInput={(e) => upd({ post: e.currentTarget.value })} />
          </div>
        </div>
      </details>
      <Notice kind="error">{error}</Notice>
      <button type="submit" class="btn primary" disabled={busy}>
        {t('reach.add_participant_submit')}
      </button>
    </form>
  );
}

function personLine(p: Person, names: Map<string, string>): string {
  return [sexName(p.sex), String(p.birth_year), names.get(p.ethnicity) ?? p.ethnicity, p.village]
    .filter(Boolean)
    .join(' · ');
}

// The outcome of the last entry: recognised, or a new person who looks like someone already in
// the register, with a choice to use that person instead.
function Outcome({
  added,
  names,
  onUse,
  onKeep,
}: {
  added: Added;
  names: Map<string, string>;
  onUse: (s: Person) => void;
  onKeep: () => void;
}) {
  if (added.recognised) {
    return (
      <p class="notice notice-ok" role="status">
        {t('reach.recognised', { name: added.person.name, count: added.person.participations })}
      </p>
    );
  }
  if (!added.suggestions.length) {
    return (
      <p class="notice notice-ok" role="status">
        {t('reach.added_new', { name: added.person.name })}
      </p>
    );
  }
  return (
    <div class="card reach-suggest" role="status">
      <p>
        <strong>{t('reach.looks_like', { name: added.person.name })}</strong>
      </p>
      <ul>
        {added.suggestions.map((s) => (
          <li key={s.id}>
            <span class="unit-name">{s.name}</span>
            <span class="unit-meta">
              {personLine(s, names)} · {t('reach.times', { count: s.participations })}
            </span>
            <button type="button" class="btn small" onClick={() => onUse(s)}>
              {t('reach.use_person')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn small" onClick={onKeep}>
        {t('reach.keep_new')}
      </button>
    </div>
  );
}

function TallyGrid({ a, onSaved }: { a: ActivityDetail; onSaved: (total: number) => void }) {
  const key = (s: string, g: string, e: string) => `${s}|${g}|${e}`;
  const initial: Record<string, string> = {};
  for (const c of a.tally) initial[key(c.sex, c.age_group, c.ethnic_group)] = String(c.count);
  const [v, setV] = useState(initial);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const total = Object.values(v).reduce((n, x) => n + (Number(x) || 0), 0);

  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    const cells = [];
    for (const [k, x] of Object.entries(v)) {
      if (x === '') continue;
      const n = Number(x);
      if (!Number.isInteger(n) || n < 0) return setError(t('reach.err_count'));
      if (n === 0) continue;
      const [sex, age_group, ethnic_group] = k.split('|');
      cells.push({ sex, age_group, ethnic_group, count: n });
    }
    setBusy(true);
    try {
      const r = await api<{ total: number }>('PUT', `/activities/${a.id}/tally`, { cells });
      setDone(t('reach.tally_saved', { total: fmt(r.total) }));
      onSaved(r.total);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={save} noValidate>
      <h3 class="h-small">{t('reach.tally_title')}</h3>
      <p class="hint">{t('reach.tally_hint')}</p>
      <div class="reach-scroll">
        <table class="reach-table reach-tally">
          <thead>
            <tr>
              <th scope="col">{t('reach.age_group')}</th>
              {SEXES.flatMap((s) =>
                ETHNIC_GROUPS.map((g) => (
                  <th scope="col" key={s + g}>
                    {sexName(s)}
                    <br />
                    <small>{t(g === 'kinh' ? 'reach.kinh_short' : 'reach.minority_short')}</small>
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody>
            {AGE_GROUPS.map((age) => (
              <tr key={age}>
                <th scope="row">{ageName(age)}</th>
                {SEXES.flatMap((s) =>
                  ETHNIC_GROUPS.map((g) => {
                    const k = key(s, age, g);
                    return (
                      <td key={k}>
                        <input
                          inputMode="numeric"
                          aria-label={t('reach.tally_cell', { sex: sexName(s), age: ageName(age), group: groupName(g) })}
                          value={v[k] ?? ''}
                          onInput={(e) => {
                            const x = e.currentTarget.value.replace(/[^\d-]/g, '');
                            setV((o) => ({ ...o, [k]: x }));
                            setError('');
                          }}
                        />
                      </td>
                    );
                  }),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {t('reach.tally_total')}: <strong>{fmt(total)}</strong>
      </p>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{done}</Notice>
      <button type="submit" class="btn primary" disabled={busy}>
        {t('reach.tally_save')}
      </button>
    </form>
  );
}

function KnowledgeForm({ a, onSaved }: { a: ActivityDetail; onSaved: (d: ActivityDetail) => void }) {
  const [pre, setPre] = useState(a.knowledge_pre_avg === null ? '' : String(a.knowledge_pre_avg));
  const [post, setPost] = useState(a.knowledge_post_avg === null ? '' : String(a.knowledge_post_avg));
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    const nums = [pre, post].map((x) => (x === '' ? null : Number(x)));
    if (nums.some((n) => n !== null && (Number.isNaN(n) || n < 0 || n > 100))) {
      return setError(t('reach.err_score'));
    }
    try {
      const d = await api<ActivityDetail>('PATCH', `/activities/${a.id}`, {
        knowledge_pre_avg: nums[0],
        knowledge_post_avg: nums[1],
      });
      onSaved(d);
      setDone(t('reach.saved'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card form" onSubmit={save} noValidate>
      <h3 class="h-small">{t('reach.knowledge_title')}</h3>
      <p class="hint">{t('reach.knowledge_hint')}</p>
      <div class="reach-two">
        <div>
          <label for="k-pre">{t('reach.pre_avg')}</label>
          <input id="k-pre" type="number" min={0} max={100} value={pre} onInput={(e) => setPre(e.currentTarget.value)} />
        </div>
        <div>
          <label for="k-post">{t('reach.post_avg')}</label>
          <input id="k-post" type="number" min={0} max={100} value={post} onInput={(e) => setPost(e.currentTarget.value)} />
        </div>
      </div>
      {a.knowledge_pre_avg !== null && a.knowledge_post_avg !== null && (
        <p>
          {t('reach.gain')}: <strong>{decimal(a.knowledge_post_avg - a.knowledge_pre_avg)}</strong>
        </p>
      )}
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{done}</Notice>
      <button type="submit" class="btn">
        {t('reach.save')}
      </button>
    </form>
  );
}

export function ActivityPage({ id }: { id: string }) {
  const s = useSession();
  const ethnicities = useEthnicities();
  const names = new Map(ethnicities.map((e) => [e.slug, e.name]));
  const [a, setA] = useState<ActivityDetail | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(false);
  const [added, setAdded] = useState<Added | null>(null);
  const [reload, setReload] = useState(0);
  const canEdit = canRecordReach(s.user);

  useEffect(() => {
    let live = true;
    Promise.all([
      api<ActivityDetail>('GET', '/activities/' + encodeURIComponent(id)),
      api<{ items: Person[] }>('GET', `/activities/${encodeURIComponent(id)}/participants`),
    ]).then(
      ([d, p]) => {
        if (!live) return;
        setA(d);
        setPeople(p.items);
        setError('');
      },
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [id, reload]);

  if (!a) {
    return (
      <section class="page reach-page">
        <Notice kind="error">{error}</Notice>
        {!error && <p class="muted">{t('common.loading')}</p>}
      </section>
    );
  }

  const remove = async () => {
    if (!confirm(t('reach.delete_confirm', { title: a.title }))) return;
    try {
      await api('DELETE', '/activities/' + a.id);
      navigate('/hoat-dong', true);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const useExisting = async (sug: Person) => {
    if (!added) return;
    try {
      // Replace the person just registered by the one already in the register.
      await api('DELETE', `/activities/${a.id}/participants/${added.person.id}`);
      const r = await api<Added>('POST', `/activities/${a.id}/participants`, { person_id: sug.id });
      setAdded({ ...r, recognised: true });
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    }
  };

  // At a performance the crowd is counted, rarely named: the grid comes first there.
  const crowdFirst = a.type === 'performance';
  const tally = canEdit && a.status === 'held' ? <TallyGrid a={a} onSaved={() => setReload((n) => n + 1)} /> : null;

  const formValue: ActivityFormValue = {
    org_unit: a.org_unit,
    type: a.type,
    title: a.title,
    topics: a.topics,
    date: a.date,
    start_time: a.start_time ?? '',
    status: a.status,
    facilitators: a.facilitators,
    partners: a.partners,
    notes: a.notes,
  };

  return (
    <section class="page reach-page">
      <nav class="crumbs" aria-label={t('org.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/hoat-dong">{t('reach.register_title')}</Link>
          </li>
          <li>
            <span aria-current="page">{a.title}</span>
          </li>
        </ol>
      </nav>
      <h1>{a.title}</h1>
      <Notice kind="error">{error}</Notice>
      {editing ? (
        <ActivityForm
          initial={formValue}
          submitLabel={t('reach.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (v) => {
            const d = await api<ActivityDetail>('PATCH', '/activities/' + a.id, activityBody(v));
            setA(d);
            setEditing(false);
          }}
        />
      ) : (
        <div class="card">
          <dl class="reach-facts">
            <dt>{t('reach.status')}</dt>
            <dd>
              <span class={'reach-status reach-status-' + a.status}>{statusName(a.status)}</span>
            </dd>
            <dt>{t('reach.type')}</dt>
            <dd>{typeName(a.type)}</dd>
            <dt>{t('reach.date')}</dt>
            <dd>
              {dateVn(a.date)}
              {a.start_time ? ' · ' + a.start_time : ''}
            </dd>
            <dt>{t('reach.place')}</dt>
            <dd>{a.org_name}</dd>
            {a.topics.length > 0 && (
              <>
                <dt>{t('reach.topics')}</dt>
                <dd>
                  <TopicTags topics={a.topics} />
                </dd>
              </>
            )}
            {a.facilitators && (
              <>
                <dt>{t('reach.facilitators')}</dt>
                <dd>{a.facilitators}</dd>
              </>
            )}
            {a.partners && (
              <>
                <dt>{t('reach.partners')}</dt>
                <dd>{a.partners}</dd>
              </>
            )}
            {a.notes && (
              <>
                <dt>{t('reach.notes')}</dt>
                <dd class="reach-notes">{a.notes}</dd>
              </>
            )}
            <dt>{t('reach.participations')}</dt>
            <dd data-testid="participations">
              <strong>{fmt(a.participations)}</strong> ({t('reach.named_counted', { named: fmt(a.named_participants), counted: fmt(a.tallied_participants) })})
            </dd>
          </dl>
          {canEdit && (
            <div class="toolbar reach-actions">
              <button type="button" class="btn" onClick={() => setEditing(true)}>
                {t('reach.edit')}
              </button>
              <button type="button" class="btn danger" onClick={remove}>
                {t('reach.delete')}
              </button>
            </div>
          )}
        </div>
      )}

      {crowdFirst && tally}
      <h2 class="h-small">{t('reach.participants_title', { count: people.length })}</h2>
      {people.length === 0 ? (
        <p class="muted">{t('reach.no_participants')}</p>
      ) : (
        <ul class="reach-people" aria-label={t('reach.participants_list')}>
          {people.map((p) => (
            <li key={p.id}>
              <span class="unit-name">{p.name}</span>
              <span class="unit-meta">
                {personLine(p, names)}
                {p.disability ? ' · ' + t('reach.disability_short') : ''}
                {p.participations > 1 ? ' · ' + t('reach.times', { count: p.participations }) : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canEdit && a.status === 'held' && (
        <>
          {added && (
            <Outcome added={added} names={names} onUse={useExisting} onKeep={() => setAdded({ ...added, suggestions: [] })} />
          )}
          <ParticipantForm
            activityId={a.id}
            onAdded={(r) => {
              setAdded(r);
              setReload((n) => n + 1);
            }}
          />
          <p>
            <Link href={'/nhap-danh-sach?hoat-dong=' + a.id}>{t('reach.import_for_this')}</Link>
          </p>
          {!crowdFirst && tally}
          <KnowledgeForm a={a} onSaved={setA} />
        </>
      )}
      {canEdit && a.status !== 'held' && <p class="hint">{t('reach.only_held')}</p>}
    </section>
  );
}
