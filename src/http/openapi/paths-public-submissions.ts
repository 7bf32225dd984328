import { z } from 'zod';
import { CATEGORY_CODES, COMPLAINT_TYPE_CODES } from '../../tickets/vocabulary.js';
import { toJsonSchema } from './json-schema.js';
import { jsonResponse, operation } from './operation.js';
import type { PathsObject } from './types.js';

// The web form's JSON twin (src/http/web/report-routes.ts): the same fields as the /lapor page.
const submissionBody = z.object({
  key: z.string().describe('The idempotency key of this report (from GET /api/v1/public/submissions/form)'),
  form_token: z.string().describe('The signed form timestamp that came with the key'),
  altcha: z
    .string()
    .optional()
    .describe(
      'base64 of JSON `{ challenge, solution }`: the solved proof-of-work (altcha-lib solveChallenge). Without it, the stricter per-address limit applies',
    ),
  name: z.string().max(200).optional(),
  phone: z.string().optional().describe('A phone, any local form (0812…, +62812…); a phone or an email is required'),
  email: z.string().optional(),
  // Whistle-blowing has its own channel (SP4N-LAPOR!), not this form.
  kind: z.enum(CATEGORY_CODES.filter((code) => code !== 'whistleblowing') as [string, ...string[]]),
  complaint_type: z.enum(COMPLAINT_TYPE_CODES).optional().describe('Only for kind "complaint"'),
  permit_number: z.string().max(64).optional(),
  text: z.string(),
  confidential: z.union([z.boolean(), z.literal('on')]).optional(),
  anonymous: z.union([z.boolean(), z.literal('on')]).optional(),
  lang: z.enum(['id', 'en']).optional().describe('The language of the problem messages'),
  website: z.string().optional().describe('The honeypot: must stay empty'),
  attachments: z
    .array(z.string().describe('binary'))
    .optional()
    .describe('Files (multipart only): WEB_ATTACHMENT_MAX_COUNT at most, each at most WEB_ATTACHMENT_MAX_BYTES'),
});

const formMarks = z.object({
  data: z.object({
    idempotencyKey: z.string(),
    formToken: z.string(),
    challenge: z.record(z.string(), z.unknown()).describe('An ALTCHA challenge (altcha-lib v2) to solve'),
  }),
});

const receipt = z.object({
  data: z.object({
    idempotencyKey: z.string(),
    reference: z
      .string()
      .nullable()
      .describe('The ticket reference (SP-123-456-789); null if the ticket was not made within WEB_RECEIPT_WAIT_MS'),
    acknowledgedBy: z.enum(['email', 'sms']).nullable(),
    replay: z.boolean(),
  }),
});

export function publicSubmissionPaths(): PathsObject {
  return {
    '/api/v1/public/submissions/form': {
      get: operation({
        operationId: 'getSubmissionForm',
        tag: 'public',
        summary: "A new report's marks: an idempotency key, a signed form timestamp, a proof-of-work challenge",
        description:
          'What the /lapor page carries in its hidden fields, for clients that are not the page. The timestamp must be at least WEB_FORM_MIN_FILL_SECONDS and at most WEB_FORM_MAX_AGE_HOURS old when the report is sent.',
        access: 'public',
        responses: { 200: jsonResponse('A fresh form', toJsonSchema(formMarks, 'output')) },
        errors: {},
      }),
    },
    '/api/v1/public/submissions': {
      post: operation({
        operationId: 'submitReport',
        tag: 'public',
        summary: 'Send a report, question or suggestion (the /lapor form): it becomes a ticket on channel web',
        description:
          "Takes multipart/form-data (with attachments, sniffed from their bytes), application/x-www-form-urlencoded or application/json. Recorded in the inbox like any provider's message (provider `web`, the key as its id), then acknowledged by email when one is given, else by SMS. The same key with the same content is the same report (200, the same reference: a retry is safe, and the way to learn the reference when it was still null); the same key with other content is 409. Every problem is named in `details.problems` (`field`, `code`, `message`, in the language asked). Limited per client address (stricter without the proof-of-work) and for the whole office, in Redis.",
        access: 'public',
        body: { schema: toJsonSchema(submissionBody), mediaType: 'multipart/form-data' },
        responses: {
          200: jsonResponse('A replay of a report already recorded', toJsonSchema(receipt, 'output')),
          202: jsonResponse('Recorded', toJsonSchema(receipt, 'output')),
        },
        errors: {
          400: 'Malformed: an unreadable body, no or a bad idempotency key, a forged form timestamp (`malformed`, `idempotency_key_invalid`).',
          409: 'The key was used for a report with other content (`idempotency_conflict`): ask for a new form.',
          413: 'The body or an attachment is too large (`body_too_large`, `attachment_too_large`).',
          422: 'A field is missing or wrong, the form was sent too fast or is expired, the honeypot is filled, the proof-of-work is wrong (`details.problems`).',
          429: 'Too many reports from this address or for the office (`rate_limited`): Retry-After says how many seconds to wait.',
        },
      }),
    },
  };
}
