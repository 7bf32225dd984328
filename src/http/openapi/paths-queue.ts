import { ticketFilters } from '../api/v1/ticket-filters.js';
import { queryParameters } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
import { task } from './paths-tasks.js';
import { FILTER_DESCRIPTIONS } from './paths-tickets.js';
import { envelope, ref } from './schemas.js';
import type { PathsObject } from './types.js';

export function queuePaths(): PathsObject {
  const filters = queryParameters(ticketFilters, FILTER_DESCRIPTIONS);
  return {
    '/api/v1/queue/mine': {
      get: operation({
        operationId: 'listMyTickets',
        tag: 'queue',
        summary: 'My tickets: those assigned to the caller, active ones unless `status` says otherwise',
        access: ANY_AGENT,
        parameters: filters,
        responses: { 200: jsonResponse('A page of tickets, newest first', ref('TicketList')) },
        errors: { 400: 'A filter is invalid.' },
      }),
    },
    '/api/v1/queue/waiting': {
      get: operation({
        operationId: 'listWaitingTickets',
        tag: 'queue',
        summary:
          "My teams' waiting tickets: unassigned, in the order routing hands them out (highest priority, then longest waiting)",
        access: ANY_AGENT,
        visibility:
          "Only tickets the caller may see (an admin: every team's; others: their teams', confidential ones to supervisors only).",
        parameters: filters,
        responses: { 200: jsonResponse('A page of tickets in queue order; page with `offset`', ref('TicketList')) },
        errors: { 400: 'A filter is invalid.' },
      }),
    },
    '/api/v1/queue/next': {
      post: operation({
        operationId: 'takeNextItem',
        tag: 'queue',
        summary: 'Pull mode: take the next item of my teams: a waiting ticket, or a call-back due now',
        description:
          "Highest priority first (a call-back has its ticket's), then the one waiting longest (a ticket since it was queued, a call-back since it fell due). " +
          "Only items the caller has the skills and a free slot for: a call-back takes a voice slot and needs a phone on the caller's profile (POST /api/v1/tasks/{id}/call rings it). " +
          'Only call-backs on tickets the caller may see (a confidential one only if theirs). An item someone else took a moment earlier is skipped for the next one. ' +
          "`kind` (ticket or task) says which was taken; a task's own `data.kind` is its kind of task (callback). On a tie the ticket goes first. No body.",
        access: ANY_AGENT,
        visibility: "Takes only items of the caller's own teams, whatever their role.",
        responses: {
          200: jsonResponse('The item now assigned to the caller', {
            oneOf: [
              envelope(ref('TicketDetail'), { kind: { const: 'ticket' } }),
              envelope(task, { kind: { const: 'task' } }),
            ],
          }),
          204: { description: 'Nothing waiting that the caller can take' },
        },
        errors: {},
      }),
    },
  };
}
