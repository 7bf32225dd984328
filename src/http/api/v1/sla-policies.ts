import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../../channels/adapter.js';
import { policyWarnings } from '../../../sla/escalation-team-check.js';
import { targetsSchema } from '../../../sla/policies.js';
import { deletePolicy, getPolicy, listPolicies, savePolicy } from '../../../sla/policy-directory.js';
import { CATEGORY_CODES, PRIORITY_CODES } from '../../../tickets/vocabulary.js';
import { requireRole } from '../../authenticate.js';
import { bodyId, idParam, parseInput } from '../../validate.js';
import { jsonBody } from '../../json-body.js';

const anyOrList = <T extends z.ZodType<string>>(item: T) => z.array(item).min(1).nullable();
const fields = {
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(1_000_000),
  active: z.boolean(),
  categories: anyOrList(z.enum(CATEGORY_CODES)),
  priorities: anyOrList(z.enum(PRIORITY_CODES)),
  channels: anyOrList(z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]])),
  targets: targetsSchema,
  resolution_extension_days: z.number().int().min(1).max(60).nullable(),
  warning_ratio: z.number().gt(0).lt(1),
  escalate_notify: z.boolean(),
  escalate_raise_priority: z.boolean(),
  escalation_team_id: bodyId().nullable(),
};
const createBody = z.strictObject(fields).partial().required({ name: true, position: true, targets: true });
const patchBody = z
  .strictObject(fields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
/** The request schemas above, for the OpenAPI document (src/http/openapi). */
export const slaPolicySchemas = { createBody, patchBody, idParam };

/**
 * SLA policies: supervisors and admins read them (they explain every deadline); admins write them.
 * The first active policy by position whose categories, priorities and channels all match a
 * ticket sets its targets.
 */
export function slaPolicyRoutes(db: Knex, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.use(jsonBody('16kb'));

  router.get('/', requireRole('supervisor', 'admin'), async (_request, response) => {
    response.json({ data: await listPolicies(db) });
  });

  router.get('/:id', requireRole('supervisor', 'admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'policy id');
    response.json({ data: await getPolicy(db, id) });
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const id = await savePolicy(db, undefined, parseInput(createBody, request.body, 'SLA policy'), now());
    const data = await getPolicy(db, id);
    response.status(201).json({ data, warnings: await policyWarnings(db, data.escalation_team_id) });
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'policy id');
    await savePolicy(db, id, parseInput(patchBody, request.body, 'SLA policy'), now());
    const data = await getPolicy(db, id);
    response.json({ data, warnings: await policyWarnings(db, data.escalation_team_id) });
  });

  router.delete('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'policy id');
    await deletePolicy(db, id);
    response.status(204).end();
  });

  return router;
}
