import { slaPolicySchemas } from '../api/v1/sla-policies.js';
import { ticketSchemas } from '../api/v1/tickets.js';
import { pathParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, ANY_AGENT, SUPERVISOR_OR_ADMIN, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

/** Saved all the same: an escalation team that is inactive or has no active member. */
const policyWarnings = {
  warnings: arrayOf({
    type: 'object',
    properties: {
      code: { type: 'string', enum: ['team_inactive', 'team_without_members'] },
      message: { type: 'string' },
    },
    required: ['code', 'message'],
  }),
};

const policyId = pathParameters(slaPolicySchemas.idParam, { id: "The policy's id" });

export function slaPaths(): PathsObject {
  return {
    '/api/v1/sla-policies': {
      get: operation({
        operationId: 'listSlaPolicies',
        tag: 'sla',
        summary: 'The SLA policies in matching order',
        access: SUPERVISOR_OR_ADMIN,
        responses: { 200: jsonResponse('The policies', envelope(arrayOf(ref('SlaPolicy')))) },
        errors: { 403: 'The caller is an agent.' },
      }),
      post: operation({
        operationId: 'createSlaPolicy',
        tag: 'sla',
        summary: 'Create a policy: conditions, targets in working minutes or days, escalation',
        access: ADMIN_ONLY,
        body: { schema: toJsonSchema(slaPolicySchemas.createBody) },
        responses: {
          201: jsonResponse(
            'The new policy, and warnings about its escalation team',
            envelope(ref('SlaPolicy'), policyWarnings),
          ),
        },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          422: 'The escalation team does not exist (`unknown_team`).',
        },
      }),
    },
    '/api/v1/sla-policies/{id}': {
      get: operation({
        operationId: 'getSlaPolicy',
        tag: 'sla',
        summary: 'One policy',
        access: SUPERVISOR_OR_ADMIN,
        parameters: policyId,
        responses: { 200: jsonResponse('The policy', envelope(ref('SlaPolicy'))) },
        errors: { 400: 'The id is not a positive integer.', 403: 'The caller is an agent.', 404: true },
      }),
      patch: operation({
        operationId: 'updateSlaPolicy',
        tag: 'sla',
        summary: "Change a policy; the open tickets' clocks are re-timed in the background",
        access: ADMIN_ONLY,
        parameters: policyId,
        body: { schema: toJsonSchema(slaPolicySchemas.patchBody) },
        responses: {
          200: jsonResponse(
            'The policy as changed, and warnings about its escalation team',
            envelope(ref('SlaPolicy'), policyWarnings),
          ),
        },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          404: true,
          422: 'The escalation team does not exist (`unknown_team`).',
        },
      }),
      delete: operation({
        operationId: 'deleteSlaPolicy',
        tag: 'sla',
        summary: 'Delete a policy; clocks it set keep their targets',
        access: ADMIN_ONLY,
        parameters: policyId,
        responses: { 204: { description: 'Deleted' } },
        errors: { 400: 'The id is not a positive integer.', 403: 'The caller is not an admin.', 404: true },
      }),
    },
    '/api/v1/tickets/{id}/sla/extend': {
      post: operation({
        operationId: 'extendResolutionDeadline',
        tag: 'tickets',
        summary:
          "Extend the resolution deadline once, by the policy's extension, with the written reason (UU 14/2008: +7 working days)",
        access: ANY_AGENT,
        visibility: 'Only on tickets the caller may see; any other answers 404.',
        parameters: pathParameters(ticketSchemas.idParam, { id: "The ticket's id" }),
        body: { schema: toJsonSchema(ticketSchemas.extensionBody) },
        responses: {
          200: jsonResponse('The new deadline', {
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: {
                  due_at: { type: ['string', 'null'], format: 'date-time' },
                  extension_days: { type: 'integer' },
                  citizen_notified: {
                    type: 'boolean',
                    description: 'Whether the written notice (reason and new date) is on its way to the citizen',
                  },
                },
              },
            },
          }),
        },
        errors: {
          400: true,
          404: true,
          409: 'No resolution deadline is running (`no_resolution_clock`), it was extended already (`already_extended`), or the ticket is finished (`invalid_transition`).',
          422: "The ticket's policy allows no extension (`not_extendable`).",
        },
      }),
    },
  };
}
