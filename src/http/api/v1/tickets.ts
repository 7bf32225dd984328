import type express from 'express';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AttachmentStore } from '../../../messages/attachment-store.js';
import type { Logger } from '../../../logger.js';
import type { PipelineQueues } from '../../../queue/pipeline-queues.js';
import { cannedResponseUsed, composeCannedReply, MAX_REPLY_LENGTH } from '../../../tickets/canned-reply.js';
import { addNote, replyToTicket } from '../../../tickets/replies.js';
import {
  DEFAULT_CLARIFICATION_POLICY,
  requestClarification,
  type ClarificationPolicy,
} from '../../../tickets/clarification.js';
import type { TicketUnitOfWork } from '../../../tickets/unit-of-work.js';
import { assignTicket, claimTicket } from '../../../tickets/actions/assignment.js';
import { closeTicket, reopenTicket, resolveTicket } from '../../../tickets/actions/lifecycle.js';
import { mergeTickets } from '../../../tickets/actions/merge.js';
import { ticketStateView } from '../../../tickets/actions/ticket-view.js';
import { transferTicket } from '../../../tickets/actions/transfer.js';
import { updateTicketFields } from '../../../tickets/actions/update-fields.js';
import { extendResolution } from '../../../sla/extension.js';
import {
  CATEGORY_CODES,
  COMPLAINT_TYPE_CODES,
  PRIORITY_CODES,
  vocabularyDocument,
} from '../../../tickets/vocabulary.js';
import { z } from 'zod';
import { CHANNEL_KINDS, type ChannelKind } from '../../../../channels/adapter.js';
import { getTicket, listTickets } from '../../../tickets/ticket-queries.js';
import { currentAgent, requireRole } from '../../authenticate.js';
import { bodyId, idParam, parseInput } from '../../validate.js';
import { jsonBody } from '../../json-body.js';
import { contactFilter, ticketFilters } from './ticket-filters.js';
import { logRedisFailure } from '../../../queue/redis-health.js';
import { type TicketViewers, VIEWER_ACTIVITIES } from '../../../metrics/live/ticket-viewers.js';
import { findAccessibleTicket } from '../../../tickets/ticket-access.js';

const replyBody = z
  .object({
    body: z.string().trim().min(1).max(MAX_REPLY_LENGTH).optional(),
    channel: z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]).optional(),
    // A canned response filled in with the ticket's values, instead of or before the body.
    canned_response_id: bodyId().optional(),
    // The canned response the body was composed from (previewed, perhaps edited): kept in the audit trail.
    based_on_canned_response_id: bodyId().optional(),
    // Files for a mail reply, base64-encoded (the reply's body may then be up to ~20 MB).
    attachments: z
      .array(
        z.object({
          filename: z.string().trim().min(1).max(255),
          content_type: z
            .string()
            .trim()
            .min(3)
            .max(255)
            .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type'),
          content_base64: z
            .string()
            .min(1)
            .regex(/^[A-Za-z0-9+/=\s]+$/, 'base64'),
        }),
      )
      .max(5)
      .optional(),
    // The approved WhatsApp template, for a citizen whose 24-hour window has closed.
    template: z.boolean().optional(),
  })
  .refine((reply) => reply.body !== undefined || reply.canned_response_id !== undefined || reply.template === true, {
    message: 'Give a body, a canned_response_id, or "template": true',
    path: ['body'],
  })
  .refine(
    (reply) =>
      reply.based_on_canned_response_id === undefined ||
      (reply.body !== undefined && reply.canned_response_id === undefined),
    {
      message:
        'based_on_canned_response_id names where a body came from: give it with a body, without canned_response_id',
      path: ['based_on_canned_response_id'],
    },
  );
const previewBody = z.strictObject({ canned_response_id: bodyId() });
const viewerBody = z.strictObject({ activity: z.enum(VIEWER_ACTIVITIES) });
const noteBody = z.object({ body: z.string().trim().min(1).max(20000) });
const clarificationBody = z.object({
  body: z.string().trim().min(1).max(MAX_REPLY_LENGTH),
  channel: z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]).optional(),
});

/** Free text where an empty string means "clear it". */
const clearable = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((value) => value || null);
const patchBody = z
  .strictObject({
    category: z.enum(CATEGORY_CODES).nullable(),
    complaint_type: z.enum(COMPLAINT_TYPE_CODES).nullable(),
    priority: z.enum(PRIORITY_CODES),
    permit_number: clearable(64),
    confidential: z.boolean(),
    anonymous: z.boolean(),
    subject: clearable(255),
    required_skills: z.array(z.string().trim().min(1).max(64)).max(20),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');
const transferBody = z.strictObject({ team_id: bodyId(), note: z.string().trim().min(1).max(4000) });
const mergeBody = z.strictObject({
  source_ticket_ids: z
    .array(bodyId())
    .min(1)
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'Each ticket once'),
});
const optionalNote = z.strictObject({ note: z.string().trim().min(1).max(4000).optional() });
const assignBody = z.strictObject({ agent_id: bodyId() });
const noBody = z.strictObject({});
const extensionBody = z.strictObject({
  reason: z.string().trim().min(10, 'Give the written reason (UU 14/2008)').max(4000),
});
/** The request schemas above, for the OpenAPI document (src/http/openapi). */
export const ticketSchemas = {
  idParam,
  replyBody,
  previewBody,
  viewerBody,
  noteBody,
  clarificationBody,
  patchBody,
  transferBody,
  mergeBody,
  optionalNote,
  assignBody,
  noBody,
  extensionBody,
};

export interface TicketRoutesContext {
  db: Knex;
  queues: PipelineQueues;
  logger: Logger;
  referencePrefix: string;
  /** The approved WhatsApp template's Content SID, when one is configured. */
  whatsappTemplateSid?: string;
  /** Working days to the reminder and to the deadline; the defaults of docs/domain.md when not given. */
  clarification?: ClarificationPolicy;
  /** Keeps files agents attach to mail replies (under DATA_DIR). */
  attachmentStore?: AttachmentStore;
  officeName: string;
  /** DEFAULT_REGION: how the `contact` filter reads a phone written without its country code. */
  defaultRegion?: string;
  /** Every ticket action runs through it: the SLA clocks and routing follow its events. */
  unitOfWork: TicketUnitOfWork;
  /** Who has a ticket open (collision detection); without it, the viewers routes are not served. */
  viewers?: TicketViewers;
  now?: () => Date;
}

export function ticketRoutes(context: TicketRoutesContext): Router {
  const { db, referencePrefix } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();
  // Replies may carry attachments; everything else is small. The reply's own parser runs first and
  // the general one then leaves the parsed body alone.
  router.use('/:id/replies', jsonBody('20mb'));
  router.use(jsonBody('64kb'));

  router.get('/', async (request, response) => {
    const filters = parseInput(ticketFilters, request.query, 'query');
    response.json(
      await listTickets(
        db,
        currentAgent(request),
        {
          ...filters,
          citizen: contactFilter(filters.contact, context.defaultRegion ?? 'ID'),
          before: filters.cursor,
          at: now(),
        },
        referencePrefix,
      ),
    );
  });

  // Before '/:id', which would take 'vocabulary' for an id.
  router.get('/vocabulary', (_request, response) => {
    response.json({ data: vocabularyDocument() });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const ticket = await getTicket(db, currentAgent(request), id, referencePrefix, now());
    // Whether the approved template can reopen a closed window is this server's setting.
    const whatsapp = ticket.whatsapp_window && {
      ...ticket.whatsapp_window,
      template_available: context.whatsappTemplateSid !== undefined,
    };
    response.json({ data: { ...ticket, whatsapp_window: whatsapp } });
  });

  router.post('/:id/replies', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const input = parseInput(replyBody, request.body, 'reply');
    const agent = currentAgent(request);
    const composed =
      input.canned_response_id === undefined
        ? undefined
        : await composeCannedReply(
            db,
            agent,
            id,
            { cannedResponseId: input.canned_response_id, body: input.body },
            { referencePrefix, officeName: context.officeName },
          );
    const queued = await replyToTicket(
      {
        db,
        now,
        whatsappTemplateSid: context.whatsappTemplateSid,
        referencePrefix,
        officeName: context.officeName,
        attachmentStore: context.attachmentStore,
        unitOfWork: context.unitOfWork,
      },
      agent,
      {
        ticketId: id,
        body: composed?.body ?? input.body,
        template: input.template,
        attachments: input.attachments?.map((file) => ({
          filename: file.filename,
          contentType: file.content_type,
          content: Buffer.from(file.content_base64, 'base64'),
        })),
        channel: input.channel as ChannelKind | undefined,
        cannedResponseId:
          composed?.cannedResponseId ??
          (input.based_on_canned_response_id === undefined
            ? undefined
            : await cannedResponseUsed(db, agent, input.based_on_canned_response_id)),
      },
    );
    // After commit; if Redis is away the outbox sweeper sends it.
    await context.queues
      .enqueueOutbound([queued.outboxId])
      .catch((error: Error) => logRedisFailure(context.logger, error, {}, 'reply queued, not signalled'));
    response.status(201).json({
      data: {
        message_id: queued.messageId,
        delivery_status: 'queued',
        ...(composed
          ? { body: composed.body, canned_response_id: composed.cannedResponseId, language: composed.language }
          : {}),
      },
    });
  });

  // The canned response filled in for this ticket, for the agent to read and edit before sending it.
  router.post('/:id/reply-preview', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const input = parseInput(previewBody, request.body, 'reply preview');
    const composed = await composeCannedReply(
      db,
      currentAgent(request),
      id,
      { cannedResponseId: input.canned_response_id },
      { referencePrefix, officeName: context.officeName },
    );
    response.json({
      data: { body: composed.body, canned_response_id: composed.cannedResponseId, language: composed.language },
    });
  });

  if (context.viewers) {
    const viewers = context.viewers;
    // Collision detection: the console tells every few seconds that its agent views or replies;
    // the answer names the other agents on the ticket now.
    router.post('/:id/viewers', async (request, response) => {
      const { id } = parseInput(idParam, request.params, 'ticket id');
      const { activity } = parseInput(viewerBody, request.body, 'viewer');
      const agent = currentAgent(request);
      await findAccessibleTicket(db, agent, id); // 404 before anything is told
      response.json({ data: await viewers.mark(id, agent, activity) });
    });
    router.delete('/:id/viewers', async (request, response) => {
      const { id } = parseInput(idParam, request.params, 'ticket id');
      const agent = currentAgent(request);
      await findAccessibleTicket(db, agent, id);
      await viewers.leave(id, agent.id);
      response.status(204).end();
    });
  }

  router.post('/:id/clarification', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const input = parseInput(clarificationBody, request.body, 'clarification');
    const asked = await requestClarification(
      {
        db,
        now,
        whatsappTemplateSid: context.whatsappTemplateSid,
        referencePrefix,
        officeName: context.officeName,
        unitOfWork: context.unitOfWork,
        policy: context.clarification ?? DEFAULT_CLARIFICATION_POLICY,
      },
      currentAgent(request),
      { ticketId: id, body: input.body, channel: input.channel as ChannelKind | undefined },
    );
    await context.queues
      .enqueueOutbound([asked.outboxId])
      .catch((error: Error) => logRedisFailure(context.logger, error, {}, 'clarification queued, not signalled'));
    response.status(201).json({
      data: {
        message_id: asked.messageId,
        status: 'pending_citizen',
        remind_at: asked.remindAt.toISOString(),
        expires_at: asked.expiresAt.toISOString(),
      },
    });
  });

  router.post('/:id/notes', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const { body } = parseInput(noteBody, request.body, 'note');
    response.status(201).json({ data: { message_id: await addNote({ db, now }, currentAgent(request), id, body) } });
  });

  const actions = { db, now, unitOfWork: context.unitOfWork };
  /** Runs an action on the ticket of the URL, then answers with the state it left the ticket in. */
  const act =
    (run: (request: express.Request, id: number) => Promise<unknown>): express.RequestHandler =>
    async (request, response) => {
      const { id } = parseInput(idParam, request.params, 'ticket id');
      await run(request, id);
      response.json({ data: await ticketStateView(db, id, referencePrefix) });
    };

  router.patch(
    '/:id',
    act((request, id) =>
      updateTicketFields(actions, currentAgent(request), id, parseInput(patchBody, request.body, 'ticket fields')),
    ),
  );

  router.post(
    '/:id/transfer',
    act((request, id) => {
      const input = parseInput(transferBody, request.body, 'transfer');
      return transferTicket(actions, currentAgent(request), id, { teamId: input.team_id, note: input.note });
    }),
  );

  router.post(
    '/:id/merge',
    act((request, id) =>
      mergeTickets(actions, currentAgent(request), id, parseInput(mergeBody, request.body, 'merge').source_ticket_ids),
    ),
  );

  router.post(
    '/:id/resolve',
    act((request, id) =>
      resolveTicket(actions, currentAgent(request), id, parseInput(optionalNote, request.body, 'resolution').note),
    ),
  );

  router.post(
    '/:id/close',
    act((request, id) => {
      parseInput(noBody, request.body, 'close');
      return closeTicket(actions, currentAgent(request), id);
    }),
  );

  router.post(
    '/:id/reopen',
    act((request, id) =>
      reopenTicket(actions, currentAgent(request), id, parseInput(optionalNote, request.body, 'reopen').note),
    ),
  );

  router.post(
    '/:id/assign',
    requireRole('supervisor', 'admin'),
    act((request, id) =>
      assignTicket(actions, currentAgent(request), id, parseInput(assignBody, request.body, 'assignment').agent_id),
    ),
  );

  router.post('/:id/sla/extend', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const { reason } = parseInput(extensionBody, request.body, 'extension');
    const extended = await extendResolution(actions, currentAgent(request), id, reason, {
      officeName: context.officeName,
      referencePrefix,
    });
    if (extended.noticeOutboxId !== null) {
      await context.queues
        .enqueueOutbound([extended.noticeOutboxId])
        .catch((error: Error) => logRedisFailure(context.logger, error, {}, 'extension notice queued, not signalled'));
    }
    response.json({
      data: {
        due_at: extended.dueAt,
        extension_days: extended.days,
        citizen_notified: extended.noticeOutboxId !== null,
      },
    });
  });

  router.post(
    '/:id/claim',
    act((request, id) => {
      parseInput(noBody, request.body, 'claim');
      return claimTicket(actions, currentAgent(request), id);
    }),
  );

  return router;
}
