// The public reporting pages, phone-first and without an account: /bao-cao sends a report
// (anonymous or with a contact) and shows the code + PIN once; /tra-cuu checks a code.
// Both carry the quick-exit button. Moves inside the flow use history.replaceState, so the
// form is never an entry of its own in the browser's history.
import { useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../../api';
import { t, tOr } from '../../i18n';
import { useOrgSearch } from '../../hooks';
import { navigate } from '../../router';
import { UnitLabel } from '../../components/UnitLabel';
import type { OrgUnit } from '../../types';
import { Problem, QuickExit, formatDate } from './common';
import type { ReportReceipt } from './types';

const MAX_DESCRIPTION = 4000;

interface Place {
  code: string;
  name: string;
}

// A village is reported under its commune: the commune's queue receives it.
function communeOf(u: OrgUnit): Place | null {
  if (u.level === 'commune') return { code: u.code, name: u.name };
  const c = u.ancestors.find((a) => a.level === 'commune');
  return c ? { code: c.code, name: u.name + ', ' + c.name } : null;
}

function PlacePicker({ value, unknown, onChange }: {
  value: Place | null;
  unknown: boolean;
  onChange: (p: Place | null, unknown: boolean) => void;
}) {
  const [q, setQ] = useState('');
  const { items, loading, error } = useOrgSearch(q, 250, 8);
  const options = items.map(communeOf).filter((p): p is Place => p !== null);
  const units = items.filter((u) => communeOf(u) !== null);

  if (value || unknown) {
    return (
      <div class="chosen-place">
        <p class="chosen-place-name">{value ? value.name : t('report.place_unknown')}</p>
        <button type="button" class="btn small" onClick={() => onChange(null, false)}>
          {t('report.place_change')}
        </button>
      </div>
    );
  }
  return (
    <div class="picker">
      <input
        id="report-place"
        type="search"
        autocomplete="off"
        placeholder={t('report.place_placeholder')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      {loading && <p class="muted">{t('common.searching')}</p>}
      {error && <p class="notice notice-error">{error}</p>}
      {units.length > 0 && (
        <ul class="picker-results">
          {units.map((u, i) => (
            <li key={u.code}>
              <button type="button" class="result-btn" onClick={() => onChange(options[i], false)}>
                <UnitLabel unit={u} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn" onClick={() => onChange(null, true)}>
        {t('report.place_dont_know')}
      </button>
    </div>
  );
}

function Receipt({ receipt }: { receipt: ReportReceipt }) {
  return (
    <div class="receipt" aria-live="polite">
      <h1>{t('report.sent_title')}</h1>
      <p class="receipt-write">{t('report.write_down')}</p>
      <dl class="receipt-codes">
        <dt>{t('report.code')}</dt>
        <dd class="receipt-code">{receipt.code}</dd>
        <dt>{t('report.pin')}</dt>
        <dd class="receipt-code">{receipt.pin}</dd>
      </dl>
      <p class="muted">{t('report.receipt_note')}</p>
    </div>
  );
}

export function ReportPage() {
  const [place, setPlace] = useState<Place | null>(null);
  const [unknown, setUnknown] = useState(false);
  const [about, setAbout] = useState<'myself' | 'someone_else' | ''>('');
  const [anonymous, setAnonymous] = useState(true);
  const [contact, setContact] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<ReportReceipt | null>(null);

  const clear = () => {
    setPlace(null);
    setUnknown(false);
    setAbout('');
    setContact('');
    setDescription('');
    setReceipt(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const text = description.normalize('NFC').trim();
    if (!place && !unknown) return setError(t('report.need_place'));
    if (!about) return setError(t('report.need_about'));
    if (!text) return setError(t('report.need_description'));
    if (!anonymous && !contact.trim()) return setError(t('report.need_contact'));
    setBusy(true);
    setError('');
    try {
      const r = await api<ReportReceipt>('POST', '/reports', {
        org_unit: place ? place.code : null,
        anonymous,
        about,
        description: text,
        ...(anonymous ? {} : { contact: contact.normalize('NFC').trim() }),
      });
      // Nothing of what she wrote stays in the page once it is sent.
      setDescription('');
      setContact('');
      setReceipt(r);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow report">
      <QuickExit clear={clear} />
      {receipt ? (
        <Receipt receipt={receipt} />
      ) : (
        <>
          <h1>{t('report.title')}</h1>
          <p class="muted">{t('report.intro')}</p>
          <p class="hotline card">{t('report.emergency')}</p>
          <form class="card form" onSubmit={submit} noValidate autocomplete="off">
            <label for="report-place">{t('report.place')}</label>
            <PlacePicker
              value={place}
              unknown={unknown}
              onChange={(p, u) => {
                setPlace(p);
                setUnknown(u);
                setError('');
              }}
            />
            <fieldset class="choice">
              <legend>{t('report.about')}</legend>
              <label class="radio">
                <input type="radio" name="about" checked={about === 'myself'} onChange={() => {
                    setAbout('myself');
                    setError('');
                  }} />
                <span>{t('report.about_myself')}</span>
              </label>
              <label class="radio">
                <input
                  type="radio"
                  name="about"
                  checked={about === 'someone_else'}
                  onChange={() => {
                    setAbout('someone_else');
                    setError('');
                  }}
                />
                <span>{t('report.about_someone')}</span>
              </label>
            </fieldset>
            <fieldset class="choice">
              <legend>{t('report.who_you_are')}</legend>
              <label class="radio">
                <input type="radio" name="anon" checked={anonymous} onChange={() => setAnonymous(true)} />
                <span>{t('report.anonymous')}</span>
              </label>
              <label class="radio">
                <input type="radio" name="anon" checked={!anonymous} onChange={() => setAnonymous(false)} />
                <span>{t('report.with_contact')}</span>
              </label>
              {!anonymous && (
                <>
                  <label for="report-contact">{t('report.contact')}</label>
                  <input
                    id="report-contact"
                    autocomplete="off"
                    maxLength={200}
                    value={contact}
                    onInput={(e) => setContact(e.currentTarget.value)}
                  />
                  <p class="hint">{t('report.contact_hint')}</p>
                </>
              )}
            </fieldset>
            <label for="report-description">{t('report.description')}</label>
            <textarea
              id="report-description"
              rows={6}
              maxLength={MAX_DESCRIPTION}
              autocomplete="off"
              placeholder={t('report.description_placeholder')}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
            <p class="hint">{t('report.privacy')}</p>
            <Problem error={error} />
            <button type="submit" class="btn primary big" disabled={busy}>
              {busy ? t('report.sending') : t('report.submit')}
            </button>
          </form>
          <p>
            <a
              href="/tra-cuu"
              onClick={(e) => {
                e.preventDefault();
                navigate('/tra-cuu', true);
              }}
            >
              {t('report.have_code')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

// GET /reports/{code} with the PIN in a header (never in the URL, which logs keep).
async function checkReport(code: string, pin: string) {
  let res: Response;
  try {
    res = await fetch('/api/v1/reports/' + encodeURIComponent(code), {
      headers: { Accept: 'application/json', 'X-Report-Pin': pin },
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const body = (await res.json().catch(() => ({}))) as {
    status?: string;
    created_at?: number;
    updated_at?: number;
    detail?: string;
    code?: string;
  };
  if (!res.ok) throw new ApiError(res.status, body.code ?? 'error', body.detail || t('report.lookup_failed'));
  return body as { status: string; created_at: number; updated_at: number };
}

export function LookupPage() {
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ status: string; created_at: number; updated_at: number } | null>(null);

  const clear = () => {
    setCode('');
    setPin('');
    setResult(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const c = code.trim().toUpperCase();
    if (!c || !/^\d{6}$/.test(pin.trim())) return setError(t('report.lookup_need'));
    setBusy(true);
    setError('');
    setResult(null);
    try {
      setResult(await checkReport(c, pin.trim()));
      setPin('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow report">
      <QuickExit clear={clear} />
      <h1>{t('report.lookup_title')}</h1>
      <p class="muted">{t('report.lookup_intro')}</p>
      <form class="card form" onSubmit={submit} noValidate autocomplete="off">
        <label for="lookup-code">{t('report.code')}</label>
        <input
          id="lookup-code"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
        <label for="lookup-pin">{t('report.pin')}</label>
        <input
          id="lookup-pin"
          inputMode="numeric"
          autocomplete="off"
          maxLength={6}
          value={pin}
          onInput={(e) => setPin(e.currentTarget.value)}
        />
        <Problem error={error} />
        <button type="submit" class="btn primary big" disabled={busy}>
          {t('report.lookup_submit')}
        </button>
      </form>
      {result && (
        <div class="card lookup-result" role="status">
          <p class="lookup-status">{tOr('report.status_' + result.status, result.status)}</p>
          <p class="muted">{tOr('report.status_' + result.status + '_body', '')}</p>
          <p class="muted">
            {t('report.sent_on', { date: formatDate(result.created_at) })}
            {result.updated_at && result.updated_at !== result.created_at
              ? ' · ' + t('report.updated_on', { date: formatDate(result.updated_at) })
              : ''}
          </p>
        </div>
      )}
      <p>
        <a
          href="/bao-cao"
          onClick={(e) => {
            e.preventDefault();
            navigate('/bao-cao', true);
          }}
        >
          {t('report.new_report')}
        </a>
      </p>
    </section>
  );
}
