import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api';
import { t } from '../i18n';
import { adoptUser } from '../lang';
import { Notice } from '../components/Notice';
import { navigate, useLocation } from '../router';
import { useSession } from '../store';
import type { User } from '../types';

// Only same-site paths are followed after sign-in (no open redirect).
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const s = useSession();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const next = safeNext(query.get('next'));

  useEffect(() => {
    if (s.ready && s.user) navigate(next, true);
  }, [s.ready, s.user, next]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await api<{ csrf_token: string; user: User }>('POST', '/auth/login', {
        username: username.trim(),
        password,
      });
      adoptUser(r.user, r.csrf_token);
      navigate(next, true);
    } catch (err) {
      let msg = errorText(err);
      if (err instanceof ApiError && err.status === 429 && err.retryAfter) {
        msg += ' ' + t('login.retry_after', { seconds: err.retryAfter });
      }
      setError(msg);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <h1>{t('login.title')}</h1>
      <p class="muted">{t('login.intro')}</p>
      <form class="card form" onSubmit={submit} noValidate>
        <label for="login-username">{t('login.username')}</label>
        <input
          id="login-username"
          name="username"
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          required
        />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
        <Notice kind="error">{error}</Notice>
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
