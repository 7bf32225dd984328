import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  createCannedResponse,
  deleteCannedResponse,
  getCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from '../../../tickets/canned-responses.js';
import { TEMPLATE_LANGUAGES, TEMPLATE_VARIABLES } from '../../../tickets/canned-templates.js';
import { currentAgent, requireRole } from '../../authenticate.js';
import { bodyId, idParam, parseInput } from '../../validate.js';
import { jsonBody } from '../../json-body.js';

const fields = {
  name: z.string().trim().min(1).max(100),
  language: z.enum(TEMPLATE_LANGUAGES),
  body: z.string().trim().min(1).max(4000),
  team_id: bodyId().nullable(),
};
const createBody = z.strictObject({ ...fields, team_id: fields.team_id.optional() });
const patchBody = z
  .strictObject(fields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
const listQuery = z.object({ language: z.enum(TEMPLATE_LANGUAGES).optional() });
/** The request schemas above, for the OpenAPI document (src/http/openapi). */
export const cannedResponseSchemas = { createBody, patchBody, listQuery, idParam };

/**
 * Canned responses: every agent reads those they may use (for all teams, and their teams'); admins
 * write them. The variables a template may use are listed alongside, for editors.
 */
export function cannedResponseRoutes(db: Knex, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.use(jsonBody('32kb'));

  router.get('/', async (request, response) => {
    const query = parseInput(listQuery, request.query, 'query');
    response.json({ data: await listCannedResponses(db, currentAgent(request), query), variables: TEMPLATE_VARIABLES });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'canned response id');
    response.json({ data: await getCannedResponse(db, currentAgent(request), id) });
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const input = parseInput(createBody, request.body, 'canned response');
    const agent = currentAgent(request);
    const id = await createCannedResponse(db, agent, input, now());
    response.status(201).json({ data: await getCannedResponse(db, agent, id) });
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'canned response id');
    await updateCannedResponse(db, id, parseInput(patchBody, request.body, 'canned response'), now());
    response.json({ data: await getCannedResponse(db, currentAgent(request), id) });
  });

  router.delete('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'canned response id');
    await deleteCannedResponse(db, id);
    response.status(204).end();
  });

  return router;
}
