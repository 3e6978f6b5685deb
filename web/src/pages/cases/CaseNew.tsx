// /ca/moi: intake of a new case — where (her commune, optionally a village), who (identity,
// encrypted by the server; only the survivor code appears in lists), sex, birth year,
// ethnicity, disability. The case page then warns about possible duplicates.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { t, tOr } from '../../i18n';
import { navigate } from '../../router';
import { useSession } from '../../store';
import type { OrgUnit } from '../../types';
import { Problem, useLoad } from './common';
import type { CaseView } from './types';

const SEXES = ['female', 'male', 'other', 'unknown'];

export function CaseNewPage() {
  const s = useSession();
  const communes = (s.user?.org_units ?? []).filter((u) => u.level === 'commune' || u.level === 'village');
  const [commune, setCommune] = useState(communes[0]?.code ?? '');
  const [village, setVillage] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [sex, setSex] = useState('female');
  const [birthYear, setBirthYear] = useState('');
  const [ethnicity, setEthnicity] = useState('');
  const [disability, setDisability] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const villages = useLoad<{ items: OrgUnit[] }>(
    commune ? `/org-units?parent=${encodeURIComponent(commune)}&level=village&limit=200` : null,
  );
  const ethnicities = useLoad<{ items: { slug: string; name: string }[] }>('/reach/ethnicities');

  const submit = async (e: Event) => {
    e.preventDefault();
    const year = birthYear.trim() ? Number(birthYear) : null;
    const thisYear = new Date().getFullYear();
    if (!commune) return setError(t('cases.intake_need_commune'));
    if (year !== null && (!Number.isInteger(year) || year < 1900 || year > thisYear)) {
      return setError(t('cases.intake_bad_year', { year: thisYear }));
    }
    setBusy(true);
    setError('');
    const clean = (v: string) => (v.trim() ? v.normalize('NFC').trim() : undefined);
    try {
      const c = await api<CaseView>('POST', '/cases', {
        org_unit: village || commune,
        survivor: {
          name: clean(name),
          phone: clean(phone),
          address: clean(address),
          sex,
          birth_year: year ?? undefined,
          ethnicity: clean(ethnicity),
          disability,
        },
      });
      navigate('/ca/' + encodeURIComponent(c.id), true);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <h1>{t('cases.intake_title')}</h1>
      <p class="muted">{t('cases.intake_intro')}</p>
      <form class="card form" onSubmit={submit} noValidate autocomplete="off">
        <h2 class="h-small">{t('cases.intake_place')}</h2>
        {communes.length > 1 && (
          <>
            <label for="intake-commune">{t('cases.intake_commune')}</label>
            <select
              id="intake-commune"
              value={commune}
              onChange={(e) => {
                setCommune(e.currentTarget.value);
                setVillage('');
              }}
            >
              {communes.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
            </select>
          </>
        )}
        {communes.length === 1 && <p>{communes[0].name}</p>}
        <label for="intake-village">{t('cases.intake_village')}</label>
        <select id="intake-village" value={village} onChange={(e) => setVillage(e.currentTarget.value)}>
          <option value="">{t('cases.intake_village_none')}</option>
          {(villages.data?.items ?? []).map((v) => (
            <option key={v.code} value={v.code}>
              {v.name}
            </option>
          ))}
        </select>

        <h2 class="h-small intake-h">{t('cases.intake_identity')}</h2>
        <p class="hint">{t('cases.intake_identity_hint')}</p>
        <label for="intake-name">{t('cases.survivor_name')}</label>
        <input id="intake-name" autocomplete="off" maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="intake-phone">{t('cases.survivor_phone')}</label>
        <input
          id="intake-phone"
          type="tel"
          autocomplete="off"
          maxLength={40}
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
        <label for="intake-address">{t('cases.survivor_address')}</label>
        <input
          id="intake-address"
          autocomplete="off"
          maxLength={200}
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
        />

        <h2 class="h-small intake-h">{t('cases.intake_about')}</h2>
        <fieldset class="choice">
          <legend>{t('cases.sex')}</legend>
          {SEXES.map((x) => (
            <label class="radio" key={x}>
              <input type="radio" name="sex" checked={sex === x} onChange={() => setSex(x)} />
              <span>{tOr('cases.sex_' + x, x)}</span>
            </label>
          ))}
        </fieldset>
        <label for="intake-year">{t('cases.birth_year')}</label>
        <input
          id="intake-year"
          inputMode="numeric"
          maxLength={4}
          value={birthYear}
          onInput={(e) => setBirthYear(e.currentTarget.value)}
        />
        <label for="intake-ethnicity">{t('cases.ethnicity')}</label>
        {ethnicities.data ? (
          <select id="intake-ethnicity" value={ethnicity} onChange={(e) => setEthnicity(e.currentTarget.value)}>
            <option value="">{t('cases.ethnicity_unknown')}</option>
            {ethnicities.data.items.map((x) => (
              <option key={x.slug} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            id="intake-ethnicity"
            maxLength={60}
            value={ethnicity}
            onInput={(e) => setEthnicity(e.currentTarget.value)}
          />
        )}
        <label class="check-line">
          <input type="checkbox" checked={disability} onChange={(e) => setDisability(e.currentTarget.checked)} />
          <span>{t('cases.disability')}</span>
        </label>
        <Problem error={error} />
        <button type="submit" class="btn primary big" disabled={busy}>
          {t('cases.intake_submit')}
        </button>
      </form>
    </section>
  );
}
