import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { ATTEMPT_OUTCOMES } from '../../../tasks/attempts.js';
import { getTask, listTasks, TASK_KINDS, TASK_STATUSES } from '../../../tasks/task-queries.js';
import type { VoiceServices } from '../../../voice/voice-services.js';
import { currentAgent } from '../../authenticate.js';
import { idParam, idText, parseInput, textId } from '../../validate.js';
import { jsonBody } from '../../json-body.js';
import { listOf } from './ticket-filters.js';

/** The outcomes an agent reports; busy and failed come from Twilio's callbacks only. */
export const AGENT_OUTCOMES = [
  'reached',
  'no_answer',
  'voicemail_left',
  'wrong_number',
] as const satisfies ReadonlyArray<(typeof ATTEMPT_OUTCOMES)[number]>;

export const taskFilters = z
  .object({
    status: listOf(z.enum(TASK_STATUSES)),
    kind: listOf(z.enum(TASK_KINDS)),
    team: listOf(idText('a team id')).transform((ids) => ids?.map(Number)),
    assignee: z.union([z.enum(['me', 'none']), textId()]).optional(),
    overdue: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => (value === undefined ? undefined : value === 'true')),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const taskIdParam = idParam;
export const outcomeBody = z
  .object({ outcome: z.enum(AGENT_OUTCOMES), note: z.string().trim().min(1).max(2000).optional() })
  .strict();

export interface TaskRoutesContext {
  db: Knex;
  voice: VoiceServices;
  referencePrefix: string;
  now?: () => Date;
}

/**
 * Call-back (and clarification) tasks: the agents' list, overdue first; one task; ringing it
 * through Twilio; an attempt's outcome. Visibility is the ticket's: an agent sees their teams'
 * tasks (a confidential ticket's only when assigned to it), supervisors their teams', admins all.
 */
export function taskRoutes(context: TaskRoutesContext): Router {
  const { db, voice, referencePrefix } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();
  router.use(jsonBody('64kb'));

  router.get('/', async (request, response) => {
    const filters = parseInput(taskFilters, request.query, 'query');
    response.json({ data: await listTasks(db, currentAgent(request), filters, referencePrefix, now()) });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(taskIdParam, request.params, 'task id');
    response.json({ data: await getTask(db, currentAgent(request), id, referencePrefix, now()) });
  });

  router.post('/:id/call', async (request, response) => {
    const { id } = parseInput(taskIdParam, request.params, 'task id');
    response.json({ data: await voice.callbacks.start(currentAgent(request), id) });
  });

  router.post('/:id/outcome', async (request, response) => {
    const { id } = parseInput(taskIdParam, request.params, 'task id');
    const { outcome, note } = parseInput(outcomeBody, request.body, 'outcome');
    const agent = currentAgent(request);
    await getTask(db, agent, id, referencePrefix, now()); // 404 for a task the agent may not see
    await voice.attempts.record({ taskId: id, outcome, note, actor: { type: 'agent', id: agent.id }, at: now() });
    response.json({ data: await getTask(db, agent, id, referencePrefix, now()) });
  });

  return router;
}
