// /chuyen-den: a trusted-address keeper's incoming referrals. She sees only what each
// referral shares (no identity unless it says so) and answers accept / decline / complete.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { t } from '../../i18n';
import { Link } from '../../router';
import { Problem, useLoad } from './common';
import { ReferralActions, ReferralItem } from './CaseSections';
import type { CaseSummary, CaseView } from './types';

export function IncomingPage() {
  const list = useLoad<{ items: CaseSummary[] }>('/cases');
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [n, setN] = useState(0);
  const ids = (list.data?.items ?? []).map((c) => c.id).join(',');

  useEffect(() => {
    if (!list.data) return undefined;
    let live = true;
    Promise.all(
      list.data.items.map((c) =>
        api<CaseView>('GET', '/cases/' + encodeURIComponent(c.id)).then(
          (v) => v,
          () => null,
        ),
      ),
    ).then((all) => live && setCases(all.filter((v): v is CaseView => v !== null)));
    return () => {
      live = false;
    };
  }, [ids, n]);

  const reload = () => {
    setN((x) => x + 1);
    list.reload();
  };
  const open = (cases ?? []).flatMap((c) =>
    c.referrals.filter((r) => r.status === 'sent' || r.status === 'accepted').map((r) => ({ c, r })),
  );

  return (
    <section class="page">
      <h1>{t('cases.incoming_title')}</h1>
      <p class="muted">{t('cases.incoming_intro')}</p>
      <Problem error={list.error} />
      {(list.loading || (list.data && !cases)) && <p class="muted">{t('common.loading')}</p>}
      {cases && open.length === 0 && <p class="card">{t('cases.incoming_empty')}</p>}
      <ul class="plain-list">
        {open.map(({ c, r }) => (
          <li key={r.id} class="card incoming">
            <p class="item-head">
              <Link href={'/ca/' + encodeURIComponent(c.id)} class="case-code">
                {c.survivor_code}
              </Link>
            </p>
            <ul class="plain-list">
              <ReferralItem r={r}>
                <ReferralActions r={r} reload={reload} />
              </ReferralItem>
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
