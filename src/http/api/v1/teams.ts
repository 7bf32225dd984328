import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ROUTING_STRATEGIES, createTeam, getTeam, listTeams, updateTeam } from '../../../routing/team-directory.js';
import { requireRole } from '../../authenticate.js';
import { bodyId, idParam, parseInput } from '../../validate.js';
import { jsonBody } from '../../json-body.js';

const teamFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(500).nullable().optional(),
  routing_strategy: z.enum(ROUTING_STRATEGIES).optional(),
  calendar_id: bodyId()
    .nullable()
    .optional()
    .describe("The team's working-time calendar (/api/v1/calendars); null: the default calendar"),
};
const createBody = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
  ...teamFields,
});
const patchBody = z
  .object({ ...teamFields, active: z.boolean() })
  .partial()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Nothing to change');
/** The request schemas above, for the OpenAPI document (src/http/openapi). */
export const teamSchemas = { createBody, patchBody, idParam };

/** Teams: the front desk and each agency (OPD). Everyone lists them; admins manage them. */
export function teamRoutes(db: Knex, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.use(jsonBody('16kb'));

  router.get('/', async (_request, response) => {
    response.json({ data: await listTeams(db) });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'team id');
    response.json({ data: await getTeam(db, id) });
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const id = await createTeam(db, parseInput(createBody, request.body, 'team'), now());
    response.status(201).json({ data: await getTeam(db, id) });
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'team id');
    await updateTeam(db, id, parseInput(patchBody, request.body, 'team'));
    response.json({ data: await getTeam(db, id) });
  });

  return router;
}
