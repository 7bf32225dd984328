import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { listDeadLetters, reviveDeadLetter } from '../../../inbox/dead-letter.js';
import type { PipelineQueues } from '../../../queue/pipeline-queues.js';
import { requireRole } from '../../authenticate.js';
import { idParam, parseInput } from '../../validate.js';

export const deadLetterFilters = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/**
 * Inbox rows set aside after failing processing INBOX_MAX_ATTEMPTS times: the list, and a retry
 * (after the cause is fixed). Admins only: a row's error can quote the database.
 */
export function deadLetterRoutes(db: Knex, queues: PipelineQueues): Router {
  const router = Router();
  router.use(requireRole('admin'));

  router.get('/', async (request, response) => {
    const { limit } = parseInput(deadLetterFilters, request.query, 'query');
    response.json({ data: await listDeadLetters(db, limit) });
  });

  router.post('/:id/retry', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'inbox row id');
    await reviveDeadLetter(db, id);
    // If Redis is down the sweeper signals it later: the row is no longer set aside.
    await queues.resignal({ inbox: [id], outbox: [] }).catch(() => undefined);
    response.status(202).json({ data: { id, retried: true } });
  });

  return router;
}
