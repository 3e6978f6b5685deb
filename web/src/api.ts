// Thin fetch wrapper for /api/v1. Every failure becomes an ApiError whose `detail` is
// ready to show: the server's localised problem+json detail when there is one, otherwise
// a message from the i18n files. Writes carry the CSRF token of the session.
import { t } from './i18n';
import { session } from './store';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly field?: string;
  readonly retryAfter?: number;

  constructor(status: number, code: string, detail: string, field?: string, retryAfter?: number) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

const TIMEOUT_MS = 30_000;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = session().csrf;
  if (WRITE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;

  let res: Response;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      // Weak mobile data: give up rather than spin forever, so the user can retry.
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  if (res.ok) {
    if (!type.includes('json')) throw new ApiError(res.status, 'bad_response', t('error.generic'));
    return (await res.json()) as T;
  }
  const retry = Number(res.headers.get('Retry-After')) || undefined;
  if (type.includes('json')) {
    try {
      const p = (await res.json()) as { code?: string; detail?: string; field?: string };
      return Promise.reject(
        new ApiError(
          res.status,
          p.code ?? 'error',
          p.detail || fallbackDetail(res.status),
          p.field,
          retry,
        ),
      );
    } catch {
      // Fall through to the generic message.
    }
  }
  throw new ApiError(res.status, 'error', fallbackDetail(res.status), undefined, retry);
}

function fallbackDetail(status: number): string {
  switch (status) {
    case 401:
      return t('error.unauthorized');
    case 403:
      return t('error.forbidden');
    case 404:
      return t('error.not_found');
    case 423:
      return t('error.locked');
    case 429:
      return t('error.too_many');
    default:
      return t('error.status', { status });
  }
}

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.detail : t('error.generic');
}
