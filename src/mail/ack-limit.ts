import type { Knex } from 'knex';

/** EMAIL_ACK_LIMIT's default, for callers that pass no limit. */
export const DEFAULT_EMAIL_ACK_LIMIT = 3;

const WINDOW_MS = 60 * 60 * 1000;

/**
 * Which of the acknowledgements a batch would send by mail stay within `limit` per recipient per
 * rolling hour. Counted from the acknowledgements already written to each address, whatever the
 * mail's headers claimed: a mail loop or a flood of forged senders that slips past the auto-reply
 * checks still gets at most `limit` answers an hour. One query for the batch; acknowledgements
 * earlier in the batch count against later ones. Addresses are compared lower-cased, as stored.
 *
 * Concurrent batches of one sender do not both slip through: ingest holds the citizen's row lock
 * (PostgreSQL) or the only write lock (SQLite) while it counts and writes.
 */
export async function withinAckLimit(
  trx: Knex.Transaction,
  addresses: string[],
  limit: number,
  at: Date,
): Promise<boolean[]> {
  if (addresses.length === 0) return [];
  const unique = [...new Set(addresses)];
  const rows: Array<{ address: string; sent: number | string }> = await trx('messages')
    .whereIn('address', unique)
    .where({ kind: 'acknowledgement', channel: 'email' })
    .where('created_at', '>', new Date(at.getTime() - WINDOW_MS))
    .groupBy('address')
    .select('address', trx.raw('count(*) as sent'));
  const sent = new Map(rows.map((row) => [row.address, Number(row.sent)]));
  return addresses.map((address) => {
    const count = sent.get(address) ?? 0;
    if (count >= limit) return false;
    sent.set(address, count + 1);
    return true;
  });
}
