import { useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { switchLang } from '../lang';
import { canManageAccounts, canModerateSafety, canRecordReach, canViewReach } from '../roles';
import { casesNav } from '../pages/cases/routes';
import { Link, navigate, useLocation } from '../router';
import { setSession, useSession } from '../store';

export function Header() {
  const s = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);

  const items: { href: string; label: string }[] = [{ href: '/', label: t('nav.home') }];
  if (s.user) items.push({ href: '/don-vi', label: t('nav.org') });
  if (canManageAccounts(s.user)) items.push({ href: '/tai-khoan', label: t('nav.accounts') });
  if (canRecordReach(s.user)) items.push({ href: '/hoat-dong', label: t('reach.nav_activities') });
  if (canViewReach(s.user)) items.push({ href: '/tiep-can', label: t('reach.nav_dashboard') });
  items.push({ href: '/kiem-tra', label: t('nav.check') });
  if (canModerateSafety(s.user)) items.push({ href: '/kiem-duyet', label: t('nav.moderation') });
  items.push(...casesNav(s.user));
  if (s.user) items.push({ href: '/ca-nhan', label: t('nav.profile') });

  const isCurrent = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(href + '/');

  const logout = async () => {
    try {
      await api('POST', '/auth/logout');
    } catch {
      // Signed out locally either way; the session expires on the server.
    }
    setSession({ user: null, csrf: null });
    setOpen(false);
    navigate('/dang-nhap');
  };

  return (
    <header class="site-header">
      <div class="bar">
        <Link href="/" class="brand" aria-label={t('app.home_label')}>
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M16 2 4 6v9c0 7.5 5.1 13.4 12 15 6.9-1.6 12-7.5 12-15V6z" />
          </svg>
          <span>{t('app.name')}</span>
        </Link>
        <div class="lang" role="group" aria-label={t('lang.label')}>
          <button
            type="button"
            class="lang-btn"
            aria-pressed={s.lang === 'vi'}
            lang="vi"
            onClick={() => switchLang('vi')}
          >
            VI
          </button>
          <button
            type="button"
            class="lang-btn"
            aria-pressed={s.lang === 'en'}
            lang="en"
            onClick={() => switchLang('en')}
          >
            EN
          </button>
        </div>
        <button
          type="button"
          class="menu-btn"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          {open ? t('nav.close') : t('nav.menu')}
        </button>
      </div>
      <nav id="main-nav" class={open ? 'nav open' : 'nav'} aria-label={t('nav.label')}>
        <ul>
          {items.map((i) => (
            <li key={i.href}>
              <Link
                href={i.href}
                aria-current={isCurrent(i.href) ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                {i.label}
              </Link>
            </li>
          ))}
          <li>
            {s.user ? (
              <button type="button" class="nav-btn" onClick={logout}>
                {t('nav.logout')}
              </button>
            ) : (
              <Link
                href="/dang-nhap"
                aria-current={path === '/dang-nhap' ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                {t('nav.login')}
              </Link>
            )}
          </li>
        </ul>
      </nav>
    </header>
  );
}
