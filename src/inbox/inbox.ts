import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { insertInChunks } from '../db/insert-chunks.js';
import { toJson } from '../db/rows.js';

export interface RecordedEnvelope {
  /** The inbox row id, which names its inbound job (with the installation id), so a row is never enqueued twice at once. */
  id: number;
  /** A provider retry or replay: already recorded, nothing new to do. */
  duplicate: boolean;
}

/**
 * The durable record of what providers delivered. One INSERT per envelope, unique on
 * (provider, external_id): once this returns, the contact is safe, whatever happens to Redis.
 */
export async function recordInbound(db: Knex, envelopes: InboundEnvelope[]): Promise<RecordedEnvelope[]> {
  if (envelopes.length === 0) return [];
  const rows = envelopes.map((envelope) => ({
    provider: envelope.provider,
    external_id: envelope.externalId,
    channel: envelope.channel,
    envelope: toJson(envelope),
    received_at: new Date(envelope.receivedAt),
  }));
  const inserted = await insertInChunks<(typeof rows)[number], { id: number; provider: string; external_id: string }>(
    rows,
    (chunk) =>
      db('inbox')
        .insert(chunk)
        .onConflict(['provider', 'external_id'])
        .ignore()
        .returning(['id', 'provider', 'external_id']),
  );
  const fresh = new Map(inserted.map((row) => [keyOf(row.provider, row.external_id), Number(row.id)]));
  const missing = envelopes.filter((envelope) => !fresh.has(keyOf(envelope.provider, envelope.externalId)));
  const existing = new Map<string, number>();
  if (missing.length > 0) {
    const rows: Array<{ id: number; provider: string; external_id: string }> = await db('inbox')
      .where((query) => {
        for (const envelope of missing)
          query.orWhere({ provider: envelope.provider, external_id: envelope.externalId });
      })
      .select('id', 'provider', 'external_id');
    for (const row of rows) existing.set(keyOf(row.provider, row.external_id), Number(row.id));
  }

  // The same envelope twice in one batch (a retry racing its original) is recorded once.
  const claimed = new Set<string>();
  return envelopes.map((envelope) => {
    const key = keyOf(envelope.provider, envelope.externalId);
    const id = fresh.get(key);
    if (id !== undefined && !claimed.has(key)) {
      claimed.add(key);
      return { id, duplicate: false };
    }
    return { id: id ?? existing.get(key)!, duplicate: true };
  });
}

const keyOf = (provider: string, externalId: string): string => `${provider}\u0000${externalId}`;
