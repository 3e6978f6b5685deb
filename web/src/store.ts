// The one piece of app-wide state: who is signed in, her CSRF token and the UI language.
// Components read it with useSession(); every change re-renders subscribers.
import { useEffect, useState } from 'preact/hooks';
import type { Lang, User } from './types';

export interface Session {
  ready: boolean; // false until the first GET /auth/me has answered
  user: User | null;
  csrf: string | null;
  lang: Lang;
}

const LANG_COOKIE = 'khien_lang';

function cookieLang(): Lang {
  const m = document.cookie.match(/(?:^|;\s*)khien_lang=(vi|en)/);
  return m ? (m[1] as Lang) : 'vi';
}

let state: Session = { ready: false, user: null, csrf: null, lang: cookieLang() };
let version = 0;
const listeners = new Set<() => void>();

export function session(): Session {
  return state;
}

export function setSession(patch: Partial<Session>): void {
  state = { ...state, ...patch };
  version++;
  if (patch.lang) {
    document.documentElement.lang = patch.lang;
  }
  listeners.forEach((l) => l());
}

// The cookie lets the server localise problem details even before sign-in.
export function rememberLangCookie(lang: Lang): void {
  document.cookie = `${LANG_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Strict`;
}

export function useSession(): Session {
  const [, force] = useState(0);
  const seen = version;
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    // Effects run after paint: a change made in between (e.g. /auth/me answering fast)
    // would otherwise never reach this component.
    if (version !== seen) l();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return state;
}

document.documentElement.lang = state.lang;
