// Who sees which case pages. The server enforces the same rules (src/cases/service.cc,
// src/access/access.cc); this only decides which links and forms to show.
import type { User } from '../../types';

// The triage queue of public reports.
export function canTriage(user: User | null): boolean {
  return user?.role === 'commune_officer' || user?.role === 'case_worker';
}

// Opening cases (intake).
export function canOpenCases(user: User | null): boolean {
  return user?.role === 'commune_officer' || user?.role === 'case_worker';
}

// The case list: workers and their supervisors.
export function canListCases(user: User | null): boolean {
  return user?.role === 'commune_officer' || user?.role === 'case_worker';
}

// A trusted-address keeper's incoming referrals.
export function isReferralReceiver(user: User | null): boolean {
  return user?.role === 'trusted_address';
}

// Anonymous case statistics (Permission::kViewCaseStats).
export function canViewCaseStats(user: User | null): boolean {
  return user?.role === 'admin' || user?.role === 'province_officer' || user?.role === 'commune_officer';
}

// Approving or rejecting a closure: the commune officer supervises her commune's cases.
export function canSupervise(user: User | null): boolean {
  return user?.role === 'commune_officer';
}

// Break the glass: staff of the case's own commune.
export function mayBreakGlass(user: User | null): boolean {
  return user?.role === 'commune_officer' || user?.role === 'case_worker';
}
