import { t, tOr } from '../i18n';
import { canManageAccounts, canRecordReach, canViewReach } from '../roles';
import { casesCards } from './cases/routes';
import { CasesHomePanel } from './cases/HomePanel';
import { Link } from '../router';
import { useSession } from '../store';
import { placeLine } from '../components/UnitLabel';
import type { UnitRef } from '../types';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { OrgUnit } from '../types';

// Her places, each shown with its ancestors ("Đắk Lắk › Ea Nuôl").
function usePlaces(units: UnitRef[]): UnitRef[][] {
  const [paths, setPaths] = useState<UnitRef[][]>(units.map((u) => [u]));
  const key = units.map((u) => u.code).join(',');
  useEffect(() => {
    let live = true;
    setPaths(units.map((u) => [u]));
    Promise.all(
      units.map((u) =>
        api<OrgUnit>('GET', '/org-units/' + encodeURIComponent(u.code)).then(
          (o) => [...o.ancestors, { code: o.code, name: o.name, level: o.level }],
          () => [u],
        ),
      ),
    ).then((p) => live && setPaths(p));
    return () => {
      live = false;
    };
  }, [key]);
  return paths;
}

export function HomePage() {
  const s = useSession();
  const user = s.user;
  const places = usePlaces(user?.org_units ?? []);

  const cards: { href: string; title: string; body: string }[] = [];
  if (user) cards.push({ href: '/don-vi', title: t('home.card_org'), body: t('home.card_org_body') });
  if (canManageAccounts(user)) {
    cards.push({
      href: '/tai-khoan',
      title: t('home.card_accounts'),
      body: t('home.card_accounts_body'),
    });
  }
  if (canRecordReach(user)) {
    cards.push({ href: '/hoat-dong', title: t('reach.card_activities'), body: t('reach.card_activities_body') });
  }
  if (canViewReach(user)) {
    cards.push({ href: '/tiep-can', title: t('reach.card_dashboard'), body: t('reach.card_dashboard_body') });
  }
  cards.push({ href: '/kiem-tra', title: t('home.card_check'), body: t('home.card_check_body') });
  cards.push(...casesCards(user));
  if (user) {
    cards.push({
      href: '/ca-nhan',
      title: t('home.card_profile'),
      body: t('home.card_profile_body'),
    });
  }

  return (
    <section class="page">
      {user ? (
        <>
          <h1>{t('home.greeting', { name: user.display_name })}</h1>
          <p class="role-line">
            <span class="badge">{tOr('role.' + user.role, user.role)}</span>
          </p>
          {places.length > 0 && (
            <div class="places">
              <h2 class="h-small">{t('home.places')}</h2>
              <ul>
                {places.map((p) => (
                  <li key={p[p.length - 1].code}>
                    <Link href={'/don-vi/' + encodeURIComponent(p[p.length - 1].code)}>
                      {placeLine(p)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : (
        <>
          <h1>{t('home.welcome')}</h1>
          <p>{t('home.welcome_body')}</p>
          <p>
            <Link href="/dang-nhap" class="btn primary">
              {t('nav.login')}
            </Link>
          </p>
        </>
      )}
      <CasesHomePanel />
      <ul class="cards">
        {cards.map((c) => (
          <li key={c.href}>
            <Link href={c.href} class="card card-link">
              <span class="card-title">{c.title}</span>
              <span class="card-body">{c.body}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
