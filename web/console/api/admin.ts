import type {
  AdminAgent,
  AdminCalendar,
  AdminCannedResponse,
  AdminTeam,
  AgentInput,
  CalendarException,
  CalendarInput,
  CannedResponseInput,
  DayHours,
  DeadlinePreview,
  Holiday,
  HolidayImport,
  HolidayList,
  SaveWarning,
  SlaPolicy,
  SlaPolicyInput,
  TeamInput,
  WeeklyHours,
} from './admin-types';
import type { ApiClient } from './client';

type Data<T> = { data: T };
const data = async <T>(answer: Promise<Data<T>>): Promise<T> => (await answer).data;

/**
 * The administrator's routes of /api/v1: agents, teams, calendars (hours, holidays, exceptions,
 * the deadline preview), SLA policies and canned responses. The server refuses them to others
 * (403, shown as it says); the console only hides their menu.
 */
export class AdminApi {
  constructor(private api: ApiClient) {}

  agents(): Promise<AdminAgent[]> {
    return data(this.api.request('GET', '/api/v1/agents'));
  }
  createAgent(input: AgentInput): Promise<AdminAgent> {
    return data(this.api.request('POST', '/api/v1/agents', input));
  }
  updateAgent(id: number, patch: AgentInput): Promise<AdminAgent> {
    return data(this.api.request('PATCH', `/api/v1/agents/${id}`, patch));
  }

  teams(): Promise<AdminTeam[]> {
    return data(this.api.request('GET', '/api/v1/teams'));
  }
  createTeam(input: TeamInput): Promise<AdminTeam> {
    return data(this.api.request('POST', '/api/v1/teams', input));
  }
  updateTeam(id: number, patch: TeamInput): Promise<AdminTeam> {
    return data(this.api.request('PATCH', `/api/v1/teams/${id}`, patch));
  }

  calendars(): Promise<AdminCalendar[]> {
    return data(this.api.request('GET', '/api/v1/calendars'));
  }
  createCalendar(input: CalendarInput): Promise<AdminCalendar> {
    return data(this.api.request('POST', '/api/v1/calendars', input));
  }
  updateCalendar(id: number, patch: { name?: string; time_zone?: string; weekly_hours?: WeeklyHours }) {
    return data<AdminCalendar>(this.api.request('PATCH', `/api/v1/calendars/${id}`, patch));
  }
  deleteCalendar(id: number): Promise<void> {
    return this.api.request('DELETE', `/api/v1/calendars/${id}`);
  }
  holidays(id: number, year: number): Promise<Holiday[]> {
    return data(this.api.request('GET', `/api/v1/calendars/${id}/holidays?year=${year}`));
  }
  /** Replaces the year's holidays with the list (entries, or a decree file as published). */
  loadHolidays(id: number, year: number, list: HolidayList): Promise<HolidayImport> {
    return data(this.api.request('PUT', `/api/v1/calendars/${id}/holidays/${year}`, list));
  }
  putHoliday(id: number, holiday: Holiday): Promise<Holiday> {
    const path = `/api/v1/calendars/${id}/holidays/${holiday.date.slice(0, 4)}/${holiday.date}`;
    return data(this.api.request('PUT', path, { name: holiday.name, kind: holiday.kind }));
  }
  deleteHoliday(id: number, date: string): Promise<void> {
    return this.api.request('DELETE', `/api/v1/calendars/${id}/holidays/${date.slice(0, 4)}/${date}`);
  }
  exceptions(id: number): Promise<CalendarException[]> {
    return data(this.api.request('GET', `/api/v1/calendars/${id}/exceptions`));
  }
  putException(id: number, date: string, hours: DayHours, note: string | null): Promise<CalendarException> {
    return data(this.api.request('PUT', `/api/v1/calendars/${id}/exceptions/${date}`, { hours, note }));
  }
  /** A range by weekday (Ramadan hours): every exception from `from` to `to` replaced. */
  putExceptionRange(id: number, range: { from: string; to: string; weekly_hours: WeeklyHours; note: string | null }) {
    return data<{ set: number; removed: number }>(this.api.request('PUT', `/api/v1/calendars/${id}/exceptions`, range));
  }
  deleteException(id: number, date: string): Promise<void> {
    return this.api.request('DELETE', `/api/v1/calendars/${id}/exceptions/${date}`);
  }
  deadline(id: number, from: string, span: { working_days: number } | { working_minutes: number }) {
    const params = new URLSearchParams({ from });
    for (const [key, value] of Object.entries(span)) params.set(key, String(value));
    return data<DeadlinePreview>(this.api.request('GET', `/api/v1/calendars/${id}/deadline?${params}`));
  }

  slaPolicies(): Promise<SlaPolicy[]> {
    return data(this.api.request('GET', '/api/v1/sla-policies'));
  }
  createSlaPolicy(input: SlaPolicyInput) {
    return this.api.request<{ data: SlaPolicy; warnings: SaveWarning[] }>('POST', '/api/v1/sla-policies', input);
  }
  updateSlaPolicy(id: number, patch: Partial<SlaPolicyInput>) {
    return this.api.request<{ data: SlaPolicy; warnings: SaveWarning[] }>('PATCH', `/api/v1/sla-policies/${id}`, patch);
  }
  deleteSlaPolicy(id: number): Promise<void> {
    return this.api.request('DELETE', `/api/v1/sla-policies/${id}`);
  }

  cannedResponses(): Promise<AdminCannedResponse[]> {
    return data(this.api.request('GET', '/api/v1/canned-responses'));
  }
  createCannedResponse(input: CannedResponseInput): Promise<AdminCannedResponse> {
    return data(this.api.request('POST', '/api/v1/canned-responses', input));
  }
  updateCannedResponse(id: number, patch: CannedResponseInput): Promise<AdminCannedResponse> {
    return data(this.api.request('PATCH', `/api/v1/canned-responses/${id}`, patch));
  }
  deleteCannedResponse(id: number): Promise<void> {
    return this.api.request('DELETE', `/api/v1/canned-responses/${id}`);
  }
}
