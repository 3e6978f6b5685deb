// "Kiểm tra tin nhắn": public, phone-first. Paste a message, see the verdict in words and
// colour, the risky parts highlighted with the reason for each, and what to do.
import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { pick, t, tOr } from '../i18n';
import { splitBySpans } from '../highlight';
import { Notice } from '../components/Notice';
import type { CheckResult, Entity, Verdict } from '../types';

const MAX_CHARS = 5000;

// The words as the sender wrote them ("50 triệu"), which mean more to the reader than the
// server's normalised value ("50000000"); the value when the span is empty.
function entityText(text: string, en: Entity): string {
  const written = Array.from(text).slice(en.start, en.end).join('').trim();
  return written || en.value;
}

// `weak`: a safe verdict that still lists reasons (signs too weak to flag the message), so
// the line under it must not say that nothing was found.
function VerdictBox({ verdict, weak }: { verdict: Verdict; weak: boolean }) {
  return (
    <div class={`verdict verdict-${verdict}`} role="status">
      <span class="verdict-icon" aria-hidden="true">
        {verdict === 'safe' ? '✓' : verdict === 'caution' ? '!' : '✕'}
      </span>
      <span class="verdict-word">{tOr('check.verdict_' + verdict, verdict)}</span>
      <span class="verdict-sub">{weak ? t('check.verdict_safe_weak_sub') : tOr('check.verdict_' + verdict + '_sub', '')}</span>
    </div>
  );
}

function Marked({ text, result }: { text: string; result: CheckResult }) {
  const pieces = splitBySpans(text, result.reasons);
  return (
    <p class="message">
      {pieces.map((p, i) =>
        p.ids.length === 0 ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} class={'cat-' + result.reasons[p.ids[0]].category}>
            {p.text}
            <sup class="ref">{p.ids.map((id) => id + 1).join(',')}</sup>
          </mark>
        ),
      )}
    </p>
  );
}

function Actions({ text, verdict }: { text: string; verdict: Verdict }) {
  const [consent, setConsent] = useState(false);
  const [reportMsg, setReportMsg] = useState('');
  const [reportErr, setReportErr] = useState('');
  const [feedbackMsg, setFeedbackMsg] = useState('');
  const [feedbackErr, setFeedbackErr] = useState('');
  const [busy, setBusy] = useState(false);

  const report = async () => {
    setReportMsg('');
    if (!consent) {
      setReportErr(t('check.consent_needed'));
      return;
    }
    setBusy(true);
    setReportErr('');
    try {
      await api('POST', '/safety/reports', { text, consent: true, verdict });
      setReportMsg(t('check.reported'));
    } catch (e) {
      setReportErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const feedback = async () => {
    setBusy(true);
    setFeedbackMsg('');
    setFeedbackErr('');
    try {
      await api('POST', '/safety/feedback', { verdict, correct: false });
      setFeedbackMsg(t('check.feedback_thanks'));
    } catch (e) {
      setFeedbackErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card actions">
      <h2 class="h-small">{t('check.report_title')}</h2>
      <label class="check-line">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
        <span>{t('check.consent')}</span>
      </label>
      <button type="button" class="btn primary" disabled={busy || !!reportMsg} onClick={report}>
        {t('check.report')}
      </button>
      <Notice kind="error">{reportErr}</Notice>
      <Notice kind="ok">{reportMsg}</Notice>
      <div class="divider" />
      <button type="button" class="btn" disabled={busy || !!feedbackMsg} onClick={feedback}>
        {t('check.wrong')}
      </button>
      <Notice kind="error">{feedbackErr}</Notice>
      <Notice kind="ok">{feedbackMsg}</Notice>
    </div>
  );
}

export function CheckPage() {
  const [draft, setDraft] = useState('');
  const [sent, setSent] = useState('');
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    // NFC so the code-point offsets the server returns match the text shown here.
    const text = draft.normalize('NFC').trim();
    if (!text) {
      setError(t('check.empty'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await api<CheckResult>('POST', '/safety/check', { text });
      setSent(text);
      setResult(r);
    } catch (err) {
      setResult(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const cats = result ? result.categories : [];
  const weakOnly = result !== null && result.verdict === 'safe' && result.reasons.length > 0;

  return (
    <section class="page narrow check">
      <h1>{t('check.title')}</h1>
      <p class="muted">{t('check.intro')}</p>
      <form class="card form" onSubmit={submit} noValidate>
        <label for="check-text">{t('check.label')}</label>
        <textarea
          id="check-text"
          rows={6}
          maxLength={MAX_CHARS}
          placeholder={t('check.placeholder')}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <p class="hint">{t('check.privacy')}</p>
        <Notice kind="error">{error}</Notice>
        <button type="submit" class="btn primary big" disabled={busy}>
          {busy ? t('check.checking') : t('check.submit')}
        </button>
      </form>
      {result && (
        <div class="result" aria-live="polite">
          <VerdictBox verdict={result.verdict} weak={weakOnly} />
          {cats.length > 0 && (
            <p class="cats">
              {t('check.categories')}{' '}
              {cats.map((c) => (
                <span key={c} class={'tag cat-' + c}>
                  {tOr('category.' + c, c)}
                </span>
              ))}
            </p>
          )}
          <h2 class="h-small">{t('check.message')}</h2>
          <div class="card">
            <Marked text={sent} result={result} />
          </div>
          {result.reasons.length > 0 && (
            <>
              <h2 class="h-small">{t(weakOnly ? 'check.reasons_weak' : 'check.reasons')}</h2>
              <ol class="reasons">
                {result.reasons.map((r, i) => (
                  <li key={i} class={'reason cat-' + r.category}>
                    <span class="reason-num" aria-hidden="true">
                      {i + 1}
                    </span>
                    <div>
                      {r.end > r.start && <q>{Array.from(sent).slice(r.start, r.end).join('')}</q>}
                      <p>{pick(r.explanation)}</p>
                      <small class="muted">{tOr('category.' + r.category, r.category)}</small>
                    </div>
                  </li>
                ))}
              </ol>
            </>
          )}
          {result.entities.length > 0 && (
            <>
              <h2 class="h-small">{t('check.entities')}</h2>
              <ul class="entities">
                {result.entities.map((en, i) => (
                  <li key={i}>
                    <span class="tag">{tOr('entity.' + en.type, en.type)}</span>{' '}
                    <span class="entity-text">{entityText(sent, en)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {result.advice.length > 0 && (
            <>
              <h2 class="h-small">{t('check.advice')}</h2>
              <ul class="advice">
                {result.advice.map((a, i) => (
                  <li key={i}>{pick(a)}</li>
                ))}
              </ul>
            </>
          )}
          <Actions text={sent} verdict={result.verdict} />
        </div>
      )}
      <p class="hotline card">{t('check.hotline')}</p>
    </section>
  );
}
