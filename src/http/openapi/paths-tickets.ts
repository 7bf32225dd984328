import { ticketSchemas } from '../api/v1/tickets.js';
import { ticketFilters } from '../api/v1/ticket-filters.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ANY_AGENT, SUPERVISOR_OR_ADMIN, jsonResponse, operation, type OperationSpec } from './operation.js';
import { envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

/** Which tickets an agent may see and act on (src/tickets/ticket-access.ts). */
export const TICKET_VISIBILITY =
  'Only on tickets the caller may see: an admin sees every ticket; a supervisor the tickets of their teams, confidential ones included; ' +
  'an agent the tickets of their teams except confidential ones, which only their assignee sees. Any other ticket answers 404, so that its existence does not leak.';

const LIST_VISIBILITY =
  "Lists only tickets the caller may see: an admin every ticket, a supervisor their teams' tickets, an agent their teams' tickets except confidential ones not assigned to them.";

export const FILTER_DESCRIPTIONS: Record<string, string> = {
  status: 'Ticket statuses.',
  channel: 'Channels.',
  category: 'Categories.',
  priority: 'Priorities.',
  team: 'Team ids.',
  q: 'Words to find in the subject or the messages (full text), or a reference number.',
  contact:
    "The citizen's phone (any local form: `0812…`, `+62812…`) or email (any case): only their tickets. An agent never finds an anonymous report this way (its reporter is hidden from them).",
  overdue:
    '`true`: only tickets with a breach in progress (an SLA clock past its deadline, `sla.state` = `breached`); `false`: only those without.',
  limit: 'Page size.',
  cursor: 'The `next_cursor` of the previous page (newest-first lists).',
  offset: 'The `next_offset` of the previous page (queue order).',
};

const ticketId = pathParameters(ticketSchemas.idParam, { id: "The ticket's id" });
const stateAnswer = {
  200: jsonResponse('The ticket as the action left it, with `allowed_actions`', envelope(ref('TicketState'))),
};

/** An action of the state machine on one ticket: POST /api/v1/tickets/{id}/<action>. */
function action(
  spec: Omit<OperationSpec, 'tag' | 'parameters' | 'responses' | 'visibility'> & { visibility?: string },
): OperationSpec {
  return {
    ...spec,
    tag: 'tickets',
    parameters: ticketId,
    responses: stateAnswer,
    visibility: spec.visibility ?? TICKET_VISIBILITY,
  };
}

export function ticketPaths(): PathsObject {
  return {
    '/api/v1/tickets': {
      get: operation({
        operationId: 'listTickets',
        tag: 'tickets',
        summary: 'List tickets, newest first, with filters and full-text search',
        access: ANY_AGENT,
        visibility: LIST_VISIBILITY,
        parameters: queryParameters(ticketFilters, FILTER_DESCRIPTIONS),
        responses: { 200: jsonResponse('A page of tickets', ref('TicketList')) },
        errors: { 400: 'A filter is invalid.' },
      }),
    },
    '/api/v1/tickets/vocabulary': {
      get: operation({
        operationId: 'getTicketVocabulary',
        tag: 'tickets',
        summary:
          'The classification vocabularies (categories, complaint types, priorities, statuses) with Indonesian and English labels',
        access: ANY_AGENT,
        responses: { 200: jsonResponse('The vocabularies', envelope(ref('Vocabulary'))) },
        errors: {},
      }),
    },
    '/api/v1/tickets/{id}': {
      get: operation({
        operationId: 'getTicket',
        tag: 'tickets',
        summary: 'A ticket with its contact, messages (notes included), attachments and events',
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        responses: { 200: jsonResponse('The ticket', envelope(ref('TicketDetail'))) },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
      patch: operation({
        operationId: 'updateTicket',
        tag: 'tickets',
        summary:
          'Set classification fields and flags (category, complaint type, priority, permit number, confidential, anonymous, subject, required skills)',
        description:
          'One `field_changed` event per field that really changes. `null` or an empty string clears a nullable field.',
        access: ANY_AGENT,
        visibility: `${TICKET_VISIBILITY} Anyone who may act on the ticket may set the confidential or anonymous flag; only supervisors and admins may lift one (403 for an agent).`,
        parameters: ticketId,
        body: { schema: toJsonSchema(ticketSchemas.patchBody) },
        responses: stateAnswer,
        errors: {
          400: 'A field is invalid, unknown, or nothing is given.',
          403: 'An agent tried to lift the confidential or anonymous flag.',
          404: true,
          409: 'The ticket is merged into another: nothing may change.',
          422: 'A complaint type on a ticket that is not a complaint (`complaint_type_needs_complaint`).',
        },
      }),
    },
    '/api/v1/tickets/{id}/replies': {
      post: operation({
        operationId: 'replyToTicket',
        tag: 'tickets',
        summary: "Reply to the citizen on the ticket's channel or another one known for them",
        description:
          "Queued through the outbox and sent by the outbound worker. The body may come from a canned response (`canned_response_id`), filled in with the ticket's values in the citizen's language; a body the agent composed from one (previewed, perhaps edited) names it in `based_on_canned_response_id`, which the reply's event keeps; " +
          'a mail reply may carry files (`attachments`, base64; the body may then be up to 20 MB): PDF, images (JPEG, PNG, GIF, WebP, HEIC, TIFF, BMP), Office or OpenDocument documents without macros, UTF-8 text or CSV, told from their bytes; each is kept and sent with its sniffed type and a cleaned name (the given `content_type` is not used); ' +
          'outside WhatsApp\'s 24-hour window a free-form WhatsApp reply is refused (409) with the alternatives: the approved template (`"template": true`) when configured, or SMS.',
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        body: {
          schema: toJsonSchema(ticketSchemas.replyBody),
          description: 'At least one of `body`, `canned_response_id`, `"template": true`.',
        },
        responses: { 201: jsonResponse('The reply is queued', envelope(ref('ReplyQueued'))) },
        errors: {
          400: 'Neither a body, a canned response nor a template; or a field is invalid.',
          404: true,
          409: "WhatsApp's 24-hour window is closed (`whatsapp_window_closed`; `details.alternatives` lists what works).",
          422: "No address known for that channel (`no_address`), a written reply on the phone channel (`voice_no_text`: a call's ticket is answered by SMS by default), no template configured or not WhatsApp (`no_template`, `template_whatsapp_only`), a canned response not available to the caller (`unknown_canned_response`), the composed reply is too long (`reply_too_long`), attachments on a channel other than email (`attachments_email_only`) or a file refused (`attachment_refused`; `details.reason` says why: `program`, `macro`, `embedded_object`, `script`, `web_page`, `encrypted`, `unreadable`, `not_allowed`, `too_large`; `details.description` in Bahasa Indonesia).",
        },
      }),
    },
    '/api/v1/tickets/{id}/reply-preview': {
      post: operation({
        operationId: 'previewCannedReply',
        tag: 'tickets',
        summary: 'A canned response filled in for this ticket, for the agent to read and edit before sending',
        description:
          "The placeholders are filled with the ticket's values (citizen's name, or the polite form on an anonymous report; reference; the caller's name; the office), in the citizen's language when the response has a twin of the same name in it. Nothing is sent or recorded: the agent sends the (edited) text as a reply's `body`.",
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        body: { schema: toJsonSchema(ticketSchemas.previewBody) },
        responses: { 200: jsonResponse('The filled-in text', envelope(ref('ReplyPreview'))) },
        errors: {
          400: 'No canned_response_id, or another field.',
          404: true,
          422: 'A canned response not available to the caller (`unknown_canned_response`), or the text too long (`reply_too_long`).',
        },
      }),
    },
    '/api/v1/tickets/{id}/viewers': {
      post: operation({
        operationId: 'markTicketViewer',
        tag: 'tickets',
        summary: 'Collision detection: I am viewing or replying to this ticket; who else is?',
        description:
          'The console tells every few seconds while the ticket is open (`viewing`) or while its agent writes a reply (`replying`). The answer lists the other agents on the ticket now, so that two agents do not answer one citizen twice ("Sari sedang membalas"). ' +
          'Kept in Redis for 30 seconds after the last word, not in the audit trail: looking at a ticket changes nothing on it.',
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        body: { schema: toJsonSchema(ticketSchemas.viewerBody) },
        responses: { 200: jsonResponse('The other agents on the ticket now', envelope(ref('TicketViewers'))) },
        errors: { 400: 'An activity other than `viewing` or `replying`.', 404: true },
      }),
      delete: operation({
        operationId: 'leaveTicketViewers',
        tag: 'tickets',
        summary: 'Collision detection: I closed this ticket',
        description: 'Forgets the caller at once rather than 30 seconds after their last word.',
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        responses: { 204: { description: 'Forgotten' } },
        errors: { 400: 'The id is not a positive integer.', 404: true },
      }),
    },
    '/api/v1/tickets/{id}/clarification': {
      post: operation({
        operationId: 'requestClarification',
        tag: 'tickets',
        summary: 'Ask the citizen for what is missing: the ticket waits on them (`pending_citizen`)',
        description:
          "The question goes out like a reply, on the ticket's channel or another one known for the citizen. The ticket leaves the agent's load and waits: " +
          "a reminder after CLARIFICATION_REMINDER_DAYS working days, resolved after CLARIFICATION_EXPIRY_DAYS without an answer. The citizen's next message, on any channel, brings it back.",
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        body: { schema: toJsonSchema(ticketSchemas.clarificationBody) },
        responses: {
          201: jsonResponse(
            'The question is queued and the ticket waits on the citizen',
            envelope({
              type: 'object',
              properties: {
                message_id: { type: 'integer' },
                status: { const: 'pending_citizen' },
                remind_at: { type: 'string' },
                expires_at: { type: 'string' },
              },
              required: ['message_id', 'status', 'remind_at', 'expires_at'],
            }),
          ),
        },
        errors: {
          400: true,
          404: true,
          409: "The ticket is resolved or closed (`invalid_transition`), or WhatsApp's 24-hour window is closed (`whatsapp_window_closed`).",
          422: 'No address known for that channel (`no_address`), or the phone channel (`voice_no_text`).',
        },
      }),
    },
    '/api/v1/tickets/{id}/notes': {
      post: operation({
        operationId: 'addTicketNote',
        tag: 'tickets',
        summary: 'Add an internal note: for agents, never sent to the citizen',
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: ticketId,
        body: { schema: toJsonSchema(ticketSchemas.noteBody) },
        responses: {
          201: jsonResponse(
            'The note is on the ticket',
            envelope({ type: 'object', properties: { message_id: { type: 'integer' } }, required: ['message_id'] }),
          ),
        },
        errors: { 400: true, 404: true },
      }),
    },
    '/api/v1/tickets/{id}/transfer': {
      post: operation(
        action({
          operationId: 'transferTicket',
          summary: 'Transfer (dispose) the ticket to another team with a note',
          description:
            "The ticket leaves its assignee and waits in the other team's queue: `pending_agency` at an agency, `new` back at the front desk. The note is kept as an internal note.",
          access: ANY_AGENT,
          body: { schema: toJsonSchema(ticketSchemas.transferBody) },
          errors: {
            400: true,
            404: true,
            409: 'The ticket is resolved, closed or merged (`invalid_transition`).',
            422: "The team is unknown (`unknown_team`), inactive (`team_inactive`) or the ticket's own (`same_team`).",
          },
        }),
      ),
    },
    '/api/v1/tickets/{id}/merge': {
      post: operation(
        action({
          operationId: 'mergeTickets',
          summary: 'Merge duplicate tickets of the same citizen into this one',
          description:
            "The sources' messages move onto this ticket; each source is closed pointing at it. A confidential or anonymous source makes the merged ticket so too.",
          access: ANY_AGENT,
          visibility: `${TICKET_VISIBILITY} The caller must see every source ticket too.`,
          body: { schema: toJsonSchema(ticketSchemas.mergeBody) },
          errors: {
            400: true,
            404: 'This ticket or a source is not found or not visible to the caller.',
            409: 'This ticket is not active (`invalid_transition`), or a source was merged already (`already_merged`).',
            422: "A source is this ticket (`merge_into_self`) or another citizen's (`different_contact`).",
          },
        }),
      ),
    },
    '/api/v1/tickets/{id}/resolve': {
      post: operation(
        action({
          operationId: 'resolveTicket',
          summary: 'Resolve the ticket, with an optional internal note',
          access: ANY_AGENT,
          body: { schema: toJsonSchema(ticketSchemas.optionalNote), required: false },
          errors: { 400: true, 404: true, 409: 'The ticket is not active (`invalid_transition`).' },
        }),
      ),
    },
    '/api/v1/tickets/{id}/close': {
      post: operation(
        action({
          operationId: 'closeTicket',
          summary: 'Close a resolved ticket',
          access: ANY_AGENT,
          body: {
            schema: toJsonSchema(ticketSchemas.noBody),
            required: false,
            description: 'Empty, or an empty object.',
          },
          errors: { 400: 'A body with fields.', 404: true, 409: 'The ticket is not resolved (`invalid_transition`).' },
        }),
      ),
    },
    '/api/v1/tickets/{id}/reopen': {
      post: operation(
        action({
          operationId: 'reopenTicket',
          summary: 'Reopen a resolved or closed ticket, with an optional internal note',
          description:
            "Back to its assignee (`open`) when they still serve the ticket's team, otherwise into the team's queue (`new`).",
          access: ANY_AGENT,
          body: { schema: toJsonSchema(ticketSchemas.optionalNote), required: false },
          errors: { 400: true, 404: true, 409: 'The ticket is active already, or merged (`invalid_transition`).' },
        }),
      ),
    },
    '/api/v1/tickets/{id}/assign': {
      post: operation(
        action({
          operationId: 'assignTicket',
          summary: 'Assign the ticket by hand to an active agent of its team',
          access: SUPERVISOR_OR_ADMIN,
          body: { schema: toJsonSchema(ticketSchemas.assignBody) },
          errors: {
            400: true,
            403: 'The caller is an agent.',
            404: true,
            409: 'The ticket is not active (`invalid_transition`).',
            422: "The agent is not an active member of the ticket's team (`agent_not_eligible`).",
          },
        }),
      ),
    },
    '/api/v1/tickets/{id}/claim': {
      post: operation(
        action({
          operationId: 'claimTicket',
          summary: "Take a waiting ticket of one's team; of two simultaneous claims exactly one wins",
          access: ANY_AGENT,
          body: {
            schema: toJsonSchema(ticketSchemas.noBody),
            required: false,
            description: 'Empty, or an empty object.',
          },
          errors: {
            400: 'A body with fields.',
            404: true,
            409: 'Someone has the ticket already (`already_assigned`), or it is not active (`invalid_transition`).',
            422: "The caller is not a member of the ticket's team (`not_in_team`).",
          },
        }),
      ),
    },
  };
}
