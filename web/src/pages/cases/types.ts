// Shapes of the cases API's JSON (src/http/api/case_routes.cc). Fields marked "newer" come
// from endpoints still being added (tasks, notes, risk, safety plan, closure); the pages
// treat them as optional so an older server still renders.

export interface ReportReceipt {
  code: string;
  pin: string;
}

export type ReportStatus = 'received' | 'in_progress' | 'closed';

export interface TriageItem {
  id: string;
  org_unit: string | null;
  anonymous: boolean;
  about: 'myself' | 'someone_else';
  description: string;
  contact: string | null;
  status: string;
  case_id: string | null;
  created_at: number;
}

export interface CaseSummary {
  id: string;
  survivor_code: string;
  org_unit: string;
  status: string;
  high_risk: boolean;
  risk_level?: string | null; // newer
  created_at: number;
}

export interface Incident {
  id: string;
  occurred_on: string;
  place_type: string | null;
  core_type: string;
  context_flags: string[];
  dv_acts: string[];
  perpetrator: { relationship: string | null; sex: string | null; age_group: string | null };
  survivor_age: number | null;
  child_under_16: boolean;
  child_under_18: boolean;
  created_at: number;
}

export interface Consent {
  purpose: string;
  provider: string | null;
  granted: boolean;
  recorded_at: number;
}

export interface Referral {
  id: string;
  case_id: string;
  provider: string;
  service: string;
  status: 'sent' | 'accepted' | 'declined' | 'completed';
  share_identity: boolean;
  consent_overridden: boolean;
  created_at: number;
  updated_at: number;
}

export interface Task {
  id: string;
  case_id?: string;
  survivor_code?: string;
  title: string;
  due: string | null;
  done?: boolean;
  done_at?: number | null;
  status?: string;
  overdue?: boolean;
}

export interface Note {
  id?: string;
  text: string;
  author?: string | null;
  at?: number;
  created_at?: number;
}

export interface Risk {
  level: string;
  score?: number;
  answers?: Record<string, boolean> | [string, boolean][] | { id: string; answer: boolean }[];
  assessed_at?: number;
}

export interface SafetyPlan {
  safe_places: string;
  trusted_contacts: string;
  warning_signs: string;
  emergency_steps: string;
  documents: string;
}

export interface Survivor {
  name: string | null;
  phone: string | null;
  address: string | null;
  reporter_contact: string | null;
}

export interface CaseView {
  id: string;
  survivor_code: string;
  org_unit: string;
  status: string;
  sex: string;
  birth_year: number | null;
  ethnicity: string | null;
  disability: boolean;
  high_risk: boolean;
  owned: boolean;
  access: string;
  identity_visible: boolean;
  survivor?: Survivor;
  incidents: Incident[];
  consents: Consent[];
  referrals: Referral[];
  possible_duplicates: string[];
  tasks?: Task[]; // newer
  notes?: Note[]; // newer
  risk?: Risk | null; // newer
  safety_plan?: Partial<SafetyPlan> | null; // newer
  closure?: { reason?: string; note?: string } | null; // newer
  created_at: number;
  updated_at: number;
}

export interface CoreType {
  id: string;
  question_vi: string;
  question_en: string;
}

export interface DvAct {
  id: string;
  label_vi: string;
  label_en: string;
}

export interface RiskItem {
  id: string;
  vi: string;
  en: string;
  critical?: boolean;
}

export interface Vocabulary {
  core_types: CoreType[];
  dv_acts: DvAct[];
  context_flags: string[];
  perpetrator_relationships: string[];
  perpetrator_age_groups: string[];
  place_types: string[];
  risk_items?: RiskItem[]; // newer
  closure_reasons?: (string | { id: string; vi?: string; en?: string })[]; // newer
}

export interface AccessLogEntry {
  at: number;
  actor_id: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface StatsResult {
  org: string;
  by: string;
  suppression_applied: boolean;
  cells: { key: string; count: string | number }[];
  total: string | number;
}
