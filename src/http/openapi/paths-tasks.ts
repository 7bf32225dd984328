import { z } from 'zod';
import { outcomeBody, taskFilters, taskIdParam } from '../api/v1/tasks.js';
import { TASK_KINDS, TASK_STATUSES } from '../../tasks/task-queries.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope } from './schemas.js';
import type { PathsObject } from './types.js';

const timestamp = z.string().describe('ISO 8601 date-time');

/** A task as the API answers it (src/tasks/task-queries.ts). */
export const task = toJsonSchema(
  z.object({
    id: z.number().int().positive(),
    kind: z.enum(TASK_KINDS),
    status: z
      .enum(TASK_STATUSES)
      .describe(
        'open (waiting for a call), calling, done, unreachable (every attempt failed; the citizen got an SMS), cancelled',
      ),
    ticket: z.object({ id: z.number().int().positive(), reference: z.string() }),
    team_id: z.number().int().positive().nullable(),
    phone: z
      .string()
      .nullable()
      .describe('The number to call, E.164; null for an agent when the report is anonymous (the server dials it)'),
    reason: z.string().nullable().describe('Why: abandoned, no_answer, busy, failed, requested, voicemail'),
    due_at: timestamp.describe('When to call: now or the next attempt, always in working hours'),
    overdue: z.boolean(),
    assignee_id: z.number().int().positive().nullable(),
    attempts: z.number().int().min(0),
    requests: z.number().int().min(1).describe('Calls of the citizen that asked for this one call-back'),
    outcome: z
      .string()
      .nullable()
      .describe("The last attempt's: reached, no_answer, busy, failed, voicemail_left, wrong_number"),
    note: z.string().nullable(),
    last_attempt_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    closed_at: timestamp.nullable(),
  }),
  'output',
);

const taskId = pathParameters(taskIdParam, { id: "The task's id" });
const VISIBILITY =
  "Only tasks of tickets the caller may see: an admin every team's; others their teams', a confidential ticket's to its assignee and supervisors only.";

export function taskPaths(): PathsObject {
  return {
    '/api/v1/tasks': {
      get: operation({
        operationId: 'listTasks',
        tag: 'tasks',
        summary:
          'Call-back tasks, overdue first, then by due time; open and calling ones unless `status` says otherwise',
        access: ANY_AGENT,
        visibility: VISIBILITY,
        parameters: queryParameters(taskFilters, {
          status: 'Comma-separated statuses (default open,calling)',
          kind: 'callback or clarification',
          team: 'Comma-separated team ids',
          assignee: '`me`, `none` or an agent id',
          overdue: '`true`: only open tasks past their due time',
          limit: 'At most this many (≤ 200)',
        }),
        responses: { 200: jsonResponse('The tasks', envelope(arrayOf(task))) },
        errors: { 400: 'A filter is invalid.' },
      }),
    },
    '/api/v1/tasks/{id}': {
      get: operation({
        operationId: 'getTask',
        tag: 'tasks',
        summary: 'One task',
        access: ANY_AGENT,
        visibility: VISIBILITY,
        parameters: taskId,
        responses: { 200: jsonResponse('The task', envelope(task)) },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
    },
    '/api/v1/tasks/{id}/call': {
      post: operation({
        operationId: 'callTask',
        tag: 'tasks',
        summary:
          "Start the call-back: Twilio rings the caller's own phone, then bridges to the citizen with the help desk's number as caller ID",
        description:
          "The caller takes the task (status `calling`). Twilio's callbacks record the outcome: reached, busy, no answer, failed; an agent who does not pick up gives the task back without an attempt counted. No body.",
        access: ANY_AGENT,
        visibility: VISIBILITY,
        parameters: taskId,
        responses: { 200: jsonResponse('The task, now calling', envelope(task)) },
        errors: {
          400: 'The id is not a positive integer.',
          404: true,
          409: 'The task is not open (already calling, or closed).',
          422: 'The caller has no phone (`agent_has_no_phone`), TWILIO_VOICE_FROM is unset (`voice_not_configured`), or Twilio refused the call (`call_refused`).',
          503: 'Twilio could not be reached.',
        },
      }),
    },
    '/api/v1/tasks/{id}/outcome': {
      post: operation({
        operationId: 'recordTaskOutcome',
        tag: 'tasks',
        summary: "Record an attempt's outcome: reached, no_answer, voicemail_left or wrong_number, with a note",
        description:
          "The outcome of the last call placed for the task (POST /api/v1/tasks/{id}/call), by the agent who placed it, once per call (Twilio's callbacks report it too, and the first word counts). Reached or a wrong number closes the task. Otherwise the next attempt is scheduled by CALLBACK_RETRY_DELAYS (default 30 minutes, 2 hours, the next working day; always in working hours); after the last, the citizen gets an SMS and the task closes as unreachable. Every attempt is an event on the ticket.",
        access: ANY_AGENT,
        visibility: VISIBILITY,
        parameters: taskId,
        body: { schema: toJsonSchema(outcomeBody) },
        responses: { 200: jsonResponse('The task after the attempt', envelope(task)) },
        errors: {
          400: true,
          403: 'The last call-back call of the task was placed by another agent: only they report its outcome (`forbidden`).',
          404: true,
          409: 'The task is closed (`task_closed`), no call was placed for it (`no_call_attempt`), or the outcome of its last call is recorded already (`outcome_recorded`): each call counts once.',
        },
      }),
    },
  };
}
