import { teamSchemas } from '../api/v1/teams.js';
import { pathParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, ANY_AGENT, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

const teamId = pathParameters(teamSchemas.idParam, { id: "The team's id" });

export function teamPaths(): PathsObject {
  return {
    '/api/v1/teams': {
      get: operation({
        operationId: 'listTeams',
        tag: 'teams',
        summary: 'List every team (the front desk and the agencies), to transfer tickets to one',
        access: ANY_AGENT,
        responses: { 200: jsonResponse('The teams', envelope(arrayOf(ref('Team')))) },
        errors: {},
      }),
      post: operation({
        operationId: 'createTeam',
        tag: 'teams',
        summary: 'Create a team with its routing strategy (and calendar)',
        access: ADMIN_ONLY,
        body: { schema: toJsonSchema(teamSchemas.createBody) },
        responses: { 201: jsonResponse('The new team', envelope(ref('Team'))) },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          422: 'The slug is taken (`slug_taken`), or there is no such calendar (`unknown_calendar`).',
        },
      }),
    },
    '/api/v1/teams/{id}': {
      get: operation({
        operationId: 'getTeam',
        tag: 'teams',
        summary: 'One team',
        access: ANY_AGENT,
        parameters: teamId,
        responses: { 200: jsonResponse('The team', envelope(ref('Team'))) },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
      patch: operation({
        operationId: 'updateTeam',
        tag: 'teams',
        summary: 'Change a team: name, description, routing strategy, working-time calendar, or deactivate it',
        access: ADMIN_ONLY,
        parameters: teamId,
        body: { schema: toJsonSchema(teamSchemas.patchBody) },
        responses: { 200: jsonResponse('The team as changed', envelope(ref('Team'))) },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          404: true,
          422: 'There is no such calendar (`unknown_calendar`).',
        },
      }),
    },
  };
}
