// On a case worker's (or supervisor's) home page: her high-risk cases and overdue tasks.
// Either list is left out quietly when the server does not offer it.
import { t } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../store';
import { CaseRow } from './CaseList';
import { TaskItem } from './CaseSections';
import { riskOf, useLoad } from './common';
import { canListCases } from './roles';
import type { CaseSummary, Task } from './types';

function Panel() {
  const risky = useLoad<{ items: CaseSummary[] }>('/cases?risk=high&status=open');
  const tasks = useLoad<{ items: Task[] }>('/tasks?scope=mine&overdue=true');
  const high = (risky.data?.items ?? []).filter((c) => riskOf(c) === 'high');
  return (
    <div class="home-cases">
      {risky.data && (
        <section class="card home-panel" aria-labelledby="home-risk">
          <h2 class="h-small" id="home-risk">
            {t('cases.home_high_risk')}
          </h2>
          {high.length === 0 ? (
            <p class="muted">{t('cases.home_high_risk_none')}</p>
          ) : (
            <ul class="plain-list case-list">
              {high.slice(0, 5).map((c) => (
                <CaseRow key={c.id} c={c} />
              ))}
            </ul>
          )}
          {high.length > 5 && <Link href="/ca?risk=high">{t('cases.home_see_all')}</Link>}
        </section>
      )}
      {tasks.data && (
        <section class="card home-panel" aria-labelledby="home-tasks">
          <h2 class="h-small" id="home-tasks">
            {t('cases.home_overdue')}
          </h2>
          {tasks.data.items.length === 0 ? (
            <p class="muted">{t('cases.home_overdue_none')}</p>
          ) : (
            <ul class="plain-list">
              {tasks.data.items.slice(0, 10).map((x) => (
                <TaskItem key={x.id} task={x} reload={tasks.reload} showCase />
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

export function CasesHomePanel() {
  const s = useSession();
  return canListCases(s.user) ? <Panel /> : null;
}
