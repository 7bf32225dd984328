import { VIEWER_ACTIVITIES } from '../../metrics/live/ticket-viewers.js';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../channels/adapter.js';
import { PRESENCES } from '../../routing/agent-directory.js';
import { TEMPLATE_LANGUAGES, TEMPLATE_VARIABLES } from '../../tickets/canned-templates.js';
import { CLOCK_KINDS } from '../../sla/policies.js';
import { ROUTING_STRATEGIES } from '../../routing/team-directory.js';
import { TICKET_STATUSES } from '../../tickets/ticket-statuses.js';
import { CATEGORY_CODES, COMPLAINT_TYPE_CODES, PRIORITY_CODES } from '../../tickets/vocabulary.js';
import { toJsonSchema } from './json-schema.js';
import type { JsonSchema } from './types.js';

/**
 * The shapes the API answers with, as zod schemas turned into the document's
 * `components.schemas`. They describe what the handlers write (src/tickets/ticket-queries.ts,
 * src/tickets/actions/ticket-view.ts, src/routing/agent-directory.ts...); the access-matrix test
 * checks every answer it gets against them.
 */

const channel = z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]);
const id = z.number().int().positive();
const timestamp = z.string().describe('ISO 8601 date-time');
const nullableTimestamp = timestamp.nullable();
const role = z.enum(['agent', 'supervisor', 'admin']);

/** The one error body of the API (src/http/error-handler.ts). */
const error = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          "A stable code: `invalid_request`, `unauthorized`, `forbidden`, `not_found`, `invalid_transition`... or a body parser's (`entity.parse.failed`, `entity.too.large`)",
        ),
      message: z.string().describe('For people; may change'),
      details: z
        .unknown()
        .optional()
        .describe(
          'Per code: the fields at fault for `invalid_request`, the allowed actions for `invalid_transition`...',
        ),
    }),
  })
  .describe('Every error answer: `{ "error": { "code", "message", "details"? } }`');

const term = z.object({ code: z.string(), label: z.object({ id: z.string(), en: z.string() }) });
const vocabulary = z.object({
  categories: z.array(term),
  complaint_types: z.array(term),
  priorities: z.array(term),
  statuses: z.array(term),
});

const slaFlag = z
  .object({
    state: z
      .enum(['breached', 'warning', 'ok'])
      .nullable()
      .describe(
        '`breached`: a running SLA clock is past its deadline; `warning`: past its warning share; null: no clock runs',
      ),
    due_at: nullableTimestamp.describe('The nearest deadline among the running clocks'),
    warn_at: nullableTimestamp,
    kind: z.enum(CLOCK_KINDS).nullable().describe('The clock whose deadline is `due_at`; null with none running'),
    working_minutes_left: z
      .number()
      .nullable()
      .describe("Working minutes (the team's calendar) from now to `due_at`; negative once it has passed"),
    working_now: z.boolean().describe("Whether the team's calendar is open now, i.e. whether the countdown moves"),
    paused: z.boolean().describe('A clock is paused (waiting on the citizen): its deadline is suspended'),
  })
  .describe("The ticket's SLA at a glance, as every list flags it");

const slaClock = z.object({
  id,
  kind: z.enum(CLOCK_KINDS),
  target: z.record(z.string(), z.number().int()).describe('`{"minutes": N}` or `{"days": N}`, in working time'),
  extension_days: z.number().int(),
  started_at: nullableTimestamp,
  warn_at: nullableTimestamp,
  due_at: nullableTimestamp.describe('null while paused'),
  paused_at: nullableTimestamp,
  paused_minutes: z
    .number()
    .describe('Working minutes spent paused (waiting on the citizen, or finished before a reopen), not counted'),
  warned_at: nullableTimestamp,
  breached_at: nullableTimestamp,
  stopped_at: nullableTimestamp,
  outcome: z.enum(['met', 'breached', 'cancelled']).nullable(),
});

const ticketSummary = z.object({
  id,
  reference: z.string().describe('The reference number citizens quote, with the office prefix'),
  status: z.enum(TICKET_STATUSES),
  channel,
  subject: z.string().nullable(),
  category: z.enum(CATEGORY_CODES).nullable(),
  complaint_type: z.enum(COMPLAINT_TYPE_CODES).nullable(),
  priority: z.enum(PRIORITY_CODES),
  team_id: id.nullable(),
  assignee_id: id.nullable(),
  confidential: z.boolean(),
  contact: z.object({ id, display_name: z.string().nullable() }),
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
  last_message_at: nullableTimestamp,
  queued_at: nullableTimestamp,
  sla: slaFlag,
});

const ticketList = z.object({
  data: z.array(ticketSummary),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page (newest-first lists)'),
  next_offset: z.number().int().nullable().describe('Pass as `offset` for the next page (the waiting queue)'),
});

const attachment = z.object({
  id,
  storage: z.string(),
  url: z.string(),
  content_type: z.string().nullable(),
  filename: z.string().nullable(),
  size_bytes: z.number().int().nullable(),
  download_url: z
    .string()
    .nullable()
    .describe("Where the API serves the file (`GET /api/v1/attachments/{id}`), a provider's media too"),
});

const message = z.object({
  id,
  direction: z.enum(['inbound', 'outbound']),
  channel,
  kind: z.string().nullable().describe('`message`, `note`...'),
  author_type: z.string(),
  author_id: id.nullable(),
  body: z.string().nullable(),
  internal: z.boolean().describe('An internal note: never sent to the citizen'),
  auto_reply: z.boolean(),
  hold_status: z
    .enum(['held', 'confirmed', 'split'])
    .nullable()
    .describe(
      "`held`: a stranger quoted this ticket's reference; it waits for an agent (/api/v1/held-messages). `confirmed`: an agent made it the citizen's. Null for every other message",
    ),
  provider: z.string().nullable(),
  provider_message_id: z.string().nullable(),
  delivery_status: z.string().nullable(),
  error_code: z.string().nullable(),
  error_message: z
    .string()
    .nullable()
    .describe(
      "The provider's error text, personal data masked; null for an agent on an anonymous report (as the `reason` of its delivery events): it may quote the reporter's number",
    ),
  created_at: nullableTimestamp,
  status_at: nullableTimestamp,
  attachments: z.array(attachment),
});

const ticketEvent = z.object({
  id,
  type: z.string().describe('`ticket_created`, `assigned`, `claimed`, `transferred`, `field_changed`, `resolved`...'),
  actor_type: z.string(),
  actor_id: id.nullable(),
  data: z.unknown(),
  created_at: nullableTimestamp,
});

const whatsappWindow = z
  .object({
    open: z.boolean().describe('A free-form WhatsApp message may go to the citizen now'),
    last_citizen_message_at: nullableTimestamp.describe("The citizen's last WhatsApp message, on any ticket"),
    closes_at: nullableTimestamp.describe('24 hours after it: when the window closes (or closed)'),
    template_available: z
      .boolean()
      .describe('An approved template is configured (`"template": true` on a reply reopens the window)'),
  })
  .nullable()
  .describe("WhatsApp's 24-hour window, for a WhatsApp ticket or a citizen who wrote on WhatsApp; null otherwise");

const ticketDetail = ticketSummary.extend({
  whatsapp_window: whatsappWindow,
  assignee_name: z.string().nullable().describe("The name of the agent who holds the ticket (`assignee_id`'s)"),
  permit_number: z.string().nullable(),
  anonymous: z.boolean().describe("Reporter protection: the reporter's identity is to be kept hidden"),
  required_skills: z.array(z.string()),
  merged_into_id: id.nullable().describe('Set on a duplicate merged into another ticket'),
  language: z.string().nullable().describe("The citizen's language (`id`, `en`)"),
  first_response_at: nullableTimestamp,
  resolved_at: nullableTimestamp,
  closed_at: nullableTimestamp,
  clarification: z
    .object({ requested_at: nullableTimestamp, remind_at: nullableTimestamp, expires_at: nullableTimestamp })
    .nullable()
    .describe('The clarification the ticket waits on, if one was asked'),
  sla_policy: z
    .object({ id, name: z.string() })
    .nullable()
    .describe("The SLA policy the ticket's category, priority and channel choose"),
  sla_clocks: z
    .array(slaClock)
    .describe(
      'Every SLA clock of the ticket, one row per cycle (next response runs once per citizen message answered)',
    ),
  contact: z.object({
    id,
    display_name: z.string().nullable(),
    identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  }),
  messages: z.array(message),
  events: z.array(ticketEvent),
});

const ticketState = z
  .object({
    id,
    reference: z.string(),
    status: z.enum(TICKET_STATUSES),
    channel,
    subject: z.string().nullable(),
    category: z.enum(CATEGORY_CODES).nullable(),
    complaint_type: z.enum(COMPLAINT_TYPE_CODES).nullable(),
    priority: z.enum(PRIORITY_CODES),
    permit_number: z.string().nullable(),
    confidential: z.boolean(),
    anonymous: z.boolean(),
    required_skills: z.array(z.string()),
    team_id: id.nullable(),
    assignee_id: id.nullable(),
    merged_into_id: id.nullable(),
    allowed_actions: z.array(z.enum(['update', 'assign', 'claim', 'transfer', 'merge', 'resolve', 'close', 'reopen'])),
    queued_at: nullableTimestamp,
    assigned_at: nullableTimestamp,
    resolved_at: nullableTimestamp,
    closed_at: nullableTimestamp,
    updated_at: nullableTimestamp,
  })
  .describe(
    "The ticket as an action left it, with what may be done next (answered even when the action took the ticket out of the caller's sight)",
  );

const agent = z.object({
  id,
  email: z.string(),
  name: z.string(),
  role,
  active: z.boolean(),
  phone: z.string().nullable(),
  presence: z.enum(PRESENCES),
  presence_changed_at: nullableTimestamp,
  teams: z.array(z.object({ id, slug: z.string(), name: z.string() })),
  skills: z.array(z.string()),
  capacities: z.record(z.string(), z.number().int()).describe('Conversations at once per channel'),
});

const team = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  routing_strategy: z.enum(ROUTING_STRATEGIES),
  calendar_id: id.nullable().describe("The team's working-time calendar; null: the default calendar"),
  active: z.boolean(),
  created_at: nullableTimestamp,
});

const cannedResponse = z.object({
  id,
  name: z.string(),
  language: z.enum(TEMPLATE_LANGUAGES),
  body: z.string().describe('The template, with {{variables}}'),
  team_id: id.nullable().describe('null: offered to every team'),
  created_by: id,
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
});

const login = z.object({
  token: z.string(),
  token_type: z.literal('Bearer'),
  expires_at: timestamp,
  agent: z.object({ id, name: z.string(), role }),
});

const replyQueued = z.object({
  message_id: id,
  delivery_status: z.literal('queued'),
  body: z.string().optional().describe('The text sent, when composed from a canned response'),
  canned_response_id: id
    .optional()
    .describe("The canned response used: the chosen one or its twin in the citizen's language"),
  language: z.enum(TEMPLATE_LANGUAGES).optional(),
});

const replyPreview = z.object({
  body: z.string().describe('The canned response with its placeholders filled in'),
  canned_response_id: id.describe("The response used: the chosen one or its twin in the citizen's language"),
  language: z.enum(TEMPLATE_LANGUAGES),
});

const ticketViewers = z.array(
  z.object({
    agent_id: id,
    name: z.string(),
    activity: z.enum(VIEWER_ACTIVITIES),
    seen_at: z.string().describe('When their console last told'),
  }),
);

const health = z.object({ status: z.literal('ok') });
const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.enum(['ok', 'unreachable']), redis: z.enum(['ok', 'unreachable']) }),
});

/** `{ data: … }`: how every API answer but login, health and errors is wrapped. */
export const envelope = (schema: JsonSchema, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: { data: schema, ...extra },
  required: ['data', ...Object.keys(extra)],
});

/** A reference to one of the component schemas below. */
export const ref = (name: ComponentName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const arrayOf = (schema: JsonSchema): JsonSchema => ({ type: 'array', items: schema });

const slaPolicy = z.object({
  id,
  name: z.string(),
  position: z.number().int().describe('Matching order: the first active policy that matches a ticket applies'),
  active: z.boolean(),
  categories: z.array(z.enum(CATEGORY_CODES)).nullable().describe('null: any category, an uncategorised ticket too'),
  priorities: z.array(z.enum(PRIORITY_CODES)).nullable(),
  channels: z.array(channel).nullable(),
  targets: z
    .record(z.string(), z.record(z.string(), z.number().int()))
    .describe(
      'Per clock kind (`first_response`, `next_response`, `resolution`, `agency_followup`): `{"minutes": N}` or `{"days": N}` in working time',
    ),
  resolution_extension_days: z
    .number()
    .int()
    .nullable()
    .describe('Working days the resolution deadline may be extended by, once, with a reason'),
  warning_ratio: z.number(),
  escalate_notify: z.boolean().describe("On a breach: the team's supervisors get the live event and a mail"),
  escalate_raise_priority: z.boolean(),
  escalation_team_id: id.nullable().describe('On a breach the ticket moves to this team'),
  updated_at: nullableTimestamp,
});

const COMPONENTS = {
  SlaPolicy: slaPolicy,
  Error: error,
  Vocabulary: vocabulary,
  TicketSummary: ticketSummary,
  TicketList: ticketList,
  TicketDetail: ticketDetail,
  TicketState: ticketState,
  Message: message,
  Attachment: attachment,
  TicketEvent: ticketEvent,
  Agent: agent,
  Team: team,
  CannedResponse: cannedResponse,
  LoginResponse: login,
  ReplyQueued: replyQueued,
  ReplyPreview: replyPreview,
  TicketViewers: ticketViewers,
  Health: health,
  Readiness: readiness,
};
export type ComponentName = keyof typeof COMPONENTS | 'TemplateVariables';

/** Extra components that are plain JSON Schema rather than zod. */
const PLAIN_COMPONENTS: Record<string, JsonSchema> = {
  TemplateVariables: {
    type: 'array',
    items: { type: 'string', enum: [...TEMPLATE_VARIABLES] },
    description: 'The variables a canned response may use, as {{name}}',
  },
};

/**
 * Answers may grow: a field added to an answer breaks no client, so the schemas name the fields
 * every answer has and allow more (zod's output schemas would forbid them).
 */
function allowMore(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(allowMore);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, allowMore(value)]),
  );
}

export function componentSchemas(): Record<string, JsonSchema> {
  return {
    ...Object.fromEntries(
      Object.entries(COMPONENTS).map(([name, schema]) => [
        name,
        allowMore(toJsonSchema(schema, 'output')) as JsonSchema,
      ]),
    ),
    ...PLAIN_COMPONENTS,
  };
}
