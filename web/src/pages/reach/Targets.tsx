// Yearly targets (/chi-tieu): people reached, ethnic-minority women reached and sessions held,
// per org unit in her scope. Officers who record reach may set them (the server checks scope).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { Notice } from '../../components/Notice';
import { t, tOr } from '../../i18n';
import { Link, useLocation } from '../../router';
import { useSession } from '../../store';
import { fmt, placeOption, todayVn, usePlaces } from './shared';

const INDICATORS = ['unique_people', 'minority_women', 'sessions', 'participations', 'women'] as const;

interface Target {
  org_unit: string;
  year: number;
  indicator: string;
  value: number;
}

export function TargetsPage() {
  const s = useSession();
  const { query } = useLocation();
  const { places } = usePlaces(s.user);
  const [org, setOrg] = useState(query.get('org') || s.user?.org_units[0]?.code || '');
  const [year, setYear] = useState(Number(todayVn().slice(0, 4)));
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  // Only communes and the province carry targets; villages report into their commune's.
  const units = places.filter((p) => p.level === 'province' || p.level === 'commune');

  useEffect(() => {
    if (!org) return;
    let live = true;
    setDone('');
    api<{ items: Target[] }>('GET', `/reach/targets?org=${encodeURIComponent(org)}&year=${year}`).then(
      (r) => {
        if (!live) return;
        const v: Record<string, string> = {};
        for (const x of r.items) if (x.org_unit === org) v[x.indicator] = String(x.value);
        setValues(v);
        setError('');
      },
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [org, year]);

  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    for (const k of INDICATORS) {
      const x = values[k];
      if (x !== undefined && x !== '' && !(Number.isInteger(Number(x)) && Number(x) >= 0)) {
        return setError(t('reach.err_target'));
      }
    }
    setBusy(true);
    try {
      for (const k of INDICATORS) {
        const x = values[k];
        if (x === undefined || x === '') continue;
        await api('PUT', '/reach/targets', { org_unit: org, year, indicator: k, value: Number(x) });
      }
      setDone(t('reach.targets_saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const thisYear = Number(todayVn().slice(0, 4));
  return (
    <section class="page narrow reach-page">
      <h1>{t('reach.targets_page')}</h1>
      <p>{t('reach.targets_intro')}</p>
      <form class="card form" onSubmit={save} noValidate>
        <label for="tg-org">{t('reach.place')}</label>
        <select id="tg-org" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
          {!units.some((u) => u.code === org) && org && <option value={org}>{org}</option>}
          {units.map((u) => (
            <option key={u.code} value={u.code}>
              {placeOption(u)}
            </option>
          ))}
        </select>
        <label for="tg-year">{t('reach.year')}</label>
        <select id="tg-year" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
          {[thisYear - 1, thisYear, thisYear + 1].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        {INDICATORS.map((k) => (
          <Fragment key={k}>
            <label for={'tg-' + k}>{tOr('reach.target.' + k, k)}</label>
            <input
              id={'tg-' + k}
              inputMode="numeric"
              value={values[k] ?? ''}
              placeholder={t('reach.not_set')}
              onInput={(e) => {
                const x = e.currentTarget.value.replace(/[^\d]/g, '');
                setValues((o) => ({ ...o, [k]: x }));
              }}
            />
            {Number(values[k]) >= 1000 && <p class="hint">{fmt(Number(values[k]))}</p>}
          </Fragment>
        ))}
        <Notice kind="error">{error}</Notice>
        <Notice kind="ok">{done}</Notice>
        <button type="submit" class="btn primary" disabled={busy || !org}>
          {t('reach.save')}
        </button>
      </form>
      <p>
        <Link href={'/tiep-can?org=' + encodeURIComponent(org)}>{t('reach.back_dashboard')}</Link>
      </p>
    </section>
  );
}
