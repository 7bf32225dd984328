import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { WEB_FORM_PROVIDER } from '../../../channels/web/form-envelope.js';
import type { InboundEnvelope } from '../../../channels/adapter.js';
import { fromJson } from '../../db/rows.js';
import { formatReference } from '../../tickets/reference-number.js';
import { writtenChannel } from '../../messages/channel-policy.js';

export interface Receipt {
  /** The ticket's reference number, once the inbox row became a ticket (a moment after recording). */
  reference?: string;
  /** Where the acknowledgement goes: the written channel of a form (email when given, else SMS). */
  acknowledgedBy: 'email' | 'sms';
}

/** What the citizen may learn from their own form's key: the reference and where the acknowledgement went. */
export async function receiptOf(db: Knex, key: string, referencePrefix: string): Promise<Receipt | undefined> {
  const row: { envelope: unknown; reference: string | null } | undefined = await db('inbox as i')
    .leftJoin('tickets as t', 't.id', 'i.ticket_id')
    .where({ 'i.provider': WEB_FORM_PROVIDER, 'i.external_id': key })
    .first('i.envelope', 't.reference');
  if (!row) return undefined;
  const { from } = fromJson<InboundEnvelope>(row.envelope);
  const identities = [from.email ? 'email' : '', from.phone ? 'phone' : ''].filter(Boolean);
  return {
    reference: row.reference ? formatReference(row.reference, referencePrefix) : undefined,
    acknowledgedBy: writtenChannel('web', identities) === 'email' ? 'email' : 'sms',
  };
}

/**
 * The receipt, waiting up to `waitMs` for the ticket: the inbound worker turns the row into a
 * ticket within moments, and a citizen is better served by the number itself than by a promise.
 * Past the wait the page says the report is safe and offers to look again: the honest answer.
 */
export async function waitForReceipt(
  db: Knex,
  key: string,
  referencePrefix: string,
  waitMs: number,
): Promise<Receipt | undefined> {
  const deadline = Date.now() + waitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 400)) {
    const receipt = await receiptOf(db, key, referencePrefix);
    if (!receipt || receipt.reference || Date.now() >= deadline) return receipt;
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
  }
}
