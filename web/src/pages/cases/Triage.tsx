// /tiep-nhan: the triage queue of public reports for commune officers and case workers.
// A report becomes a case with "Mở hồ sơ"; reports without a known place are opened in
// one of her own communes.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { t, tOr } from '../../i18n';
import { Link, navigate } from '../../router';
import { useSession } from '../../store';
import { Problem, UnitName, formatDateTime, useLoad } from './common';
import type { CaseView, TriageItem } from './types';

function ReportCard({ item, communes }: { item: TriageItem; communes: { code: string; name: string }[] }) {
  const [org, setOrg] = useState(item.org_unit ?? communes[0]?.code ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const open = async () => {
    setBusy(true);
    setError('');
    try {
      const c = await api<CaseView>('POST', '/cases', { org_unit: org, report_id: item.id });
      navigate('/ca/' + encodeURIComponent(c.id));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <li class="card triage-item">
      <p class="triage-meta">
        <span class="badge">{tOr('report.status_' + item.status, item.status)}</span>{' '}
        <span class="muted">{formatDateTime(item.created_at)}</span>
      </p>
      <p>
        <strong>{t('cases.triage_place')}:</strong> <UnitName code={item.org_unit} />
      </p>
      <p>
        <strong>{t('cases.triage_about')}:</strong> {tOr('cases.triage_about_' + item.about, item.about)}
        {' · '}
        {item.anonymous ? t('cases.triage_anonymous') : t('cases.triage_named')}
      </p>
      {item.contact && (
        <p>
          <strong>{t('cases.triage_contact')}:</strong> {item.contact}
        </p>
      )}
      <p class="triage-text">{item.description}</p>
      {item.case_id ? (
        <Link href={'/ca/' + encodeURIComponent(item.case_id)} class="btn">
          {t('cases.triage_view_case')}
        </Link>
      ) : (
        <div class="form">
          {!item.org_unit && communes.length > 1 && (
            <>
              <label for={'org-' + item.id}>{t('cases.triage_open_in')}</label>
              <select id={'org-' + item.id} value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
                {communes.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="button" class="btn primary" disabled={busy || !org} onClick={open}>
            {t('cases.triage_open_case')}
          </button>
          <Problem error={error} />
        </div>
      )}
    </li>
  );
}

export function TriagePage() {
  const s = useSession();
  const [all, setAll] = useState(false);
  const list = useLoad<{ items: TriageItem[] }>(all ? '/reports' : '/reports?status=received');
  const communes = (s.user?.org_units ?? []).filter((u) => u.level === 'commune');

  return (
    <section class="page triage">
      <h1>{t('cases.triage_title')}</h1>
      <p class="muted">{t('cases.triage_intro')}</p>
      <label class="check-line">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
        <span>{t('cases.triage_show_all')}</span>
      </label>
      <Problem error={list.error} />
      {list.loading && <p class="muted">{t('common.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p class="card">{t('cases.triage_empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul class="plain-list">
          {list.data.items.map((i) => (
            <ReportCard key={i.id} item={i} communes={communes} />
          ))}
        </ul>
      )}
    </section>
  );
}
