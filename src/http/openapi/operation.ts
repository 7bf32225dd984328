import type { Role } from '../../auth/tokens.js';
import { ref } from './schemas.js';
import type { Caller, JsonSchema, OperationObject, ParameterObject, ResponseObject } from './types.js';

/** The document's tags, one per area of the API. */
export const TAGS = {
  health: { name: 'Health', description: 'Liveness and readiness probes for the orchestrator. Public.' },
  webhooks: {
    name: 'Webhooks',
    description: "Callbacks from providers (Twilio), authenticated by the provider's signature, not by a token.",
  },
  auth: { name: 'Auth', description: 'Logging in: a bearer token for the API, expiring; login is rate-limited.' },
  tickets: {
    name: 'Tickets',
    description: 'Tickets: list, detail, replies, internal notes, the actions of the state machine, the vocabularies.',
  },
  queue: { name: 'Queue', description: "The agent's working views: my tickets, my teams' waiting tickets, pull mode." },
  agents: {
    name: 'Agents',
    description:
      "Agents: admins manage them, supervisors see their teams' agents, every agent sets their own presence.",
  },
  teams: {
    name: 'Teams',
    description: 'The front desk and each agency (OPD). Everyone lists them; admins manage them.',
  },
  calendars: {
    name: 'Calendars',
    description:
      'Working-time calendars: time zone, weekly hours with breaks, holidays, dated exceptions, and the deadlines they give. Everyone reads them; admins edit them.',
  },
  tasks: {
    name: 'Tasks',
    description:
      'Call-backs (and clarification calls) that agents work like tickets: list, call through Twilio, record outcomes.',
  },
  sla: {
    name: 'SLA policies',
    description:
      'The targets in working time that tickets are timed against, chosen by category, priority and channel. Supervisors read them; admins edit them.',
  },
  canned: {
    name: 'Canned responses',
    description: 'Reply templates with {{variables}}, in Bahasa Indonesia and English; admins manage them.',
  },
  chat: {
    name: 'Web chat',
    description:
      "The chat widget's public API: a visitor session token (not a staff token), messages through the inbox into `webchat` tickets, an event stream, long polling.",
  },
  live: { name: 'Live events', description: "Server-sent events for an agent's console." },
  metrics: {
    name: "Supervisor's view",
    description:
      "Live and summary metrics, the supervisors' event stream, CSV exports. Supervisors see their teams, admins everything.",
  },
  monitoring: {
    name: 'Monitoring',
    description: 'Prometheus metrics, for the scraper (METRICS_TOKEN) and admins.',
  },
  meta: { name: 'Document', description: 'This OpenAPI document.' },
} as const;
export type Tag = keyof typeof TAGS;

export const ANY_AGENT: Role[] = ['agent', 'supervisor', 'admin'];
export const SUPERVISOR_OR_ADMIN: Role[] = ['supervisor', 'admin'];
export const ADMIN_ONLY: Role[] = ['admin'];

/** The statuses an error can have here, each with what it means unless an operation says better. */
const ERROR_MEANING = {
  400: 'The request is malformed: a path parameter, query parameter or body field is invalid (`details` names each one).',
  401: 'No valid bearer token: missing, unknown, expired, or its agent is disabled.',
  403: "The caller's role may not do this.",
  404: 'Not found, or not visible to the caller (the answer does not tell which).',
  409: "The resource's state does not allow this (`details` says which state and what is allowed).",
  413: 'The body is larger than this route accepts.',
  415: "The body's charset or content encoding is not supported.",
  422: 'Well-formed, but it cannot be done with the data at hand (`code` says why).',
  429: 'Too many attempts.',
  500: 'An unexpected failure on the server.',
  503: 'A service the server depends on is unavailable.',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANING;

export interface OperationSpec {
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** `public`: no token (and anyone may call it); otherwise the roles that may. */
  access: 'public' | Role[];
  /** What the answer depends on beyond the role (which tickets, which agents), in words. */
  visibility?: string;
  parameters?: ParameterObject[];
  body?: { schema: JsonSchema; mediaType?: string; required?: boolean; description?: string };
  /** The success answers by status. */
  responses: Record<number, ResponseObject>;
  /** Each error status the route can give beyond 401 (added for authenticated routes) and 500, with an explanation or `true` for the usual one. */
  errors: Partial<Record<ErrorStatus, string | true>>;
}

const ROLE_WORDS: Record<Role, string> = { agent: 'agents', supervisor: 'supervisors', admin: 'admins' };

function callerWords(access: OperationSpec['access']): string {
  if (access === 'public') return 'Public: anyone, no token needed.';
  const names = access.map((role) => ROLE_WORDS[role]);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `Who may call it: ${list}${
    access.length < 3
      ? ` only (${ANY_AGENT.filter((role) => !access.includes(role))
          .map((role) => ROLE_WORDS[role])
          .join(' and ')} get 403)`
      : ''
  }.`;
}

export const errorResponse = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

export const jsonResponse = (description: string, schema: JsonSchema): ResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * One operation: the roles in `x-roles` and in words, bearer security unless public, the request
 * body, and every error status with the shared error body. Authenticated routes always answer 401
 * without a valid token; routes that read a body may get 413 and 415 from the body parser; any
 * route may fail with 500.
 */
export function operation(spec: OperationSpec): OperationObject {
  const isPublic = spec.access === 'public';
  const roles: Caller[] = isPublic ? ['anonymous'] : [...(spec.access as Role[])];
  const errors: Partial<Record<ErrorStatus, string | true>> = { ...spec.errors };
  if (!isPublic) errors[401] = true;
  if (spec.body)
    Object.assign(errors, { 400: errors[400] ?? true, 413: errors[413] ?? true, 415: errors[415] ?? true });
  errors[500] = errors[500] ?? true;

  const responses: Record<string, ResponseObject> = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = response;
  for (const status of (Object.keys(errors) as unknown as ErrorStatus[]).sort((a, b) => Number(a) - Number(b))) {
    const words = errors[status];
    responses[String(status)] = errorResponse(words === true || words === undefined ? ERROR_MEANING[status] : words);
  }

  const description = [spec.description, callerWords(spec.access), spec.visibility].filter(Boolean).join('\n\n');
  return {
    operationId: spec.operationId,
    tags: [TAGS[spec.tag].name],
    summary: spec.summary,
    description,
    security: isPublic ? [] : [{ bearer: [] }],
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: spec.body.required ?? true,
            ...(spec.body.description ? { description: spec.body.description } : {}),
            content: { [spec.body.mediaType ?? 'application/json']: { schema: spec.body.schema } },
          },
        }
      : {}),
    responses,
    'x-roles': roles,
  };
}
