import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { fromJson } from '../db/rows.js';
import { verifyMessageId } from '../mail/tokens.js';

/** The hourly allowances of acknowledgements to senders we cannot tell are real. */
export interface UnverifiedAckCaps {
  /** EMAIL_ACK_UNVERIFIED_DOMAIN_LIMIT: per sender domain. */
  perDomain: number;
  /** EMAIL_ACK_UNVERIFIED_LIMIT: all domains together. */
  total: number;
}

export const DEFAULT_UNVERIFIED_ACK_CAPS: UnverifiedAckCaps = { perDomain: 10, total: 50 };

/** The event an acknowledgement to an unverified sender leaves on its ticket; the caps count them. */
export const UNVERIFIED_ACK_EVENT = 'acknowledgement_unverified' as const;

const WINDOW_MS = 60 * 60 * 1000;

/**
 * Whether a mail's sender is plausibly who the From says (backscatter: a forged From would have
 * us mail a stranger): our trusted relay authenticated the From domain (SPF or DMARC), or the mail
 * answers a Message-ID we signed (only a recipient of our mail knows one).
 */
export function plausibleSender(envelope: InboundEnvelope, mailKey: Buffer | undefined): boolean {
  if (envelope.senderAuthenticated) return true;
  if (!mailKey) return false;
  const quoted = [envelope.thread?.inReplyTo, ...(envelope.thread?.references ?? [])].filter(
    (id): id is string => typeof id === 'string',
  );
  return quoted.some((id) => verifyMessageId(mailKey, id) !== undefined);
}

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Which of these acknowledgements to unverified senders (by their domain) stay within the caps of
 * the rolling hour, counted from the UNVERIFIED_ACK_EVENT events already written: a flood of forged
 * senders gets at most `total` answers an hour, `perDomain` for one domain. The read is bounded by
 * the caps (ticket_events' (type, created_at) index); earlier ones in the batch count against later
 * ones. Ingest holds the write lock (SQLite) or the citizens' locks while it counts and writes;
 * concurrent batches of different citizens on PostgreSQL may overshoot by one batch at most.
 */
export async function withinUnverifiedAckCaps(
  trx: Knex.Transaction,
  domains: string[],
  caps: UnverifiedAckCaps,
  at: Date,
): Promise<boolean[]> {
  if (domains.length === 0) return [];
  const rows: Array<{ data: unknown }> = await trx('ticket_events')
    .where({ type: UNVERIFIED_ACK_EVENT })
    .where('created_at', '>', new Date(at.getTime() - WINDOW_MS))
    .limit(caps.total + 1)
    .select('data');
  let total = rows.length;
  const perDomain = new Map<string, number>();
  for (const row of rows) {
    const domain = String(fromJson<{ domain?: string }>(row.data)?.domain ?? '');
    perDomain.set(domain, (perDomain.get(domain) ?? 0) + 1);
  }
  return domains.map((domain) => {
    const sent = perDomain.get(domain) ?? 0;
    if (total >= caps.total || sent >= caps.perDomain) return false;
    total += 1;
    perDomain.set(domain, sent + 1);
    return true;
  });
}
