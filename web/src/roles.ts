// What each role may see in the UI. The server enforces the same rules; this only decides
// which links and forms to show.
import type { OrgUnit, User } from './types';

export function canManageAccounts(user: User | null): boolean {
  return user?.role === 'admin';
}

// The safety report queue and lists (Permission::kModerateSafety).
export function canModerateSafety(user: User | null): boolean {
  return user?.role === 'admin' || user?.role === 'media_member';
}

export function canAddOrgUnits(user: User | null): boolean {
  return (
    user?.role === 'admin' || user?.role === 'province_officer' || user?.role === 'commune_officer'
  );
}

// Officers add units only inside the places their account is bound to (the unit itself or
// one of its ancestors); the admin anywhere.
export function canAddUnder(user: User | null, unit: OrgUnit): boolean {
  if (!user || !canAddOrgUnits(user)) return false;
  if (unit.level !== 'commune' && unit.level !== 'village') return false;
  if (user.role === 'admin') return true;
  const mine = new Set(user.org_units.map((u) => u.code));
  return mine.has(unit.code) || unit.ancestors.some((a) => mine.has(a.code));
}

// Reach: record activities and participants, import lists, set targets (Permission::kRecordReach).
export function canRecordReach(user: User | null): boolean {
  const r = user?.role;
  return r === 'admin' || r === 'province_officer' || r === 'commune_officer' || r === 'media_member';
}

// Reach: see the register and the dashboard (Permission::kViewReach).
export function canViewReach(user: User | null): boolean {
  return canRecordReach(user) || user?.role === 'viewer';
}
