// Shapes, labels and small helpers shared by the reach pages (activity register, dashboard,
// import, targets). Shapes follow src/http/api/reach_routes.cc.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { t, tOr } from '../../i18n';
import { session } from '../../store';
import type { OrgUnit, UnitRef, User } from '../../types';

export const TYPES = [
  'training',
  'communication',
  'competition',
  'performance',
  'dialogue',
  'seminar',
  'literacy_class',
  'club_meeting',
  'online_session',
] as const;

export const TOPICS = [
  'child_abuse_prevention',
  'gender_based_violence',
  'self_protection',
  'safe_social_media',
  'toxic_information',
  'personal_data',
  'online_fraud',
  'domestic_violence_law',
  'early_forced_marriage',
  'gender_equality',
  'digital_skills',
  'livelihood_ecommerce',
  'health',
] as const;

export const STATUSES = ['planned', 'held', 'cancelled'] as const;
export const SEXES = ['female', 'male'] as const;
export const AGE_GROUPS = ['under_16', '16_17', '18_29', '30_59', '60_plus'] as const;
export const ETHNIC_GROUPS = ['kinh', 'minority'] as const;

export interface Activity {
  id: string;
  org_unit: string;
  org_name: string;
  commune: string;
  type: string;
  title: string;
  topics: string[];
  date: string;
  start_time: string | null;
  status: string;
  facilitators: string;
  partners: string;
  notes: string;
  knowledge_pre_avg: number | null;
  knowledge_post_avg: number | null;
  named_participants: number;
  tallied_participants: number;
  participations: number;
}

export interface TallyCell {
  sex: string;
  age_group: string;
  ethnic_group: string;
  count: number;
}

export interface ActivityDetail extends Activity {
  tally: TallyCell[];
}

export interface Person {
  id: string;
  name: string;
  sex: string;
  birth_year: number;
  ethnicity: string;
  ethnicity_code: string;
  disability: boolean;
  village: string;
  phone: string | null;
  participations: number;
  pre_score?: number | null;
  post_score?: number | null;
}

export interface Ethnicity {
  slug: string;
  name: string;
  code: string;
  group: string;
}

export interface IndicatorRow {
  keys: Record<string, string>;
  sessions: number;
  participations: number;
  named_participations: number;
  tallied_participations: number;
  unique_people: number;
  women: number;
  minority_women: number;
  children_under_16: number;
  children_under_18: number;
  knowledge_gain: number | null;
  knowledge_checked: number;
}

export interface TargetProgress {
  indicator: string;
  year: number;
  target: number;
  actual: number;
  progress: number | null;
}

export interface IndicatorTable {
  org_unit: string;
  org_name: string;
  from: string;
  to: string;
  by: string[];
  rows: IndicatorRow[];
  total: IndicatorRow;
  targets: TargetProgress[];
  place_names: Record<string, string>;
}

export const typeName = (v: string) => tOr('reach.type.' + v, v);
export const topicName = (v: string) => tOr('reach.topic.' + v, v);
export const statusName = (v: string) => tOr('reach.status.' + v, v);
export const sexName = (v: string) => tOr('reach.sex.' + v, v);
export const ageName = (v: string) => tOr('reach.age.' + v, v);
export const groupName = (v: string) => tOr('reach.group.' + v, v);

// Today's date in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD.
export function todayVn(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

export function fmt(n: number): string {
  return n.toLocaleString('vi-VN');
}

// One decimal, with the decimal comma in Vietnamese ("17,6").
export function decimal(n: number): string {
  return n.toLocaleString(session().lang === 'en' ? 'en' : 'vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

// "2025-03-08" shown as 08/03/2025, as Vietnamese readers expect.
export function dateVn(d: string): string {
  const m = d.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : d;
}

let ethnicCache: Promise<Ethnicity[]> | null = null;

// The 54 official groups, fetched once per page load.
export function useEthnicities(): Ethnicity[] {
  const [items, setItems] = useState<Ethnicity[]>([]);
  useEffect(() => {
    let live = true;
    if (!ethnicCache) {
      ethnicCache = api<{ items: Ethnicity[] }>('GET', '/reach/ethnicities').then(
        (r) => r.items,
        (e) => {
          ethnicCache = null;
          throw e;
        },
      );
    }
    ethnicCache.then((e) => live && setItems(e)).catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return items;
}

// The places a user may record in: her own units and one or two levels below them (communes
// → villages → points), in tree order. Province officers see their communes.
export function usePlaces(user: User | null): { places: UnitRef[]; error: string } {
  const [places, setPlaces] = useState<UnitRef[]>(user?.org_units ?? []);
  const [error, setError] = useState('');
  const key = (user?.org_units ?? []).map((u) => u.code).join(',');
  useEffect(() => {
    let live = true;
    const units = user?.org_units ?? [];
    const children = (code: string) =>
      api<{ items: OrgUnit[] }>('GET', '/org-units?parent=' + encodeURIComponent(code)).then((r) =>
        r.items.map((u) => ({ code: u.code, name: u.name, level: u.level, n: u.children_count })),
      );
    Promise.all(
      units.map(async (u) => {
        const out: UnitRef[] = [u];
        for (const c of await children(u.code)) {
          out.push({ code: c.code, name: c.name, level: c.level });
          // Points under a village of her commune; a province's villages would be thousands.
          if (u.level !== 'province' && c.n > 0) {
            for (const p of await children(c.code)) out.push({ code: p.code, name: p.name, level: p.level });
          }
        }
        return out;
      }),
    ).then(
      (lists) => live && setPlaces(lists.flat()),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return { places, error };
}

// Indentation for a place in a <select>: villages and points sit under their commune.
export function placeOption(u: UnitRef): string {
  const pad = u.level === 'village' ? '\u00a0\u00a0' : u.level === 'point' ? '\u00a0\u00a0\u00a0\u00a0' : '';
  return pad + u.name + ' (' + tOr('level.' + u.level, u.level) + ')';
}

export function TopicTags({ topics }: { topics: string[] }) {
  return (
    <span class="reach-tags">
      {topics.map((x) => (
        <span class="tag" key={x}>
          {topicName(x)}
        </span>
      ))}
    </span>
  );
}

// One-line summary used under an activity title.
export function activityMeta(a: Activity): string {
  return [dateVn(a.date) + (a.start_time ? ' ' + a.start_time : ''), a.org_name, typeName(a.type)].join(' · ');
}

export function participationsLine(a: Activity): string {
  return t('reach.participations_line', {
    total: fmt(a.participations),
    named: fmt(a.named_participants),
    counted: fmt(a.tallied_participants),
  });
}
