// Chooses one or more org units by searching them (used for account org units).
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { useOrgSearch } from '../hooks';
import type { UnitRef } from '../types';
import { levelName, UnitLabel } from './UnitLabel';

interface Props {
  id: string;
  value: UnitRef[];
  onChange: (units: UnitRef[]) => void;
}

export function OrgPicker({ id, value, onChange }: Props) {
  const [q, setQ] = useState('');
  const { items, loading, error } = useOrgSearch(q, 250, 8);
  const chosen = new Set(value.map((u) => u.code));

  return (
    <div class="picker">
      {value.length > 0 && (
        <ul class="chips" aria-label={t('accounts.chosen_units')}>
          {value.map((u) => (
            <li key={u.code} class="chip">
              <span>
                {u.name} <small>({levelName(u.level)})</small>
              </span>
              <button
                type="button"
                class="chip-x"
                aria-label={t('accounts.remove_unit', { name: u.name })}
                onClick={() => onChange(value.filter((v) => v.code !== u.code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="search"
        autocomplete="off"
        placeholder={t('accounts.unit_search_placeholder')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      {loading && <p class="muted">{t('common.searching')}</p>}
      {error && <p class="notice notice-error">{error}</p>}
      {items.length > 0 && (
        <ul class="picker-results">
          {items
            .filter((u) => !chosen.has(u.code))
            .map((u) => (
              <li key={u.code}>
                <button
                  type="button"
                  class="result-btn"
                  onClick={() => {
                    onChange([...value, { code: u.code, name: u.name, level: u.level }]);
                    setQ('');
                  }}
                >
                  <UnitLabel unit={u} />
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
