import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../../channels/adapter.js';
import {
  PRESENCES,
  createAgent,
  getAgent,
  listAgents,
  setPresence,
  updateAgent,
} from '../../../routing/agent-directory.js';
import { returnUnstartedTickets } from '../../../routing/return-to-queue.js';
import type { RoutingSignals } from '../../../routing/signals.js';
import { currentAgent, requireRole } from '../../authenticate.js';
import { bodyId, idParam, parseInput } from '../../validate.js';
import { jsonBody } from '../../json-body.js';

const capacities = z.partialRecord(
  z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]),
  z.number().int().min(0).max(100),
);
const agentFields = {
  name: z.string().trim().min(1).max(200),
  role: z.enum(['agent', 'supervisor', 'admin']),
  // Long enough to resist guessing; the hash (scrypt) does the rest.
  password: z.string().min(10).max(1024),
  phone: z.string().trim().max(32).nullable().optional(),
  teams: z.array(bodyId()).max(50).optional(),
  skills: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
  capacities: capacities.optional(),
};
const createBody = z.object({ email: z.string().email().max(320), ...agentFields });
const patchBody = z.object({ ...agentFields, active: z.boolean() }).partial();
const presenceBody = z.object({ presence: z.enum(PRESENCES) });
/** The request schemas above, for the OpenAPI document (src/http/openapi). */
export const agentSchemas = { createBody, patchBody, presenceBody, idParam };

export interface AgentRoutesContext {
  db: Knex;
  routing: RoutingSignals;
  /** Give back unstarted tickets when an agent goes offline or is disabled. */
  returnOnOffline: boolean;
  now?: () => Date;
}

/** Agents: admins manage them; supervisors see their teams' agents; everyone sets their presence. */
export function agentRoutes(context: AgentRoutesContext): Router {
  const { db, routing } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();

  /** Presence and capacity changes let waiting work move: tell routing. */
  async function afterAvailabilityChange(agentId: number, presence: string): Promise<void> {
    if (presence === 'available') await routing.capacityFreed([agentId]);
    if (presence === 'offline' && context.returnOnOffline)
      await routing.ticketsQueued(await returnUnstartedTickets(db, agentId, now()));
  }
  router.use(jsonBody('16kb'));

  router.get('/', async (request, response) => {
    response.json({ data: await listAgents(db, currentAgent(request)) });
  });

  router.get('/me', async (request, response) => {
    const agent = currentAgent(request);
    response.json({ data: await getAgent(db, agent, agent.id) });
  });

  router.put('/me/presence', async (request, response) => {
    const { presence } = parseInput(presenceBody, request.body, 'presence');
    const agent = currentAgent(request);
    await setPresence(db, agent.id, presence, now());
    await afterAvailabilityChange(agent.id, presence);
    response.json({ data: await getAgent(db, agent, agent.id) });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'agent id');
    response.json({ data: await getAgent(db, currentAgent(request), id) });
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const input = parseInput(createBody, request.body, 'agent');
    const id = await createAgent(db, input, now());
    response.status(201).json({ data: await getAgent(db, currentAgent(request), id) });
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'agent id');
    const patch = parseInput(patchBody, request.body, 'agent');
    await updateAgent(db, id, patch, now());
    if (patch.active === false) await afterAvailabilityChange(id, 'offline');
    if (patch.capacities || patch.skills || patch.teams) await routing.capacityFreed([id]);
    response.json({ data: await getAgent(db, currentAgent(request), id) });
  });

  return router;
}
