// The case pages' routes, nav entries and home cards, so that app.tsx, Header.tsx and
// Home.tsx each need one line for them.
import type { VNode } from 'preact';
import { t } from '../../i18n';
import type { User } from '../../types';
import { CaseDetailPage } from './CaseDetail';
import { CaseListPage } from './CaseList';
import { CaseNewPage } from './CaseNew';
import { IncomingPage } from './Incoming';
import { LookupPage, ReportPage } from './Report';
import { StatsPage } from './Stats';
import { TriagePage } from './Triage';
import { canListCases, canOpenCases, canTriage, canViewCaseStats, isReferralReceiver } from './roles';

// Public pages: rendered before the session is known, so a reporter never waits for it.
export function casesPublicPage(path: string): VNode | null {
  if (path === '/bao-cao') return <ReportPage />;
  if (path === '/tra-cuu') return <LookupPage />;
  return null;
}

export function casesNeedsUser(path: string): boolean {
  return (
    path === '/tiep-nhan' ||
    path === '/ca' ||
    path.startsWith('/ca/') ||
    path === '/chuyen-den' ||
    path === '/thong-ke-ca'
  );
}

// A staff page for a signed-in user; 'forbidden' when her role may not see it; null when
// the path is not a case page.
export function casesPage(path: string, user: User): VNode | 'forbidden' | null {
  const allow = (ok: boolean, page: VNode) => (ok ? page : 'forbidden');
  if (path === '/tiep-nhan') return allow(canTriage(user), <TriagePage />);
  if (path === '/ca') return allow(canListCases(user), <CaseListPage />);
  if (path === '/ca/moi') return allow(canOpenCases(user), <CaseNewPage />);
  const m = path.match(/^\/ca\/([^/]+)$/);
  if (m) return <CaseDetailPage id={m[1]} />;
  if (path === '/chuyen-den') return allow(isReferralReceiver(user), <IncomingPage />);
  if (path === '/thong-ke-ca') return allow(canViewCaseStats(user), <StatsPage />);
  return null;
}

export interface NavItem {
  href: string;
  label: string;
}

export function casesNav(user: User | null): NavItem[] {
  const items: NavItem[] = [];
  if (canTriage(user)) items.push({ href: '/tiep-nhan', label: t('cases.nav_triage') });
  if (canListCases(user)) items.push({ href: '/ca', label: t('cases.nav_cases') });
  if (isReferralReceiver(user)) items.push({ href: '/chuyen-den', label: t('cases.nav_incoming') });
  if (canViewCaseStats(user)) items.push({ href: '/thong-ke-ca', label: t('cases.nav_stats') });
  if (!user) items.push({ href: '/bao-cao', label: t('report.nav') });
  return items;
}

export interface Card {
  href: string;
  title: string;
  body: string;
}

export function casesCards(user: User | null): Card[] {
  const cards: Card[] = [];
  if (canTriage(user)) cards.push({ href: '/tiep-nhan', title: t('cases.card_triage'), body: t('cases.card_triage_body') });
  if (canListCases(user)) cards.push({ href: '/ca', title: t('cases.card_cases'), body: t('cases.card_cases_body') });
  if (isReferralReceiver(user)) {
    cards.push({ href: '/chuyen-den', title: t('cases.card_incoming'), body: t('cases.card_incoming_body') });
  }
  if (canViewCaseStats(user)) {
    cards.push({ href: '/thong-ke-ca', title: t('cases.card_stats'), body: t('cases.card_stats_body') });
  }
  cards.push({ href: '/bao-cao', title: t('report.card'), body: t('report.card_body') });
  return cards;
}
