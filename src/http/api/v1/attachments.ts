import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AttachmentStore } from '../../../email/attachment-store.js';
import { NotFoundError } from '../../../errors.js';
import type { Logger } from '../../../logger.js';
import { findVisibleAttachment } from '../../../tickets/attachment-access.js';
import { currentAgent } from '../../authenticate.js';
import { idParam, parseInput } from '../../validate.js';
import { fileHeaders, servedAs } from './attachment-headers.js';

export interface AttachmentRoutesContext {
  db: Knex;
  /** Where mail attachments and reply files are kept (under DATA_DIR). */
  store: AttachmentStore;
  logger: Logger;
}

/**
 * The files citizens sent and agents attached, for agents who may see their ticket: streamed
 * from the attachment store with a safe type and disposition (attachment-headers.ts). A file the
 * store no longer has is a 404 like any other, never a 500.
 */
export function attachmentRoutes(context: AttachmentRoutesContext): Router {
  const { db, store, logger } = context;
  const router = Router();

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'attachment id');
    const attachment = await findVisibleAttachment(db, currentAgent(request), id);
    // A provider's media (a Twilio URL) is not kept here and needs the provider's credentials.
    const stored = attachment.storage === 'local' ? await store.openStored(attachment.url) : undefined;
    if (!stored) {
      if (attachment.storage === 'local')
        logger.warn({ attachmentId: attachment.id, ticketId: attachment.ticketId }, 'attachment file missing');
      throw new NotFoundError('Attachment file');
    }
    const { file, size } = stored;
    try {
      response.set(fileHeaders(servedAs(attachment.contentType), attachment.filename, size));
      await pipeline(file.createReadStream({ autoClose: false }), response);
    } catch (error) {
      // Headers are sent: the client sees a cut-off body; nothing else can be said to it. A
      // client that went away (a closed tab) is no failure of ours.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        logger.warn({ err: error, attachmentId: attachment.id }, 'attachment stream failed');
      response.destroy();
    } finally {
      await file.close();
    }
  });

  return router;
}
