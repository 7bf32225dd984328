import { MAX_ID } from '../validate.js';
import { ANY_AGENT, operation } from './operation.js';
import type { PathsObject } from './types.js';

export function eventPaths(): PathsObject {
  return {
    '/api/v1/events/stream': {
      get: operation({
        operationId: 'streamEvents',
        tag: 'live',
        summary: "Server-sent events for the caller's console: new assignment, citizen replied, ticket transferred…",
        description:
          'A `text/event-stream` that stays open. Each event is `id: <audit event id>`, `event: <type>` and `data:` a JSON object ' +
          '`{ id, ticket_id, type, actor_type, actor_id, assignee_id, data, at }` (`assignee_id`: whose the ticket is now); comments (`: keep-alive`) every 15 seconds. A console that reconnects with ' +
          '`Last-Event-ID` (or `?last_event_id=`) gets what it missed first.',
        access: ANY_AGENT,
        visibility:
          "An admin gets every event; a supervisor the events of their teams' tickets and those naming them; an agent the events of their own tickets, " +
          "the assignments that give or take one from them, and the queue events (created, transferred, returned, reopened) of their teams' unassigned, non-confidential tickets.",
        parameters: [
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this event id (sent by EventSource when it reconnects).',
            schema: { type: 'integer', minimum: 0, maximum: MAX_ID },
          },
          {
            name: 'last_event_id',
            in: 'query',
            required: false,
            description: 'The same as the Last-Event-ID header, for clients that cannot set headers.',
            schema: { type: 'integer', minimum: 0, maximum: MAX_ID },
          },
        ],
        responses: {
          200: {
            description: 'The stream: open until the client leaves',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                example:
                  'id: 42\nevent: assigned\ndata: {"id":42,"ticket_id":7,"type":"assigned","actor_type":"system","actor_id":null,"assignee_id":3,"data":{"agent_id":3},"at":"2026-11-22T08:00:00.000Z"}\n\n',
              },
            },
          },
        },
        errors: {
          400: 'Last-Event-ID (or last_event_id) is not an event id.',
          429: 'The token already has LIVE_STREAMS_PER_TOKEN open streams (`too_many_streams`): close one first.',
        },
      }),
    },
  };
}
