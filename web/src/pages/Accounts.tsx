// Account administration (admin): list and search, create, change role and places,
// disable/enable, reset password.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { t, tOr } from '../i18n';
import { Notice } from '../components/Notice';
import { OrgPicker } from '../components/OrgPicker';
import { placeLine } from '../components/UnitLabel';
import { ROLES, type Role, type UnitRef, type User } from '../types';

const MIN_PASSWORD = 10;

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (r: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {tOr('role.' + r, r)}
        </option>
      ))}
    </select>
  );
}

function CreateForm({ onCreated }: { onCreated: (u: User) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [units, setUnits] = useState<UnitRef[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username.trim() || !displayName.trim()) return setError(t('accounts.missing_fields'));
    if (password.length < MIN_PASSWORD) return setError(t('password.too_short', { min: MIN_PASSWORD }));
    if (units.length === 0) return setError(t('accounts.missing_units'));
    setBusy(true);
    setError('');
    try {
      const u = await api<User>('POST', '/users', {
        username: username.trim(),
        display_name: displayName.trim(),
        password,
        role,
        org_units: units.map((x) => x.code),
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setUnits([]);
      onCreated(u);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} noValidate>
      <h2 class="h-small">{t('accounts.create_title')}</h2>
      <label for="new-username">{t('accounts.username')}</label>
      <input
        id="new-username"
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        value={username}
        onInput={(e) => setUsername(e.currentTarget.value)}
      />
      <label for="new-display">{t('accounts.display_name')}</label>
      <input id="new-display" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      <label for="new-password">{t('accounts.password')}</label>
      <input
        id="new-password"
        type="password"
        autocomplete="new-password"
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
        aria-describedby="new-password-hint"
      />
      <p id="new-password-hint" class="hint">
        {t('password.hint', { min: MIN_PASSWORD })}
      </p>
      <label for="new-role">{t('accounts.role')}</label>
      <RoleSelect id="new-role" value={role} onChange={setRole} />
      <label for="new-units">{t('accounts.units')}</label>
      <OrgPicker id="new-units" value={units} onChange={setUnits} />
      <Notice kind="error">{error}</Notice>
      <button type="submit" class="btn primary" disabled={busy}>
        {t('accounts.create_submit')}
      </button>
    </form>
  );
}

function Editor({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [displayName, setDisplayName] = useState(user.display_name);
  const [units, setUnits] = useState<UnitRef[]>(user.org_units);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const idp = 'edit-' + user.id;

  const patch = async (body: Record<string, unknown>, okMsg: string) => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const u = await api<User>('PATCH', '/users/' + encodeURIComponent(user.id), body);
      onSaved(u);
      setDone(okMsg);
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const save = (e: Event) => {
    e.preventDefault();
    if (units.length === 0) return setError(t('accounts.missing_units'));
    patch(
      { display_name: displayName.trim(), role, org_units: units.map((u) => u.code) },
      t('accounts.saved'),
    );
  };

  const resetPassword = async () => {
    if (password.length < MIN_PASSWORD) return setError(t('password.too_short', { min: MIN_PASSWORD }));
    if (await patch({ password }, t('accounts.password_reset_done'))) setPassword('');
  };

  return (
    <form class="editor form" onSubmit={save} noValidate>
      <label for={idp + '-display'}>{t('accounts.display_name')}</label>
      <input id={idp + '-display'} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      <label for={idp + '-role'}>{t('accounts.role')}</label>
      <RoleSelect id={idp + '-role'} value={role} onChange={setRole} />
      <label for={idp + '-units'}>{t('accounts.units')}</label>
      <OrgPicker id={idp + '-units'} value={units} onChange={setUnits} />
      <button type="submit" class="btn primary" disabled={busy}>
        {t('common.save')}
      </button>
      <div class="divider" />
      <label for={idp + '-password'}>{t('accounts.new_password')}</label>
      <input
        id={idp + '-password'}
        type="password"
        autocomplete="new-password"
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      <button type="button" class="btn" disabled={busy} onClick={resetPassword}>
        {t('accounts.reset_password')}
      </button>
      <div class="divider" />
      <button
        type="button"
        class={user.disabled ? 'btn' : 'btn danger'}
        disabled={busy}
        onClick={() =>
          patch(
            { disabled: !user.disabled },
            user.disabled ? t('accounts.enabled_done') : t('accounts.disabled_done'),
          )
        }
      >
        {user.disabled ? t('accounts.enable') : t('accounts.disable')}
      </button>
      <Notice kind="error">{error}</Notice>
      <Notice kind="ok">{done}</Notice>
    </form>
  );
}

export function AccountsPage() {
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      api<{ items: User[] }>('GET', '/users' + (q.trim() ? '?q=' + encodeURIComponent(q.trim()) : '')).then(
        (r) => {
          if (!live) return;
          setUsers(r.items);
          setError('');
        },
        (e) => live && setError(errorText(e)),
      );
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [q, reload]);

  const replace = (u: User) => setUsers((list) => (list ? list.map((x) => (x.id === u.id ? u : x)) : list));

  return (
    <section class="page">
      <h1>{t('accounts.title')}</h1>
      <div class="toolbar">
        <button
          type="button"
          class="btn primary"
          aria-expanded={creating}
          onClick={() => {
            setCreating(!creating);
            setCreated('');
          }}
        >
          {creating ? t('common.close') : t('accounts.create_open')}
        </button>
      </div>
      {creating && (
        <CreateForm
          onCreated={(u) => {
            setCreating(false);
            setCreated(t('accounts.created', { username: u.username }));
            setReload((n) => n + 1);
          }}
        />
      )}
      <Notice kind="ok">{created}</Notice>
      <div class="search card" role="search">
        <label for="user-search">{t('accounts.search_label')}</label>
        <input
          id="user-search"
          type="search"
          autocomplete="off"
          placeholder={t('accounts.search_placeholder')}
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      <Notice kind="error">{error}</Notice>
      {users === null && !error && <p class="muted">{t('common.loading')}</p>}
      {users && users.length === 0 && <p class="muted">{t('accounts.none')}</p>}
      {users && users.length > 0 && (
        <ul class="user-list">
          {users.map((u) => (
            <li key={u.id} class={u.disabled ? 'user-row disabled' : 'user-row'}>
              <div class="user-head">
                <div>
                  <span class="unit-name">{u.display_name}</span>
                  <span class="unit-meta">
                    {u.username} · {tOr('role.' + u.role, u.role)}
                    {u.disabled ? ` · ${t('accounts.is_disabled')}` : ''}
                  </span>
                  <span class="unit-meta">{placeLine(u.org_units)}</span>
                </div>
                <button
                  type="button"
                  class="btn small"
                  aria-expanded={open === u.id}
                  aria-label={t('accounts.edit_label', { name: u.display_name })}
                  onClick={() => setOpen(open === u.id ? null : u.id)}
                >
                  {open === u.id ? t('common.close') : t('accounts.edit')}
                </button>
              </div>
              {open === u.id && <Editor user={u} onSaved={replace} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
