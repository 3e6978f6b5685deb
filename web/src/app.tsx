import { useEffect } from 'preact/hooks';
import { Header } from './components/Header';
import { t } from './i18n';
import { canManageAccounts, canModerateSafety } from './roles';
import { Link, navigate, useLocation } from './router';
import { useSession } from './store';
import { casesNeedsUser, casesPage, casesPublicPage } from './pages/cases/routes';
import { AccountsPage } from './pages/Accounts';
import { CheckPage } from './pages/Check';
import { HomePage } from './pages/Home';
import { LoginPage } from './pages/Login';
import { ModerationPage } from './pages/moderation';
import { OrgPage } from './pages/Org';
import { ProfilePage } from './pages/Profile';
import { isReachPath, ReachRoute } from './pages/reach/routes';

function Route() {
  const { path } = useLocation();
  const s = useSession();
  const needsUser =
    path === '/tai-khoan' || path === '/ca-nhan' || path === '/kiem-duyet' || isReachPath(path);
  const caseUser = casesNeedsUser(path);

  useEffect(() => {
    if (s.ready && !s.user && (needsUser || caseUser)) {
      navigate('/dang-nhap?next=' + encodeURIComponent(path), true);
    }
  }, [s.ready, s.user, needsUser, caseUser, path]);

  const publicCase = casesPublicPage(path);
  if (publicCase) return publicCase;
  if (path === '/kiem-tra') return <CheckPage />;
  if (path === '/dang-nhap') return <LoginPage />;
  if (!s.ready) return <p class="muted page">{t('common.loading')}</p>;
  if (path === '/') return <HomePage />;
  if (path === '/don-vi') return <OrgPage code={null} />;
  const m = path.match(/^\/don-vi\/([^/]+)$/);
  if (m) return <OrgPage code={m[1]} />;
  if ((needsUser || caseUser) && !s.user) return null;
  if (s.user) {
    const page = casesPage(path, s.user);
    if (page === 'forbidden') return <Forbidden />;
    if (page) return page;
  }
  if (path === '/ca-nhan') return <ProfilePage />;
  if (path === '/tai-khoan') {
    return canManageAccounts(s.user) ? <AccountsPage /> : <Forbidden />;
  }
  if (path === '/kiem-duyet') {
    return canModerateSafety(s.user) ? <ModerationPage /> : <Forbidden />;
  }
  if (isReachPath(path)) {
    return <ReachRoute path={path} user={s.user} forbidden={<Forbidden />} notFound={<NotFound />} />;
  }
  return <NotFound />;
}

function Forbidden() {
  return (
    <section class="page">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.body')}</p>
      <Link href="/" class="btn">
        {t('common.back_home')}
      </Link>
    </section>
  );
}

function NotFound() {
  return (
    <section class="page">
      <h1>{t('notfound.title')}</h1>
      <p>{t('notfound.body')}</p>
      <Link href="/" class="btn">
        {t('common.back_home')}
      </Link>
    </section>
  );
}

export function App() {
  useSession(); // re-render everything when the language or user changes
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Route />
      </main>
      <footer class="site-footer">
        <p>{t('footer.hotline')}</p>
      </footer>
    </>
  );
}
