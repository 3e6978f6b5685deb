import { render } from 'preact';
import { api } from './api';
import { App } from './app';
import { adoptUser } from './lang';
import { setSession } from './store';
import type { User } from './types';
import './styles.css';

render(<App />, document.getElementById('app')!);

api<{ user: User; csrf_token: string }>('GET', '/auth/me').then(
  (r) => adoptUser(r.user, r.csrf_token),
  () => setSession({ ready: true, user: null, csrf: null }),
);
