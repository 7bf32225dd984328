import { z } from 'zod';
import { messageBody, pollQuery, readBody, sessionBody } from '../api/v1/public-chat.js';
import { MAX_ID } from '../validate.js';
import { queryParameters, toJsonSchema } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
import { envelope } from './schemas.js';
import type { ParameterObject, PathsObject } from './types.js';

const range = z.tuple([z.string(), z.string()]);
const hours = z.object({
  open: z.boolean(),
  timeZone: z.string(),
  weekly: z.record(z.string(), z.array(range)).describe('Local opening hours by weekday (sun … sat)'),
  nextOpening: z.string().nullable().describe('When closed: the next opening (ISO 8601)'),
});
const sessionView = {
  sessionId: z.string(),
  ticketReference: z.string().nullable().describe("The conversation's ticket, once its first message is one"),
  open: z.boolean().describe("Within the front desk's working hours (its calendar)"),
  hours,
  language: z.enum(['id', 'en']),
  expiresAt: z.string(),
};
const session = toJsonSchema(z.object(sessionView), 'output');
const newSession = toJsonSchema(
  z.object({ token: z.string().describe('Opaque; send it as `Authorization: Bearer <token>`'), ...sessionView }),
  'output',
);
const chatMessage = toJsonSchema(
  z.object({
    id: z.number().int(),
    direction: z.enum(['inbound', 'outbound']),
    text: z.string().describe('Plain text, as written: never to be rendered as HTML'),
    at: z.string(),
    author: z.string().optional().describe("The agent's name, on their replies"),
    clientId: z.string().optional().describe("The widget's own id, on the visitor's messages"),
    system: z.literal(true).optional().describe('The automatic acknowledgement (with the ticket reference)'),
  }),
  'output',
);
const accepted = toJsonSchema(
  z.object({
    id: z.number().int().describe('The receipt (inbox row), not a message id'),
    clientId: z.string(),
    duplicate: z.boolean().describe('The same clientId was already received: nothing new was recorded'),
  }),
  'output',
);

const VISITOR =
  'The visitor session token from `POST /api/v1/public/chat/sessions`, as `Authorization: Bearer <token>` (not a staff token).';
const TOKEN_QUERY: ParameterObject = {
  name: 'token',
  in: 'query',
  required: false,
  description: 'The session token, for clients that cannot set headers (EventSource). Never logged.',
  schema: { type: 'string' },
};
const NO_SESSION = 'No valid visitor session: missing, forged or expired token (start a new session).';

/** The chat widget's public API (issue 15): visitor sessions, not staff tokens. */
export function webchatPaths(): PathsObject {
  return {
    '/api/v1/public/chat/sessions': {
      post: operation({
        operationId: 'openChatSession',
        tag: 'chat',
        summary: 'Open a chat visitor session',
        description:
          'A phone (normalised to E.164) or an email joins the visitor to the contact they already are. Outside the front desk’s working hours `open` is false: the widget says so and still takes messages. Limited per client address (WEBCHAT_SESSIONS_PER_ADDRESS_HOUR); past it 429 with Retry-After.',
        access: 'public',
        body: { schema: toJsonSchema(sessionBody) },
        responses: { 201: jsonResponse('The session and its token (shown once)', envelope(newSession)) },
        errors: {
          429: 'Too many new sessions from this address (`too_many_requests`): Retry-After says how many seconds to wait.',
        },
      }),
    },
    '/api/v1/public/chat/session': {
      get: operation({
        operationId: 'getChatSession',
        tag: 'chat',
        summary: "The visitor's session: its ticket reference once there is one, the office hours",
        description: VISITOR,
        access: 'public',
        parameters: [TOKEN_QUERY],
        responses: { 200: jsonResponse('The session', envelope(session)) },
        errors: { 401: NO_SESSION },
      }),
    },
    '/api/v1/public/chat/messages': {
      post: operation({
        operationId: 'sendChatMessage',
        tag: 'chat',
        summary: 'The visitor writes: recorded in the inbox, it becomes a message on a `webchat` ticket',
        description: `${VISITOR} The same \`clientId\` twice is one message. Limited per session (WEBCHAT_MESSAGES_PER_SESSION_MINUTE), per client address (WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE) and for the whole office (WEBCHAT_MESSAGES_PER_OFFICE_MINUTE); a message refused by one limit is not counted by the others.`,
        access: 'public',
        body: { schema: toJsonSchema(messageBody) },
        responses: { 202: jsonResponse('Received; it appears in the stream once processed', envelope(accepted)) },
        errors: {
          401: NO_SESSION,
          429: 'Too many messages in this chat, from this address or for the office (`too_many_requests`): Retry-After says how many seconds to wait.',
        },
      }),
      get: operation({
        operationId: 'pollChatMessages',
        tag: 'chat',
        summary: 'The conversation after a message id; with `wait`, a long poll',
        description: `${VISITOR} Answers at once when there is something after \`after\`, else after at most \`wait\` seconds (possibly with nothing). Internal notes never appear.`,
        access: 'public',
        parameters: queryParameters(pollQuery, {
          after: 'A message id: only later messages',
          wait: 'Seconds to wait for news (0-25)',
          token: 'The session token, for clients that cannot set headers. Never logged.',
        }),
        responses: {
          200: jsonResponse('Messages, oldest first (at most 200)', envelope({ type: 'array', items: chatMessage })),
        },
        errors: { 400: true, 401: NO_SESSION },
      }),
    },
    '/api/v1/public/chat/stream': {
      get: operation({
        operationId: 'streamChat',
        tag: 'chat',
        summary: 'Server-sent events of the conversation: messages both ways, agent typing, read marks, office status',
        description:
          `${VISITOR} Events: \`message\` (id: the message id; data as in GET messages), \`typing\` \`{by:"agent"}\`, \`read\` \`{upTo}\` (the agent has seen the visitor's messages up to that id), \`status\` \`{open, nextOpening}\`, \`unauthorized\` (the session expired; the stream ends), \`shutdown\` (reconnect). ` +
          'Resume with `Last-Event-ID` (or `?after=`). `: keep-alive` every 15 seconds. At most WEBCHAT_STREAMS_PER_SESSION open streams per session.',
        access: 'public',
        parameters: [
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this message id.',
            schema: { type: 'integer', minimum: 0, maximum: MAX_ID },
          },
          {
            name: 'after',
            in: 'query',
            required: false,
            description: 'The same as Last-Event-ID.',
            schema: { type: 'integer', minimum: 0, maximum: MAX_ID },
          },
          TOKEN_QUERY,
        ],
        responses: {
          200: {
            description: 'The stream: open until the client leaves',
            content: {
              'text/event-stream': {
                schema: { type: 'string' },
                example:
                  'id: 42\nevent: message\ndata: {"id":42,"direction":"outbound","text":"Baik, kami periksa.","at":"2026-12-02T02:00:00.000Z","author":"Sari"}\n\n',
              },
            },
          },
        },
        errors: {
          400: 'Last-Event-ID (or after) is not a message id.',
          401: NO_SESSION,
          429: 'The session already has its open streams (`too_many_streams`).',
        },
      }),
    },
    '/api/v1/public/chat/typing': {
      post: operation({
        operationId: 'chatVisitorTyping',
        tag: 'chat',
        summary: 'The visitor is typing (lasts a few seconds: repeat while typing)',
        description: VISITOR,
        access: 'public',
        responses: { 204: { description: 'Noted' } },
        errors: { 401: NO_SESSION },
      }),
    },
    '/api/v1/public/chat/read': {
      post: operation({
        operationId: 'chatReadMark',
        tag: 'chat',
        summary: "The visitor has read the conversation up to a message: the agents' replies become `read`",
        description: VISITOR,
        access: 'public',
        body: { schema: toJsonSchema(readBody) },
        responses: { 204: { description: 'Marked' } },
        errors: { 401: NO_SESSION },
      }),
    },
    '/api/v1/public/chat/transcript': {
      post: operation({
        operationId: 'chatTranscript',
        tag: 'chat',
        summary: "Mail the conversation to the session's email, through the outbox",
        description: `${VISITOR} Only to the email the session gave, once it is the conversation's contact's.`,
        access: 'public',
        responses: {
          202: jsonResponse(
            'Queued',
            envelope(toJsonSchema(z.object({ queued: z.literal(true), email: z.string().nullable() }), 'output')),
          ),
        },
        errors: {
          401: NO_SESSION,
          409: 'Nothing to send yet: no message in the conversation (`no_conversation`).',
          422: 'The session has no email (`no_email`).',
          429: 'Too many transcripts for this session (`too_many_requests`), with Retry-After.',
        },
      }),
    },
    '/api/v1/tickets/{id}/typing': {
      post: operation({
        operationId: 'agentTyping',
        tag: 'tickets',
        summary: "The agent is typing a reply: shown in the chat visitor's widget for a few seconds",
        access: ANY_AGENT,
        visibility: 'Whoever may reply to the ticket (the ticket visibility rules).',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: MAX_ID } },
        ],
        responses: { 204: { description: 'Shown to the visitor' } },
        errors: { 400: true, 404: true, 422: 'Not a web chat ticket (`not_a_chat`).' },
      }),
      get: operation({
        operationId: 'visitorTyping',
        tag: 'tickets',
        summary: 'Whether the chat visitor of the ticket is typing',
        access: ANY_AGENT,
        visibility: 'Whoever may see the ticket.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: MAX_ID } },
        ],
        responses: {
          200: jsonResponse(
            'Typing or not',
            envelope(toJsonSchema(z.object({ visitor_typing: z.boolean() }), 'output')),
          ),
        },
        errors: { 400: true, 404: true },
      }),
    },
  };
}
