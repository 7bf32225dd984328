import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { NotFoundError } from '../errors.js';
import { visibleTo } from './ticket-access.js';

/** Where the API serves an attachment (kept under DATA_DIR, or fetched from its provider). */
export const attachmentDownloadPath = (id: number): string => `/api/v1/attachments/${id}`;

export interface VisibleAttachment {
  id: number;
  ticketId: number;
  /** `local`: a file under DATA_DIR; `provider`: a URL at the provider (a call's recording, MMS media). */
  storage: string;
  /** The provider of the message it came with: whose credentials fetch a `provider` file. */
  provider: string | null;
  /** For `local`, the path relative to DATA_DIR the attachment store gave. */
  url: string;
  contentType: string | null;
  filename: string | null;
  sizeBytes: number | null;
}

/**
 * An attachment of a message on a ticket the agent may see (ticket-access.ts); 404 otherwise,
 * the same answer as for an id that names nothing, so that neither the file nor the ticket leaks.
 */
export async function findVisibleAttachment(
  db: Knex,
  agent: AuthenticatedAgent,
  id: number,
): Promise<VisibleAttachment> {
  const row = await visibleTo(
    db('attachments as a').join('messages as m', 'm.id', 'a.message_id').join('tickets as t', 't.id', 'm.ticket_id'),
    db,
    agent,
  )
    .where('a.id', id)
    .first(
      'a.id',
      't.id as ticket_id',
      'm.provider',
      'a.storage',
      'a.url',
      'a.content_type',
      'a.filename',
      'a.size_bytes',
    );
  if (!row) throw new NotFoundError('Attachment');
  return {
    id: Number(row.id),
    ticketId: Number(row.ticket_id),
    storage: String(row.storage),
    provider: row.provider ?? null,
    url: String(row.url),
    contentType: row.content_type ?? null,
    filename: row.filename ?? null,
    sizeBytes: row.size_bytes === null || row.size_bytes === undefined ? null : Number(row.size_bytes),
  };
}
