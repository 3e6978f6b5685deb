import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { t, tOr } from '../i18n';
import { switchLang } from '../lang';
import { Notice } from '../components/Notice';
import { placeLine } from '../components/UnitLabel';
import { useSession } from '../store';

const MIN_PASSWORD = 10;

export function ProfilePage() {
  const s = useSession();
  const user = s.user!;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    if (next.length < MIN_PASSWORD) return setError(t('password.too_short', { min: MIN_PASSWORD }));
    if (next !== confirm) return setError(t('password.mismatch'));
    setBusy(true);
    setError('');
    try {
      await api('POST', '/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(t('password.changed'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <h1>{t('profile.title')}</h1>
      <dl class="card facts">
        <dt>{t('accounts.display_name')}</dt>
        <dd>{user.display_name}</dd>
        <dt>{t('accounts.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('accounts.role')}</dt>
        <dd>{tOr('role.' + user.role, user.role)}</dd>
        <dt>{t('accounts.units')}</dt>
        <dd>{placeLine(user.org_units) || '—'}</dd>
      </dl>
      <fieldset class="card choice">
        <legend>{t('profile.language')}</legend>
        <label class="radio">
          <input type="radio" name="lang" checked={s.lang === 'vi'} onChange={() => switchLang('vi')} />
          Tiếng Việt
        </label>
        <label class="radio">
          <input type="radio" name="lang" checked={s.lang === 'en'} onChange={() => switchLang('en')} />
          English
        </label>
      </fieldset>
      <form class="card form" onSubmit={submit} noValidate>
        <h2 class="h-small">{t('password.title')}</h2>
        <label for="pw-current">{t('password.current')}</label>
        <input
          id="pw-current"
          type="password"
          autocomplete="current-password"
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
        <label for="pw-new">{t('password.new')}</label>
        <input
          id="pw-new"
          type="password"
          autocomplete="new-password"
          value={next}
          aria-describedby="pw-hint"
          onInput={(e) => setNext(e.currentTarget.value)}
        />
        <p id="pw-hint" class="hint">
          {t('password.hint', { min: MIN_PASSWORD })}
        </p>
        <label for="pw-confirm">{t('password.confirm')}</label>
        <input
          id="pw-confirm"
          type="password"
          autocomplete="new-password"
          value={confirm}
          onInput={(e) => setConfirm(e.currentTarget.value)}
        />
        <Notice kind="error">{error}</Notice>
        <Notice kind="ok">{done}</Notice>
        <button type="submit" class="btn primary" disabled={busy}>
          {t('password.submit')}
        </button>
      </form>
    </section>
  );
}
