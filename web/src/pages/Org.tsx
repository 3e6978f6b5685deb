// The administrative tree: search, browse province → commune → village/point, and (for
// officers in scope) add a village or a point under the unit being viewed.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { t, tOr } from '../i18n';
import { useOrgSearch } from '../hooks';
import { canAddUnder } from '../roles';
import { Link } from '../router';
import { useSession } from '../store';
import { Notice } from '../components/Notice';
import { levelName, UnitLabel } from '../components/UnitLabel';
import { KINDS, type Kind, type OrgUnit } from '../types';

function unitHref(code: string): string {
  return '/don-vi/' + encodeURIComponent(code);
}

function Search() {
  const [q, setQ] = useState('');
  const { items, loading, error } = useOrgSearch(q);
  return (
    <div class="search card" role="search">
      <label for="org-search">{t('org.search_label')}</label>
      <input
        id="org-search"
        type="search"
        autocomplete="off"
        placeholder={t('org.search_placeholder')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      <div aria-live="polite">
        {loading && <p class="muted">{t('common.searching')}</p>}
        <Notice kind="error">{error}</Notice>
        {!loading && !error && q.trim() && items.length === 0 && (
          <p class="muted">{t('org.no_results')}</p>
        )}
      </div>
      {items.length > 0 && (
        <ul class="results" aria-label={t('org.results')}>
          {items.map((u) => (
            <li key={u.code}>
              <Link href={unitHref(u.code)} class="result-btn">
                <UnitLabel unit={u} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function AddForm({ parent, onAdded }: { parent: OrgUnit; onAdded: (u: OrgUnit) => void }) {
  const [level, setLevel] = useState<'village' | 'point'>(
    parent.level === 'commune' ? 'village' : 'point',
  );
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('command_point');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    if (!name.trim()) {
      setError(t('org.add_name_missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const body: Record<string, string> = { parent: parent.code, level, name: name.trim() };
      if (level === 'point') body.kind = kind;
      const u = await api<OrgUnit>('POST', '/org-units', body);
      setName('');
      setDone(t('org.added', { name: u.name }));
      onAdded(u);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate>
      <h2 class="h-small">{t('org.add_title', { name: parent.name })}</h2>
      {parent.level === 'commune' && (
        <fieldset class="choice">
          <legend>{t('org.add_level')}</legend>
          <label class="radio">
            <input
              type="radio"
              name="add-level"
              checked={level === 'village'}
              onChange={() => setLevel('village')}
            />
            {levelName('village')}
          </label>
          <label class="radio">
            <input
              type="radio"
              name="add-level"
              checked={level === 'point'}
              onChange={() => setLevel('point')}
            />
            {levelName('point')}
          </label>
        </fieldset>
      )}
      <label for="add-name">{t('org.add_name')}</label>
      <input
        id="add-name"
        value={name}
        maxLength={200}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      {level === 'point' && (
        <>
          <label for="add-kind">{t('org.add_kind')}</label>
          <select
            id="add-kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as Kind)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {tOr('kind.' + k, k)}
              </option>
            ))}
          </select>
        </>
      )}
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{done}</Notice>
      <button type="submit" class="btn primary" disabled={busy}>
        {t('org.add_submit')}
      </button>
    </form>
  );
}

export function OrgPage({ code }: { code: string | null }) {
  const s = useSession();
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const [children, setChildren] = useState<OrgUnit[] | null>(null);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    setChildren(null);
    if (!code) setUnit(null);
    const load = async () => {
      try {
        const self = code ? await api<OrgUnit>('GET', '/org-units/' + encodeURIComponent(code)) : null;
        const list = await api<{ items: OrgUnit[] }>(
          'GET',
          code ? '/org-units?parent=' + encodeURIComponent(code) : '/org-units',
        );
        if (!live) return;
        setUnit(self);
        setChildren(list.items);
      } catch (err) {
        if (live) setError(errorText(err));
      }
    };
    load();
    return () => {
      live = false;
    };
  }, [code, reload]);

  const crumbs = unit ? unit.ancestors : [];
  const canAdd = unit !== null && canAddUnder(s.user, unit);

  return (
    <section class="page">
      <nav aria-label={t('org.breadcrumbs')} class="crumbs">
        <ol>
          <li>
            <Link href="/don-vi">{t('org.root')}</Link>
          </li>
          {crumbs.map((a) => (
            <li key={a.code}>
              <Link href={unitHref(a.code)}>{a.name}</Link>
            </li>
          ))}
          {unit && (
            <li>
              <span aria-current="page">{unit.name}</span>
            </li>
          )}
        </ol>
      </nav>
      <h1>{unit ? unit.name : t('org.title')}</h1>
      {unit && (
        <p class="muted">
          {levelName(unit.level)}
          {unit.kind ? ` · ${tOr('kind.' + unit.kind, unit.kind)}` : ''} · {t('org.code')}{' '}
          {unit.code}
          {s.lang === 'en' && unit.name_en && unit.name_en !== unit.name ? ` · ${unit.name_en}` : ''}
        </p>
      )}
      <Search />
      <Notice kind="error">{error}</Notice>
      {children && (
        <div class="children">
          <h2 class="h-small">
            {unit ? t('org.children', { count: children.length }) : t('org.provinces')}
          </h2>
          {children.length === 0 ? (
            <p class="muted">{t('org.no_children')}</p>
          ) : (
            <ul class="unit-list">
              {children.map((c) => (
                <li key={c.code}>
                  <Link href={unitHref(c.code)} class="unit-row">
                    <span class="unit-name">{c.name}</span>
                    <span class="unit-meta">
                      {levelName(c.level)}
                      {c.kind ? ` · ${tOr('kind.' + c.kind, c.kind)}` : ''}
                      {c.children_count > 0 ? ` · ${t('org.count', { count: c.children_count })}` : ''}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canAdd && unit && <AddForm parent={unit} onAdded={() => setReload((n) => n + 1)} />}
    </section>
  );
}
