// The reach area's routes. app.tsx asks isReachPath() and renders <ReachRoute>. The dashboard
// is the heaviest page and most users never open it on a phone, so it is fetched on demand.
import type { FunctionComponent, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { canRecordReach, canViewReach } from '../../roles';
import type { User } from '../../types';
import { ActivitiesPage, NewActivityPage } from './Activities';
import { ActivityPage } from './Activity';
import { ImportPage } from './Import';
import { TargetsPage } from './Targets';

export function isReachPath(path: string): boolean {
  return /^\/(hoat-dong|tiep-can|nhap-danh-sach|chi-tieu)(\/|$)/.test(path);
}

let dashboard: FunctionComponent | null = null;

function LazyDashboard() {
  const [Page, setPage] = useState<FunctionComponent | null>(() => dashboard);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Page) return;
    import('./Dashboard').then(
      (m) => {
        dashboard = m.DashboardPage;
        setPage(() => m.DashboardPage);
      },
      () => setFailed(true),
    );
  }, []);
  if (failed) return <p class="notice notice-error page">{t('error.network')}</p>;
  return Page ? <Page /> : <p class="muted page">{t('common.loading')}</p>;
}

// The page for `path`; `forbidden` when her role may not see it.
export function ReachRoute({
  path,
  user,
  forbidden,
  notFound,
}: {
  path: string;
  user: User | null;
  forbidden: JSX.Element;
  notFound: JSX.Element;
}) {
  if (path === '/tiep-can') return canViewReach(user) ? <LazyDashboard /> : forbidden;
  if (path === '/hoat-dong') return canViewReach(user) ? <ActivitiesPage /> : forbidden;
  if (!canRecordReach(user)) {
    const m = path.match(/^\/hoat-dong\/([^/]+)$/);
    if (m && m[1] !== 'moi' && canViewReach(user)) return <ActivityPage id={m[1]} />;
    return forbidden;
  }
  if (path === '/hoat-dong/moi') return <NewActivityPage />;
  if (path === '/nhap-danh-sach') return <ImportPage />;
  if (path === '/chi-tieu') return <TargetsPage />;
  const m = path.match(/^\/hoat-dong\/([^/]+)$/);
  if (m) return <ActivityPage id={m[1]} />;
  return notFound;
}
