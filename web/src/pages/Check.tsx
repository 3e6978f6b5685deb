// "Kiểm tra tin nhắn": public, phone-first. Paste a message, see the verdict in words and
// colour, the risky parts highlighted with the reason for each, and what to do.
import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { pick, t, tOr } from '../i18n';
import { splitBySpans } from '../highlight';
import { Notice } from '../components/Notice';
import { parseConversation, type ChatMessage } from '../conversation';
import type { CheckResult, ConversationResult, Entity, Reason, Verdict } from '../types';

const MAX_CHARS = 5000;
const MAX_CHAT_CHARS = 20000;
const MAX_MESSAGES = 200; // the API's limit
const GROOMING_STAGES = ['contact', 'trust', 'age_school', 'secrecy', 'gifts', 'images', 'meeting'];

// The words a reason marks, from the message it is in.
function spanText(chat: ChatMessage[] | null, sent: string, r: Reason): string {
  const text = chat && r.message !== undefined ? chat[r.message]?.text ?? '' : sent;
  return Array.from(text).slice(r.start, r.end).join('');
}

// The words as the sender wrote them ("50 triệu"), which mean more to the reader than the
// server's normalised value ("50000000"); the value when the span is empty.
function entityText(text: string, en: Entity): string {
  const written = Array.from(text).slice(en.start, en.end).join('').trim();
  return written || en.value;
}

// The line under the verdict. `weak`: a safe verdict that still lists reasons (signs too weak
// to flag the message), so it must not say that nothing was found; `warning`: one of them says
// the message warns about scams. A flag speaks of its strongest category: "don't transfer
// money" is no advice for grooming or insults.
function verdictLine(verdict: Verdict, weak: boolean, warning: boolean, top: string | undefined): string {
  if (weak && warning) return t('check.verdict_safe_warning_sub');
  if (weak) return t('check.verdict_safe_weak_sub');
  if (verdict !== 'safe' && top && top !== 'scam') return tOr('check.verdict_sub_' + top, '');
  return tOr('check.verdict_' + verdict + '_sub', '');
}

function VerdictBox({ verdict, line }: { verdict: Verdict; line: string }) {
  return (
    <div class={`verdict verdict-${verdict}`} role="status">
      <span class="verdict-icon" aria-hidden="true">
        {verdict === 'safe' ? '✓' : verdict === 'caution' ? '!' : '✕'}
      </span>
      <span class="verdict-word">{tOr('check.verdict_' + verdict, verdict)}</span>
      <span class="verdict-sub">{line}</span>
    </div>
  );
}

// A reason of negative weight speaks for the message (it reads as a warning about scams):
// shown in green, never as a risky part.
const reassures = (r: Reason) => r.weight < 0;
const markClass = (r: Reason) => (reassures(r) ? 'reassuring' : 'cat-' + r.category);

// `reasons` are the spans in `text`, each with the number its reason has in the list below.
function Marked({ text, reasons }: { text: string; reasons: Numbered[] }) {
  const pieces = splitBySpans(text, reasons.map((x) => x.reason));
  return (
    <p class="message">
      {pieces.map((p, i) =>
        p.ids.length === 0 ? (
          <span key={i}>{p.text}</span>
        ) : (
          <mark key={i} class={markClass(reasons[p.ids[0]].reason)}>
            {p.text}
            <sup class="ref">{p.ids.map((id) => reasons[id].num).join(',')}</sup>
          </mark>
        ),
      )}
    </p>
  );
}

interface Numbered {
  reason: Reason;
  num: number;
}

// The conversation as sent, one bubble per message with its own highlights.
function Chat({ messages, result }: { messages: ChatMessage[]; result: CheckResult }) {
  const numbered = result.reasons.map((reason, i) => ({ reason, num: i + 1 }));
  return (
    <ol class="chat">
      {messages.map((m, i) => (
        <li key={i} class="chat-msg">
          <span class="chat-head">
            <span class="chat-num">{t('check.message_n', { n: i + 1 })}</span>
            <strong class="chat-from">{m.from || t('check.no_sender')}</strong>
          </span>
          <Marked text={m.text} reasons={numbered.filter((x) => x.reason.message === i)} />
        </li>
      ))}
    </ol>
  );
}

// The grooming stages in the order they usually come, the ones this conversation reached
// marked with the messages that showed them.
function Stages({ conversation }: { conversation: ConversationResult }) {
  const seen = new Map(conversation.stages.map((s) => [s.stage, s.messages]));
  return (
    <div class="card stages-card">
      <h2 class="h-small">{t('check.stages')}</h2>
      <p class="stage-summary">
        {conversation.stage
          ? t('check.stage_reached', { stage: tOr('stage.' + conversation.stage, conversation.stage) })
          : t('check.stage_none')}
      </p>
      <ol class="stages">
        {GROOMING_STAGES.map((stage) => {
          const at = seen.get(stage);
          return (
            <li key={stage} class={at ? 'stage reached' : 'stage'}>
              <span class="stage-dot" aria-hidden="true">
                {at ? '●' : '○'}
              </span>
              <span>
                {tOr('stage.' + stage, stage)}
                {at && (
                  <small class="muted">
                    {' '}
                    · {t('check.in_messages', { list: at.map((i) => i + 1).join(', ') })}
                  </small>
                )}
              </span>
              <span class="sr-only">{at ? t('check.stage_seen') : t('check.stage_not_seen')}</span>
            </li>
          );
        })}
      </ol>
    </div>
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

type Mode = 'message' | 'conversation';

export function CheckPage() {
  const [mode, setMode] = useState<Mode>('message');
  const [draft, setDraft] = useState('');
  const [sent, setSent] = useState('');
  const [chat, setChat] = useState<ChatMessage[] | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const switchMode = (next: Mode) => {
    setMode(next);
    setResult(null);
    setError('');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    // NFC so the code-point offsets the server returns match the text shown here.
    const text = draft.normalize('NFC').trim();
    if (!text) {
      setError(t(mode === 'message' ? 'check.empty' : 'check.empty_chat'));
      return;
    }
    const messages = mode === 'conversation' ? parseConversation(text) : null;
    if (messages && messages.length > MAX_MESSAGES) {
      setError(t('check.too_many_messages', { max: MAX_MESSAGES }));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await api<CheckResult>('POST', '/safety/check', messages ? { messages } : { text });
      setSent(text);
      setChat(messages);
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
  const topCategory = result ? [...cats].sort((a, b) => (result.scores[b] ?? 0) - (result.scores[a] ?? 0))[0] : undefined;

  return (
    <section class="page narrow check">
      <h1>{t('check.title')}</h1>
      <p class="muted">{t('check.intro')}</p>
      <form class="card form" onSubmit={submit} noValidate>
        <fieldset class="segmented">
          <legend class="sr-only">{t('check.mode')}</legend>
          {(['message', 'conversation'] as Mode[]).map((m) => (
            <label key={m} class={mode === m ? 'seg on' : 'seg'}>
              <input type="radio" name="check-mode" checked={mode === m} onChange={() => switchMode(m)} />
              {m === 'message' ? t('check.mode_message') : t('check.mode_conversation')}
            </label>
          ))}
        </fieldset>
        <label for="check-text">{t(mode === 'message' ? 'check.label' : 'check.label_chat')}</label>
        {mode === 'conversation' && <p class="hint">{t('check.chat_hint')}</p>}
        <textarea
          id="check-text"
          rows={mode === 'message' ? 6 : 10}
          maxLength={mode === 'message' ? MAX_CHARS : MAX_CHAT_CHARS}
          placeholder={t(mode === 'message' ? 'check.placeholder' : 'check.placeholder_chat')}
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
          <VerdictBox verdict={result.verdict} line={verdictLine(result.verdict, weakOnly, result.reasons.some(reassures), topCategory)} />
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
          {result.conversation && <Stages conversation={result.conversation} />}
          <h2 class="h-small">{t(chat ? 'check.conversation' : 'check.message')}</h2>
          {chat ? (
            <Chat messages={chat} result={result} />
          ) : (
            <div class="card">
              <Marked text={sent} reasons={result.reasons.map((reason, i) => ({ reason, num: i + 1 }))} />
            </div>
          )}
          {result.reasons.length > 0 && (
            <>
              <h2 class="h-small">{t(weakOnly ? 'check.reasons_weak' : 'check.reasons')}</h2>
              <ol class="reasons">
                {result.reasons.map((r, i) => (
                  <li key={i} class={'reason ' + markClass(r)}>
                    <span class="reason-num" aria-hidden="true">
                      {i + 1}
                    </span>
                    <div>
                      {chat && r.message !== undefined && (
                        <small class="muted reason-where">{t('check.message_n', { n: r.message + 1 })}</small>
                      )}
                      {r.end > r.start && <q>{spanText(chat, sent, r)}</q>}
                      <p>{pick(r.explanation)}</p>
                      <small class="muted">
                        {reassures(r) ? t('check.reassuring') : tOr('category.' + r.category, r.category)}
                      </small>
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
                    <span class="entity-text">{entityText(chat && en.message !== undefined ? chat[en.message]?.text ?? '' : sent, en)}</span>
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
