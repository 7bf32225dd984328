import { MAX_ID } from '../validate.js';
import { exportQuery } from '../api/v1/ticket-export.js';
import { liveQuery, streamQuery } from '../api/v1/metrics.js';
import { periodQuery } from '../api/v1/period-query.js';
import { EXPORT_COLUMNS } from '../../metrics/ticket-export.js';
import { queryParameters } from './json-schema.js';
import { jsonResponse, operation, SUPERVISOR_OR_ADMIN } from './operation.js';
import { envelope } from './schemas.js';
import type { JsonSchema, PathsObject } from './types.js';

const integer: JsonSchema = { type: 'integer', minimum: 0 };
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});
const counts: JsonSchema = { type: 'object', additionalProperties: integer };

const queueFigures = {
  waiting: integer,
  longest_waiting_seconds: nullable(integer),
  assigned: integer,
  pending_citizen: integer,
  pending_agency: integer,
  breached: integer,
  warning: integer,
};

const live = object({
  at: { type: 'string', format: 'date-time' },
  teams: {
    type: 'array',
    items: object({
      team_id: { type: 'integer' },
      slug: { type: 'string' },
      name: { type: 'string' },
      totals: object(queueFigures),
      channels: { type: 'array', items: object({ channel: { type: 'string' }, ...queueFigures }) },
    }),
  },
  agents: {
    type: 'array',
    items: object({
      id: { type: 'integer' },
      name: { type: 'string' },
      role: { type: 'string', enum: ['agent', 'supervisor', 'admin'] },
      presence: { type: 'string', enum: ['available', 'busy', 'away', 'offline'] },
      presence_since: nullable({ type: 'string', format: 'date-time' }),
      presence_seconds: nullable(integer),
      team_ids: { type: 'array', items: { type: 'integer' } },
      channels: { type: 'array', items: object({ channel: { type: 'string' }, load: integer, capacity: integer }) },
    }),
  },
});

const distribution = object({
  count: integer,
  median: nullable({ type: 'number' }),
  p90: nullable({ type: 'number' }),
});
const compliance = object({
  met: integer,
  breached: integer,
  percent_met: nullable({ type: 'number', minimum: 0, maximum: 100 }),
  breaches: integer,
});
const summary = object({
  period: object({ from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } }),
  teams: nullable({ type: 'array', items: { type: 'integer' } }),
  channels: nullable({ type: 'array', items: { type: 'string' } }),
  volumes: object({ total: integer, by_channel: counts, by_category: counts }),
  first_response_minutes: distribution,
  resolution_minutes: distribution,
  sla: object({
    first_response: compliance,
    next_response: compliance,
    resolution: compliance,
    agency_followup: compliance,
  }),
  breaches: integer,
  reopened: integer,
  calls: nullable(
    object({
      abandoned: integer,
      callbacks_done: integer,
      callbacks_unreachable: integer,
      callbacks_pending: integer,
      callbacks_overdue: integer,
    }),
  ),
});

const PERIOD_DESCRIPTIONS: Record<string, string> = {
  from: "Start of the period (inclusive): a date (its start, in the time zone of the office's default calendar) or an instant with its zone. Default: 30 days before `to`.",
  to: 'End of the period (exclusive): a date (the whole day is included) or an instant with its zone. Default: now. At most 366 days after `from`.',
  team: 'Team ids (comma-separated or repeated). Supervisors: only their own teams (another is a 403); default their teams. Admins: default every team.',
  channel: 'Channels. Default: all.',
  status: 'Ticket statuses. Default: all.',
};
const SCOPE =
  'Supervisors get the numbers of their own teams, admins of every team. Confidential tickets count like the others; no subject, name, number or email ever appears.';
const csv = (description: string, example: string) => ({
  description,
  content: { 'text/csv': { schema: { type: 'string' }, example } },
});

export function metricPaths(): PathsObject {
  return {
    '/api/v1/metrics/live': {
      get: operation({
        operationId: 'liveMetrics',
        tag: 'metrics',
        summary:
          'The live view: per team and channel, waiting, longest wait, assigned, pending, SLA breaches and warnings in progress; per agent, presence and load',
        description:
          'Active tickets only (new, open, pending_citizen, pending_agency). `waiting`: unassigned tickets in the queue (new, open, pending_agency); `longest_waiting_seconds`: since the oldest of them entered the queue. ' +
          '`assigned`: active tickets with an assignee; `pending_citizen` / `pending_agency`: by status, assigned or not. `breached`: the nearest running SLA deadline has passed; `warning`: past the warning instant, not yet breached. ' +
          'Agents: every active agent of the teams shown, with their presence since when, and per channel their load (assigned tickets that hold capacity) against their capacity.',
        access: SUPERVISOR_OR_ADMIN,
        visibility: SCOPE,
        parameters: queryParameters(liveQuery, PERIOD_DESCRIPTIONS),
        responses: { 200: jsonResponse('The numbers now', envelope(live)) },
        errors: {
          400: 'A team id is invalid.',
          403: 'The caller is an agent, or asked for a team that is not theirs.',
        },
      }),
    },
    '/api/v1/metrics/summary': {
      get: operation({
        operationId: 'summaryMetrics',
        tag: 'metrics',
        summary:
          'The summary of a period: volumes, response times in working minutes, SLA compliance, breaches, reopened, calls',
        description:
          '`volumes`: tickets created in the period (merged duplicates left out), by channel and by category (`uncategorised` for none). ' +
          "`first_response_minutes`: working minutes (in the ticket's team calendar) from creation to the first answer, for tickets first answered in the period; `resolution_minutes`: from creation to resolution, for tickets resolved in the period. " +
          'Median and p90 are nearest-rank: the value at rank ⌈p/100 · n⌉ of the n sorted values (the lower middle value for an even n), to a hundredth. ' +
          '`sla`: per clock kind, the clocks stopped in the period that met or breached their target (cancelled ones count for neither), `percent_met` = met / (met + breached) × 100 to a tenth (null when none stopped), and `breaches`: clocks breached in the period. ' +
          '`reopened`: reopenings in the period. `calls`: abandoned inbound calls and call-backs done, unreachable, pending and overdue; null when the channel filter leaves voice out.',
        access: SUPERVISOR_OR_ADMIN,
        visibility: SCOPE,
        parameters: queryParameters(periodQuery, PERIOD_DESCRIPTIONS),
        responses: { 200: jsonResponse('The figures of the period', envelope(summary)) },
        errors: {
          400: 'A parameter is invalid, `from` is not before `to`, or the period is longer than 366 days.',
          403: 'The caller is an agent, or asked for a team that is not theirs.',
        },
      }),
    },
    '/api/v1/metrics/summary.csv': {
      get: operation({
        operationId: 'summaryMetricsCsv',
        tag: 'metrics',
        summary: 'The same summary as CSV: one figure per line (section, item, value)',
        description:
          'The figures of `GET /api/v1/metrics/summary` in its order; an empty value is a figure without data (null in JSON).',
        access: SUPERVISOR_OR_ADMIN,
        visibility: SCOPE,
        parameters: queryParameters(periodQuery, PERIOD_DESCRIPTIONS),
        responses: {
          200: csv(
            'The summary as CSV (an attachment)',
            'section,item,value\nperiod,from,2026-11-01T00:00:00.000Z\nvolume,total,1520\n',
          ),
        },
        errors: {
          400: 'A parameter is invalid, `from` is not before `to`, or the period is longer than 366 days.',
          403: 'The caller is an agent, or asked for a team that is not theirs.',
        },
      }),
    },
    '/api/v1/metrics/stream': {
      get: operation({
        operationId: 'streamSupervisorEvents',
        tag: 'metrics',
        summary: 'Server-sent events for supervisors: SLA warnings and breaches, and queue changes of their teams',
        description:
          'A `text/event-stream` that stays open, as `GET /api/v1/events/stream` (resumable with `Last-Event-ID`, token re-checked, `: keep-alive` every 15 seconds), with the events a supervisor watches: ' +
          '`sla_warning`, `sla_breached`, `ticket_created`, `assigned`, `claimed`, `transferred`, `returned_to_queue`, `reopened`, `resolved`, `closed`, `merged_into`. ' +
          'Besides, unless `snapshot_seconds=0`, an event `queue` without id whose data is the live view (as `GET /api/v1/metrics/live`), at connection and every `snapshot_seconds`.',
        access: SUPERVISOR_OR_ADMIN,
        visibility:
          "A supervisor gets the events of their teams' tickets, and of a ticket transferred out of one of their teams; an admin every team's.",
        parameters: [
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this event id (sent by EventSource when it reconnects).',
            schema: { type: 'integer', minimum: 0, maximum: MAX_ID },
          },
          ...queryParameters(streamQuery, {
            last_event_id: 'The same as the Last-Event-ID header.',
            snapshot_seconds: 'Seconds between `queue` snapshots: 0 for none, otherwise 5 to 3600 (default 30).',
          }),
        ],
        responses: {
          200: {
            description: 'The stream: open until the client leaves',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                example:
                  'id: 42\nevent: sla_breached\ndata: {"id":42,"ticket_id":7,"type":"sla_breached","actor_type":"system","actor_id":null,"data":{"clock_id":3,"kind":"first_response","due_at":"2026-11-23T01:30:00.000Z"},"at":"2026-11-23T01:30:01.000Z"}\n\n',
              },
            },
          },
        },
        errors: {
          400: 'A parameter is invalid.',
          403: 'The caller is an agent.',
          429: 'The token already has LIVE_STREAMS_PER_TOKEN open streams (`too_many_streams`): close one first.',
        },
      }),
    },
    '/api/v1/tickets/export.csv': {
      get: operation({
        operationId: 'exportTickets',
        tag: 'metrics',
        summary:
          'The tickets created in a period as CSV, with their SLA outcome per clock kind, for reports to the head of office',
        description:
          `Columns: ${EXPORT_COLUMNS.map((column) => `\`${column}\``).join(', ')}. Oldest first; merged duplicates left out. ` +
          'Each `sla_*` column is `breached` if any cycle of that clock breached, else `running` if one runs, else `met`, else `none` (never ran, or only cancelled). ' +
          "Streamed: any size within the 366-day limit. Never a citizen's name, phone number, email or NIK, nor a subject.",
        access: SUPERVISOR_OR_ADMIN,
        visibility: SCOPE,
        parameters: queryParameters(exportQuery, PERIOD_DESCRIPTIONS),
        responses: {
          200: csv(
            'The tickets as CSV (an attachment)',
            `${EXPORT_COLUMNS.join(',')}\nSP-123-456-789,resolved,sms,complaint,normal,front-desk,Siti,no,2026-11-23T00:00:00.000Z,2026-11-23T00:30:00.000Z,2026-11-24T02:00:00.000Z,,met,none,met,none\n`,
          ),
        },
        errors: {
          400: 'A parameter is invalid, `from` is not before `to`, or the period is longer than 366 days.',
          403: 'The caller is an agent, or asked for a team that is not theirs.',
        },
      }),
    },
  };
}
