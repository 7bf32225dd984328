import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { fromJson, toJson } from '../db/rows.js';

export interface RecordedEnvelope {
  /** The inbox row id; also the inbound job id, so a row is never enqueued twice at once. */
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
  const inserted: Array<{ id: number; provider: string; external_id: string }> = await db('inbox')
    .insert(rows)
    .onConflict(['provider', 'external_id'])
    .ignore()
    .returning(['id', 'provider', 'external_id']);
  const fresh = new Map(inserted.map((row) => [`${row.provider}\u0000${row.external_id}`, Number(row.id)]));

  const recorded: RecordedEnvelope[] = [];
  for (const envelope of envelopes) {
    const id = fresh.get(`${envelope.provider}\u0000${envelope.externalId}`);
    if (id !== undefined) {
      recorded.push({ id, duplicate: false });
      continue;
    }
    const existing = await db('inbox').where({ provider: envelope.provider, external_id: envelope.externalId }).first('id');
    recorded.push({ id: Number(existing.id), duplicate: true });
  }
  return recorded;
}

export async function loadEnvelope(db: Knex | Knex.Transaction, inboxId: number): Promise<{ envelope: InboundEnvelope; processed: boolean } | undefined> {
  const row = await db('inbox').where({ id: inboxId }).first('envelope', 'processed_at');
  return row ? { envelope: fromJson<InboundEnvelope>(row.envelope), processed: row.processed_at !== null } : undefined;
}
