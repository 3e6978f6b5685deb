// What each role may see in the UI. The server enforces the same rules; this only decides
// which links and forms to show.
import type { Role, User } from './types';

export function canManageAccounts(user: User | null): boolean {
  return user?.role === 'admin';
}

export function canAddOrgUnits(user: User | null): boolean {
  return (
    user?.role === 'admin' || user?.role === 'province_officer' || user?.role === 'commune_officer'
  );
}

export function roleKey(role: Role | string): string {
  return 'role.' + role;
}
