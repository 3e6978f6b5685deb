import { api } from './api';
import { rememberLangCookie, session, setSession } from './store';
import type { Lang, User } from './types';

// Switches the UI language. Signed in: also remembered on the account (PATCH /auth/me);
// the cookie keeps it for pages served before sign-in and for problem details.
export async function switchLang(lang: Lang): Promise<void> {
  rememberLangCookie(lang);
  setSession({ lang });
  if (session().user) {
    try {
      const r = await api<{ user: User }>('PATCH', '/auth/me', { lang });
      setSession({ user: r.user });
    } catch {
      // The local choice stands; the account keeps its old language until the next switch.
    }
  }
}

// Called after sign-in and on load: the account's language wins over the cookie.
export function adoptUser(user: User, csrf: string | null): void {
  const lang: Lang = user.lang === 'en' ? 'en' : 'vi';
  rememberLangCookie(lang);
  setSession({ user, csrf, lang, ready: true });
}
