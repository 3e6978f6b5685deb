// "Thêm sự việc": the GBVIMS elimination wizard. One yes/no question per screen, in the
// vocabulary's order (rape → sexual assault → physical assault → forced marriage → denial of
// resources → psychological abuse); the first "yes" is the type, all "no" is non-GBV. Then
// the Article 3 acts, context flags and the alleged perpetrator. The server re-runs the
// elimination from the answers, so the type cannot be forged by skipping questions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { pick, t, tOr } from '../../i18n';
import { Problem, coreTypeName, today } from './common';
import type { Incident, Vocabulary } from './types';

interface Props {
  caseId: string;
  vocabulary: Vocabulary;
  onDone: (i: Incident) => void;
  onCancel: () => void;
}

function toggle(list: string[], id: string, on: boolean): string[] {
  return on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id);
}

export function IncidentWizard({ caseId, vocabulary, onDone, onCancel }: Props) {
  const questions = vocabulary.core_types.filter((c) => c.id !== 'non_gbv');
  // step: 0 = when/where, 1..n = questions, n+1 = details.
  const [step, setStep] = useState(0);
  const [date, setDate] = useState(today());
  const [place, setPlace] = useState('');
  const [answers, setAnswers] = useState<boolean[]>([]);
  const [acts, setActs] = useState<string[]>([]);
  const [flags, setFlags] = useState<string[]>([]);
  const [relation, setRelation] = useState('');
  const [perpSex, setPerpSex] = useState('');
  const [ageGroup, setAgeGroup] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const details = questions.length + 1;
  // Each new screen's question gets the focus, so a screen reader reads it next.
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);
  const yes = answers.indexOf(true);
  const coreType = yes >= 0 ? questions[yes].id : 'non_gbv';

  const answer = (value: boolean) => {
    const next = [...answers.slice(0, step - 1), value];
    setAnswers(next);
    setStep(value || step === questions.length ? details : step + 1);
  };

  const back = () => {
    setError('');
    if (step === details) setStep(answers.length);
    else setStep(step - 1);
  };

  const submit = async () => {
    setBusy(true);
    setError('');
    try {
      const i = await api<Incident>('POST', `/cases/${encodeURIComponent(caseId)}/incidents`, {
        occurred_on: date,
        place_type: place || undefined,
        wizard_answers: answers,
        dv_acts: acts,
        context_flags: flags,
        perpetrator:
          relation || perpSex || ageGroup
            ? { relationship: relation || undefined, sex: perpSex || undefined, age_group: ageGroup || undefined }
            : undefined,
      });
      onDone(i);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  // Three stages: when/where, the questions, the details.
  const progress = (
    <p class="wizard-progress muted">
      {step === 0
        ? t('cases.wizard_stage_when')
        : step <= questions.length
          ? t('cases.wizard_stage_question', { n: step, total: questions.length })
          : t('cases.wizard_stage_details')}
    </p>
  );

  if (step === 0) {
    return (
      <div class="wizard card form">
        {progress}
        <h3 class="wizard-q" tabIndex={-1} ref={heading}>
          {t('cases.wizard_when')}
        </h3>
        <label for="inc-date">{t('cases.incident_date')}</label>
        <input id="inc-date" type="date" max={today()} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        <label for="inc-place">{t('cases.incident_place')}</label>
        <select id="inc-place" value={place} onChange={(e) => setPlace(e.currentTarget.value)}>
          <option value="">{t('cases.not_known')}</option>
          {vocabulary.place_types.map((p) => (
            <option key={p} value={p}>
              {tOr('cases.place.' + p, p)}
            </option>
          ))}
        </select>
        <div class="toolbar">
          <button type="button" class="btn" onClick={onCancel}>
            {t('cases.cancel')}
          </button>
          <button
            type="button"
            class="btn primary"
            onClick={() => (date ? setStep(1) : setError(t('cases.incident_need_date')))}
          >
            {t('cases.wizard_next')}
          </button>
        </div>
        <Problem error={error} />
      </div>
    );
  }

  if (step <= questions.length) {
    const q = questions[step - 1];
    return (
      <div class="wizard card" role="group" aria-labelledby="wizard-q">
        {progress}
        <h3 class="wizard-q" id="wizard-q" tabIndex={-1} ref={heading}>
          {pick({ vi: q.question_vi, en: q.question_en })}
        </h3>
        <p class="hint">{t('cases.wizard_hint')}</p>
        <div class="yes-no">
          <button type="button" class="btn big primary" onClick={() => answer(true)}>
            {t('cases.yes')}
          </button>
          <button type="button" class="btn big" onClick={() => answer(false)}>
            {t('cases.no')}
          </button>
        </div>
        <button type="button" class="btn small wizard-back" onClick={back}>
          {t('cases.wizard_back')}
        </button>
      </div>
    );
  }

  return (
    <div class="wizard card form">
      {progress}
      <p class="wizard-result" role="status" tabIndex={-1} ref={heading}>
        {t('cases.wizard_result')} <strong>{coreTypeName(vocabulary, coreType)}</strong>
      </p>
      <fieldset class="choice">
        <legend>{t('cases.dv_acts')}</legend>
        <p class="hint">{t('cases.dv_acts_hint')}</p>
        {vocabulary.dv_acts.map((a) => (
          <label class="check-line" key={a.id}>
            <input
              type="checkbox"
              checked={acts.includes(a.id)}
              onChange={(e) => setActs(toggle(acts, a.id, e.currentTarget.checked))}
            />
            <span>
              <strong>{a.id === 'dd' ? 'đ' : a.id})</strong> {pick({ vi: a.label_vi, en: a.label_en })}
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset class="choice">
        <legend>{t('cases.context_flags')}</legend>
        {vocabulary.context_flags.map((f) => (
          <label class="check-line" key={f}>
            <input
              type="checkbox"
              checked={flags.includes(f)}
              onChange={(e) => setFlags(toggle(flags, f, e.currentTarget.checked))}
            />
            <span>{tOr('cases.ctx.' + f, f)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class="choice">
        <legend>{t('cases.perpetrator')}</legend>
        <label for="perp-rel">{t('cases.perp_relation')}</label>
        <select id="perp-rel" value={relation} onChange={(e) => setRelation(e.currentTarget.value)}>
          <option value="">{t('cases.not_known')}</option>
          {vocabulary.perpetrator_relationships.map((r) => (
            <option key={r} value={r}>
              {tOr('cases.rel.' + r, r)}
            </option>
          ))}
        </select>
        <label for="perp-sex">{t('cases.perp_sex')}</label>
        <select id="perp-sex" value={perpSex} onChange={(e) => setPerpSex(e.currentTarget.value)}>
          <option value="">{t('cases.not_known')}</option>
          {['male', 'female', 'other', 'unknown'].map((x) => (
            <option key={x} value={x}>
              {tOr('cases.sex_' + x, x)}
            </option>
          ))}
        </select>
        <label for="perp-age">{t('cases.perp_age')}</label>
        <select id="perp-age" value={ageGroup} onChange={(e) => setAgeGroup(e.currentTarget.value)}>
          <option value="">{t('cases.not_known')}</option>
          {vocabulary.perpetrator_age_groups.map((g) => (
            <option key={g} value={g}>
              {g === 'unknown' ? t('cases.not_known') : g}
            </option>
          ))}
        </select>
      </fieldset>
      <Problem error={error} />
      <div class="toolbar">
        <button type="button" class="btn" onClick={back}>
          {t('cases.wizard_back')}
        </button>
        <button type="button" class="btn primary" disabled={busy} onClick={submit}>
          {t('cases.incident_save')}
        </button>
      </div>
    </div>
  );
}
