// Attendance import (/nhap-danh-sach): choose an activity and a CSV/XLSX file, see a dry run
// (rows, each bad row's reason in Vietnamese, a preview), then confirm. Nothing is written
// before the confirmation, and a file with bad rows is only partly imported when she ticks
// "only the valid rows".
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../../api';
import { Notice } from '../../components/Notice';
import { t } from '../../i18n';
import { Link, useLocation } from '../../router';
import { session } from '../../store';
import { type Activity, activityMeta, sexName } from './shared';

interface ImportResult {
  rows: number;
  valid: number;
  written: number;
  recognised: number;
  committed: boolean;
  errors: { line: number; field: string; message: string }[];
  preview: { name: string; sex: string; birth_year: number; ethnicity: string; village: string }[];
}

const HEADERS = ['Họ và tên', 'Giới tính', 'Năm sinh', 'Dân tộc', 'Thôn/buôn', 'Khuyết tật', 'Số điện thoại', 'Điểm trước', 'Điểm sau'];

// The import body is the file itself, so this does not go through api() (JSON only).
async function upload(activity: string, file: File, commit: boolean, validOnly: boolean): Promise<ImportResult> {
  const q = new URLSearchParams({ activity });
  if (commit) q.set('commit', 'true');
  if (validOnly) q.set('valid_only', 'true');
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': /\.xlsx$/i.test(file.name)
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : 'text/csv',
  };
  const csrf = session().csrf;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch('/api/v1/reach/import?' + q.toString(), {
      method: 'POST',
      headers,
      body: await file.arrayBuffer(),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(120_000),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new ApiError(res.status, body.code ?? 'error', body.detail || t('error.status', { status: res.status }));
  }
  return body as ImportResult;
}

function templateHref(): string {
  // A UTF-8 CSV with BOM so Excel shows the Vietnamese headers correctly.
  const csv = '\ufeff' + HEADERS.join(',') + '\r\n' + 'H Mai Êban,Nữ,1992,Ê Đê,Buôn Ea Nuôl,,,,\r\n';
  return URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
}

export function ImportPage() {
  const { query } = useLocation();
  const [activities, setActivities] = useState<Activity[]>([]);
  const [activity, setActivity] = useState(query.get('hoat-dong') ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [validOnly, setValidOnly] = useState(false);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [template] = useState(templateHref);

  useEffect(() => {
    api<{ items: Activity[] }>('GET', '/activities?status=held&limit=100').then(
      (r) => {
        setActivities(r.items);
        setActivity((cur) => cur || r.items[0]?.id || '');
      },
      (e) => setError(errorText(e)),
    );
  }, []);

  const check = async (e: Event) => {
    e.preventDefault();
    setError('');
    setPreview(null);
    setResult(null);
    if (!activity) return setError(t('reach.import_no_activity'));
    if (!file) return setError(t('reach.import_no_file'));
    setBusy(true);
    try {
      setPreview(await upload(activity, file, false, false));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!file || !preview) return;
    setBusy(true);
    setError('');
    try {
      const r = await upload(activity, file, true, validOnly);
      if (!r.committed) setError(t('reach.import_blocked'));
      else {
        setResult(r);
        setPreview(null);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const chosen = activities.find((a) => a.id === activity);
  const canConfirm = preview && preview.valid > 0 && (preview.errors.length === 0 || validOnly);

  return (
    <section class="page reach-page">
      <h1>{t('reach.import_title')}</h1>
      <p>{t('reach.import_intro')}</p>
      <details class="card">
        <summary>{t('reach.import_headers_title')}</summary>
        <p>{t('reach.import_headers_body')}</p>
        <ul class="reach-headers">
          {HEADERS.map((h, i) => (
            <li key={h}>
              <code>{h}</code> {i < 4 ? <strong>{t('reach.required')}</strong> : <span class="muted">{t('reach.optional')}</span>}
            </li>
          ))}
        </ul>
        <p class="hint">{t('reach.import_values_hint')}</p>
        <a class="btn small" href={template} download="mau-danh-sach-tham-gia.csv">
          {t('reach.import_template')}
        </a>
      </details>
      <form class="card form" onSubmit={check} noValidate>
        <label for="imp-activity">{t('reach.import_activity')}</label>
        <select id="imp-activity" value={activity} onChange={(e) => setActivity(e.currentTarget.value)}>
          {activity && !chosen && <option value={activity}>{activity}</option>}
          {activities.map((a) => (
            <option key={a.id} value={a.id}>
              {a.title} — {activityMeta(a)}
            </option>
          ))}
        </select>
        {activities.length === 0 && <p class="hint">{t('reach.import_need_held')}</p>}
        <label for="imp-file">{t('reach.import_file')}</label>
        <input
          id="imp-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            setPreview(null);
            setResult(null);
          }}
        />
        <Notice kind="error">{error}</Notice>
        <button type="submit" class="btn primary" disabled={busy}>
          {t('reach.import_check')}
        </button>
      </form>

      {preview && (
        <section class="card" aria-labelledby="imp-preview">
          <h2 class="h-small" id="imp-preview">
            {t('reach.import_preview')}
          </h2>
          <p data-testid="import-summary">
            {t('reach.import_counts', { rows: preview.rows, valid: preview.valid, bad: preview.errors.length })}
          </p>
          {preview.errors.length > 0 && (
            <>
              <h3 class="h-small">{t('reach.import_bad_rows')}</h3>
              <ul class="reach-errors">
                {preview.errors.map((x) => (
                  <li key={x.line + x.field}>
                    <strong>{t('reach.import_line', { line: x.line })}</strong>: {x.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.preview.length > 0 && (
            <div class="reach-scroll">
              <table class="reach-table reach-text">
                <caption>{t('reach.import_valid_rows')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reach.p_name')}</th>
                    <th scope="col">{t('reach.p_sex')}</th>
                    <th scope="col">{t('reach.p_birth_year')}</th>
                    <th scope="col">{t('reach.p_village')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.preview.map((p, i) => (
                    <tr key={i}>
                      <td>{p.name}</td>
                      <td>{sexName(p.sex)}</td>
                      <td>{p.birth_year}</td>
                      <td>{p.village}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {preview.errors.length > 0 && (
            <label class="check-line">
              <input type="checkbox" checked={validOnly} onChange={(e) => setValidOnly(e.currentTarget.checked)} />
              {t('reach.import_valid_only')}
            </label>
          )}
          <p class="hint">{t('reach.import_nothing_yet')}</p>
          <button type="button" class="btn primary" disabled={busy || !canConfirm} onClick={confirm}>
            {t('reach.import_confirm', { count: preview.valid })}
          </button>
        </section>
      )}

      {result && (
        <section class="card" aria-live="polite">
          <p class="notice notice-ok" role="status">
            {t('reach.import_done', { written: result.written, recognised: result.recognised })}
          </p>
          <Link href={'/hoat-dong/' + activity} class="btn">
            {t('reach.import_open_activity')}
          </Link>
        </section>
      )}
    </section>
  );
}
