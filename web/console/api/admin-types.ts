/** The shapes of the administrator's routes (docs: /api/v1/openapi.json), only the fields the console uses. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Working ranges of a day as local "HH:MM" pairs (end exclusive, "24:00" for midnight); [] closed. */
export type DayHours = Array<[string, string]>;
export type WeeklyHours = Partial<Record<Weekday, DayHours>>;

/** src/routing/team-directory.ts ROUTING_STRATEGIES. */
export const ROUTING_STRATEGIES = ['longest_idle', 'least_busy', 'round_robin', 'pull'] as const;
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
/** src/sla/clock-rules.ts CLOCK_KINDS. */
export const CLOCK_KINDS = ['first_response', 'next_response', 'resolution', 'agency_followup'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];
/** src/calendar/holidays-id-2026.ts HOLIDAY_KINDS. */
export const HOLIDAY_KINDS = ['national', 'cuti_bersama', 'regional'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];
/** src/tickets/canned-templates.ts: the placeholders a canned response may use, and its languages. */
export const TEMPLATE_VARIABLES = ['citizen_name', 'reference', 'agent_name', 'office_name'] as const;
export const TEMPLATE_LANGUAGES = ['id', 'en'] as const;

export interface AdminAgent {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  phone: string | null;
  presence: string;
  teams: Array<{ id: number; slug: string; name: string }>;
  skills: string[];
  capacities: Record<string, number>;
}

/** What POST and PATCH /agents take: the password only when set (create) or reset (edit). */
export interface AgentInput {
  email?: string;
  name?: string;
  role?: string;
  password?: string;
  phone?: string | null;
  teams?: number[];
  skills?: string[];
  capacities?: Record<string, number>;
  active?: boolean;
}

export interface AdminTeam {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  routing_strategy: string;
  calendar_id: number | null;
  active: boolean;
}

export interface TeamInput {
  slug?: string;
  name?: string;
  description?: string | null;
  routing_strategy?: string;
  calendar_id?: number | null;
  active?: boolean;
}

export interface AdminCalendar {
  id: number;
  slug: string;
  name: string;
  time_zone: string;
  weekly_hours: WeeklyHours;
  is_default: boolean;
  teams: Array<{ id: number; slug: string }>;
}

export interface CalendarInput {
  slug?: string;
  name?: string;
  time_zone?: string;
  weekly_hours?: WeeklyHours;
  copy_from?: number;
}

export interface Holiday {
  date: string;
  name: string;
  kind: HolidayKind;
}

/** PUT /calendars/{id}/holidays/{year}: what loading a year's list changed. */
export interface HolidayImport {
  year: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/** The body that route takes: entries with their kind, or a decree file as published. */
export type HolidayList =
  | Holiday[]
  | {
      year?: number;
      national_holidays?: Array<{ date: string; name: string }>;
      cuti_bersama?: Array<{ date: string; name: string }>;
      regional_holidays?: Array<{ date: string; name: string }>;
    };

export interface CalendarException {
  date: string;
  hours: DayHours;
  note: string | null;
}

export interface DeadlinePreview {
  time_zone: string;
  from: string;
  from_local: string;
  deadline: string | null;
  deadline_local: string | null;
  is_open: boolean;
  next_opening: string;
  next_opening_local: string;
}

export type Target = { minutes: number } | { days: number };

export interface SlaPolicy {
  id: number;
  name: string;
  position: number;
  active: boolean;
  categories: string[] | null;
  priorities: string[] | null;
  channels: string[] | null;
  targets: Partial<Record<ClockKind, Target>>;
  resolution_extension_days: number | null;
  warning_ratio: number;
  escalate_notify: boolean;
  escalate_raise_priority: boolean;
  escalation_team_id: number | null;
}

export type SlaPolicyInput = Omit<SlaPolicy, 'id'>;

/** A save's warnings: the escalation team is inactive or has no active member (saved all the same). */
export interface SaveWarning {
  code: string;
  message: string;
}

export interface AdminCannedResponse {
  id: number;
  name: string;
  language: string;
  body: string;
  team_id: number | null;
}

export interface CannedResponseInput {
  name?: string;
  language?: string;
  body?: string;
  team_id?: number | null;
}
