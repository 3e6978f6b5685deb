import { t, tOr } from '../i18n';
import type { OrgUnit, UnitRef } from '../types';

export function levelName(level: string): string {
  return tOr('level.' + level, level);
}

// "Ea Nuôl · Xã/Phường · thuộc Đắk Lắk": what a search result needs to be told apart.
export function UnitLabel({ unit }: { unit: OrgUnit }) {
  const parent = unit.ancestors.length ? unit.ancestors[unit.ancestors.length - 1] : null;
  return (
    <span class="unit-label">
      <span class="unit-name">{unit.name}</span>
      <span class="unit-meta">
        {levelName(unit.level)}
        {unit.kind ? ` · ${tOr('kind.' + unit.kind, unit.kind)}` : ''}
        {parent ? ` · ${t('org.in', { name: parent.name })}` : ''}
      </span>
    </span>
  );
}

export function placeLine(units: UnitRef[]): string {
  return units.map((u) => u.name).join(' › ');
}
