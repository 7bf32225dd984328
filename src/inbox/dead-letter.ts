import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { maskPersonalData } from '../privacy-mask.js';

/** INBOX_MAX_ATTEMPTS' default: failures of one inbox row before it is set aside. */
export const DEFAULT_INBOX_MAX_ATTEMPTS = 10;

/** How much of an error a row keeps: its beginning says what went wrong (a failed SQL can be 600 KB). */
const MAX_STORED_ERROR = 1000;

/**
 * Counts one failed processing of an inbox row. Below the limit the row stays for the next retry;
 * at the limit it is dead-lettered: no job or sweep takes it again until an admin retries it, and
 * one log line says so. Returns whether the row is now dead-lettered.
 */
export async function recordInboxFailure(
  db: Knex,
  logger: Logger,
  inboxId: number,
  error: unknown,
  settings: { maxAttempts: number; now: Date },
): Promise<boolean> {
  const message = storedError(error);
  await db('inbox')
    .where({ id: inboxId })
    .whereNull('processed_at')
    .update({ attempts: db.raw('attempts + 1'), last_error: message });
  const row: { attempts: number | string; dead_lettered_at: unknown } | undefined = await db('inbox')
    .where({ id: inboxId })
    .whereNull('processed_at')
    .first('attempts', 'dead_lettered_at');
  if (!row) return false;
  const attempts = Number(row.attempts);
  if (attempts < settings.maxAttempts) {
    logger.warn({ inboxId, attempts, reason: message.slice(0, 200) }, 'inbound processing failed; will retry');
    return false;
  }
  if (row.dead_lettered_at) return true;
  await db('inbox').where({ id: inboxId }).update({ dead_lettered_at: settings.now });
  logger.error(
    { inboxId, attempts, reason: message },
    'inbox row dead-lettered after repeated failures; an admin can retry it (POST /api/v1/admin/dead-letters/:id/retry)',
  );
  return true;
}

function storedError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const cut =
    text.length > MAX_STORED_ERROR
      ? `${text.slice(0, MAX_STORED_ERROR)}… [${text.length - MAX_STORED_ERROR} more characters]`
      : text;
  return maskPersonalData(cut);
}

export interface DeadLetter {
  id: number;
  provider: string;
  channel: string;
  received_at: string | null;
  attempts: number;
  last_error: string | null;
  dead_lettered_at: string | null;
}

/** The dead-lettered rows, oldest first. Not their envelopes: those hold the citizen's message. */
export async function listDeadLetters(db: Knex, limit: number): Promise<DeadLetter[]> {
  const rows = await db('inbox')
    .whereNotNull('dead_lettered_at')
    .whereNull('processed_at')
    .orderBy('id')
    .limit(limit)
    .select('id', 'provider', 'channel', 'received_at', 'attempts', 'last_error', 'dead_lettered_at');
  return rows.map((row) => ({
    id: Number(row.id),
    provider: row.provider,
    channel: row.channel,
    received_at: toIso(row.received_at),
    attempts: Number(row.attempts),
    last_error: row.last_error ?? null,
    dead_lettered_at: toIso(row.dead_lettered_at),
  }));
}

/**
 * Gives a dead-lettered row a fresh start (attempts back to 0); the caller signals it. Its
 * last_error stays until it is processed, for whoever looks again.
 */
export async function reviveDeadLetter(db: Knex, inboxId: number): Promise<void> {
  const row = await db('inbox').where({ id: inboxId }).first('dead_lettered_at', 'processed_at');
  if (!row) throw new NotFoundError(`Inbox row ${inboxId}`);
  if (!row.dead_lettered_at || row.processed_at)
    throw new ConflictError('not_dead_lettered', `Inbox row ${inboxId} is not dead-lettered`);
  await db('inbox').where({ id: inboxId }).update({ attempts: 0, dead_lettered_at: null });
}
