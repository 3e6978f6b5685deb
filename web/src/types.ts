// Shapes of the JSON the Khiên API returns (see the API contract).

export type Lang = 'vi' | 'en';

export type Role =
  | 'admin'
  | 'province_officer'
  | 'commune_officer'
  | 'case_worker'
  | 'trusted_address'
  | 'media_member'
  | 'viewer';

export const ROLES: Role[] = [
  'admin',
  'province_officer',
  'commune_officer',
  'case_worker',
  'trusted_address',
  'media_member',
  'viewer',
];

export type Level = 'province' | 'commune' | 'village' | 'point';

export type Kind = 'command_point' | 'trusted_address' | 'school' | 'club' | 'other';

export const KINDS: Kind[] = ['command_point', 'trusted_address', 'school', 'club', 'other'];

export interface UnitRef {
  code: string;
  name: string;
  level: Level;
}

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  org_units: UnitRef[];
  lang: Lang;
  disabled: boolean;
  created_at?: string;
}

export interface OrgUnit {
  code: string;
  name: string;
  full_name?: string;
  name_en?: string;
  level: Level;
  kind: Kind | null;
  parent: string | null;
  ancestors: UnitRef[];
  children_count: number;
}

export type Verdict = 'safe' | 'caution' | 'danger';

export interface Localised {
  vi: string;
  en: string;
}

export interface Reason {
  rule: string;
  category: string;
  weight: number;
  start: number;
  end: number;
  explanation: Localised;
  message?: number; // conversations: index of the message the span is in
}

export interface Entity {
  type: string;
  value: string;
  start: number;
  end: number;
  message?: number; // conversations: index of the message
}

// Grooming progression over a conversation: the furthest stage one sender reached.
export interface ConversationResult {
  stage: string; // "" when no stage was seen
  stage_index: number;
  stages: { stage: string; messages: number[] }[];
}

export interface CheckResult {
  verdict: Verdict;
  scores: Record<string, number>;
  categories: string[];
  reasons: Reason[];
  advice: Localised[];
  entities: Entity[];
  conversation?: ConversationResult;
}
