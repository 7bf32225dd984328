import { agentSchemas } from '../api/v1/agents.js';
import { pathParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, ANY_AGENT, SUPERVISOR_OR_ADMIN, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

const AGENT_VISIBILITY =
  'An admin sees every agent; a supervisor the agents who share a team with them; an agent only themselves. Any other agent answers 404.';
const agentId = pathParameters(agentSchemas.idParam, { id: "The agent's id" });

export function agentPaths(): PathsObject {
  return {
    '/api/v1/agents': {
      get: operation({
        operationId: 'listAgents',
        tag: 'agents',
        summary: 'List agents',
        access: SUPERVISOR_OR_ADMIN,
        visibility: 'An admin lists every agent; a supervisor the agents who share a team with them.',
        responses: { 200: jsonResponse('The agents', envelope(arrayOf(ref('Agent')))) },
        errors: { 403: 'The caller is an agent.' },
      }),
      post: operation({
        operationId: 'createAgent',
        tag: 'agents',
        summary: 'Create an agent with role, teams, skills and capacities',
        description:
          "The password is stored hashed (scrypt). Without skills given, the agent speaks the office's language. Capacities not given take the defaults.",
        access: ADMIN_ONLY,
        body: { schema: toJsonSchema(agentSchemas.createBody) },
        responses: { 201: jsonResponse('The new agent', envelope(ref('Agent'))) },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          422: 'The email is taken (`email_taken`) or a team is unknown (`unknown_team`).',
        },
      }),
    },
    '/api/v1/agents/me': {
      get: operation({
        operationId: 'getMe',
        tag: 'agents',
        summary: 'The calling agent',
        access: ANY_AGENT,
        responses: { 200: jsonResponse('The caller', envelope(ref('Agent'))) },
        errors: {},
      }),
    },
    '/api/v1/agents/me/presence': {
      put: operation({
        operationId: 'setMyPresence',
        tag: 'agents',
        summary: 'Set my presence (available, busy, away, offline)',
        description:
          'Becoming available lets routing offer waiting tickets at once; going offline may return unstarted tickets to the queue (ROUTING_RETURN_ON_OFFLINE).',
        access: ANY_AGENT,
        body: { schema: toJsonSchema(agentSchemas.presenceBody) },
        responses: {
          200: jsonResponse('The caller, with the new presence and the time it changed', envelope(ref('Agent'))),
        },
        errors: { 400: true },
      }),
    },
    '/api/v1/agents/{id}': {
      get: operation({
        operationId: 'getAgent',
        tag: 'agents',
        summary: 'One agent',
        access: ANY_AGENT,
        visibility: AGENT_VISIBILITY,
        parameters: agentId,
        responses: { 200: jsonResponse('The agent', envelope(ref('Agent'))) },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
      patch: operation({
        operationId: 'updateAgent',
        tag: 'agents',
        summary: 'Change an agent: name, role, password, phone, teams, skills, capacities, or disable them',
        description: 'Disabling (`"active": false`) ends the agent\'s tokens at once and takes them offline.',
        access: ADMIN_ONLY,
        parameters: agentId,
        body: { schema: toJsonSchema(agentSchemas.patchBody) },
        responses: { 200: jsonResponse('The agent as changed', envelope(ref('Agent'))) },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          404: true,
          422: 'A team is unknown (`unknown_team`).',
        },
      }),
    },
  };
}
