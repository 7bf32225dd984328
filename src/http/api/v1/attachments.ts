import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { Router, type Response } from 'express';
import type { Knex } from 'knex';
import type { ProviderMedia } from '../../../../channels/adapter.js';
import type { AttachmentStore } from '../../../messages/attachment-store.js';
import { NotFoundError, ProviderError, ServiceUnavailableError } from '../../../errors.js';
import type { Logger } from '../../../logger.js';
import { findVisibleAttachment } from '../../../tickets/attachment-access.js';
import { currentAgent } from '../../authenticate.js';
import { idParam, parseInput } from '../../validate.js';
import { fileHeaders, servedAs } from './attachment-headers.js';

export interface AttachmentRoutesContext {
  db: Knex;
  /** Where mail attachments and reply files are kept (under DATA_DIR). */
  store: AttachmentStore;
  /** A provider's file (ChannelRegistry.fetchMedia): a call's recording, an MMS picture. */
  providerMedia: (provider: string, url: string) => Promise<ProviderMedia | undefined>;
  logger: Logger;
}

/**
 * The files citizens sent and agents attached, for agents who may see their ticket, with a safe
 * type and disposition (attachment-headers.ts): streamed from the attachment store, or, for what a
 * provider keeps (a call's recording, an MMS picture), from the provider with its credentials, which
 * never reach the browser. A file nobody has any more is a 404 like any other, never a 500; a
 * provider that cannot be asked is a 503 naming it.
 */
export function attachmentRoutes(context: AttachmentRoutesContext): Router {
  const { db, store, providerMedia, logger } = context;
  const router = Router();

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'attachment id');
    const attachment = await findVisibleAttachment(db, currentAgent(request), id);
    if (attachment.storage === 'provider') {
      const media = attachment.provider ? await fromProvider(attachment.provider, attachment.url) : undefined;
      if (!media) throw new NotFoundError('Attachment file');
      const name = renamed(attachment.filename, media.extension);
      response.set(fileHeaders(servedAs(media.contentType ?? attachment.contentType), name, media.sizeBytes));
      await send(media.body, response, attachment.id);
      return;
    }
    const stored = attachment.storage === 'local' ? await store.openStored(attachment.url) : undefined;
    if (!stored) {
      logger.warn({ attachmentId: attachment.id, ticketId: attachment.ticketId }, 'attachment file missing');
      throw new NotFoundError('Attachment file');
    }
    const { file, size } = stored;
    try {
      response.set(fileHeaders(servedAs(attachment.contentType), attachment.filename, size));
      await send(file.createReadStream({ autoClose: false }), response, attachment.id);
    } finally {
      await file.close();
    }
  });

  async function fromProvider(provider: string, url: string): Promise<ProviderMedia | undefined> {
    try {
      return await providerMedia(provider, url);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      throw new ServiceUnavailableError(`${provider} could not give the file: ${error.message}`);
    }
  }

  async function send(file: Readable, response: Response, attachmentId: number): Promise<void> {
    try {
      await pipeline(file, response);
    } catch (error) {
      // Headers are sent: the client sees a cut-off body; nothing else can be said to it. A
      // client that went away (a closed tab) is no failure of ours.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        logger.warn({ err: error, attachmentId }, 'attachment stream failed');
      response.destroy();
    }
  }

  return router;
}

/** The recorded name with the extension of what is served (a WAV recording fetched as MP3). */
function renamed(filename: string | null, extension: string | undefined): string | null {
  if (!filename || !extension) return filename;
  return `${filename.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${extension}`;
}
