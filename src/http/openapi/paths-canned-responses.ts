import { cannedResponseSchemas } from '../api/v1/canned-responses.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, ANY_AGENT, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

const USABLE =
  'An admin sees every canned response; others those for every team and those of their own teams. Any other answers 404.';
const cannedId = pathParameters(cannedResponseSchemas.idParam, { id: "The canned response's id" });

export function cannedResponsePaths(): PathsObject {
  return {
    '/api/v1/canned-responses': {
      get: operation({
        operationId: 'listCannedResponses',
        tag: 'canned',
        summary: 'The canned responses the caller may use, with the variables templates may contain',
        access: ANY_AGENT,
        visibility: USABLE,
        parameters: queryParameters(cannedResponseSchemas.listQuery, { language: 'Only those in this language.' }),
        responses: {
          200: jsonResponse(
            'The canned responses',
            envelope(arrayOf(ref('CannedResponse')), { variables: ref('TemplateVariables') }),
          ),
        },
        errors: { 400: 'The language is not `id` or `en`.' },
      }),
      post: operation({
        operationId: 'createCannedResponse',
        tag: 'canned',
        summary: 'Create a canned response (a template with {{variables}}) for every team or one team',
        access: ADMIN_ONLY,
        body: { schema: toJsonSchema(cannedResponseSchemas.createBody) },
        responses: { 201: jsonResponse('The new canned response', envelope(ref('CannedResponse'))) },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          422: 'An unknown variable (`unknown_variable`) or an unclosed placeholder (`malformed_template`), an unknown team (`unknown_team`), or the name is taken in that language (`name_taken`).',
        },
      }),
    },
    '/api/v1/canned-responses/{id}': {
      get: operation({
        operationId: 'getCannedResponse',
        tag: 'canned',
        summary: 'One canned response',
        access: ANY_AGENT,
        visibility: USABLE,
        parameters: cannedId,
        responses: { 200: jsonResponse('The canned response', envelope(ref('CannedResponse'))) },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
      patch: operation({
        operationId: 'updateCannedResponse',
        tag: 'canned',
        summary: 'Change a canned response',
        access: ADMIN_ONLY,
        parameters: cannedId,
        body: { schema: toJsonSchema(cannedResponseSchemas.patchBody) },
        responses: { 200: jsonResponse('The canned response as changed', envelope(ref('CannedResponse'))) },
        errors: {
          400: 'A field is invalid or unknown, or nothing is given.',
          403: 'The caller is not an admin.',
          404: true,
          422: 'An unknown variable or unclosed placeholder, an unknown team, or the name is taken in that language.',
        },
      }),
      delete: operation({
        operationId: 'deleteCannedResponse',
        tag: 'canned',
        summary: 'Delete a canned response',
        access: ADMIN_ONLY,
        parameters: cannedId,
        responses: { 204: { description: 'Deleted' } },
        errors: { 400: 'The id is not a positive integer.', 403: 'The caller is not an admin.', 404: true },
      }),
    },
  };
}
