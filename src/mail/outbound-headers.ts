import type { Knex } from 'knex';
import type { OutboundMessage } from '../../channels/adapter.js';
import { acknowledgementSubject, untitledSubject } from '../i18n/citizen-texts.js';
import { formatReference } from '../tickets/reference-number.js';
import { mailSigningKey } from './signing-key.js';
import { mailDomain, replyAddress, signMessageId } from './tokens.js';

export interface MailDispatchSettings {
  /** EMAIL_FROM: its domain names our Message-IDs and reply+ addresses. */
  from: string;
  /** REFERENCE_PREFIX, shown in the subject tag: `[SP-123-456-789]`. */
  referencePrefix: string;
}

export const DEFAULT_MAIL_DISPATCH: MailDispatchSettings = {
  from: 'Satu Pintu <helpdesk@localhost>',
  referencePrefix: 'SP-',
};

/** What the dispatcher knows of an outbound mail from its one grouped read. */
export interface OutboundMailRow {
  message_id: number;
  ticket_id: number;
  kind: string;
  reference: string;
  ticket_subject: string | null;
  ticket_language: string;
}

export type MailFields = Required<Pick<OutboundMessage, 'subject' | 'thread' | 'automatic'>>;

// RFC 5322 lets References be trimmed; the first id (the thread's root) and the newest matter most.
const MAX_REFERENCES = 20;

/**
 * The subject and threading headers of a group of outbound mails: one query for the email history
 * of all their tickets, whatever the group's size. Each mail gets our signed Message-ID (the ticket
 * travels in every reply), In-Reply-To the citizen's latest mail before it, References the ticket's
 * mail so far (theirs and ours), and the ticket's reply+ address.
 */
export async function mailFieldsFor(
  db: Knex,
  rows: OutboundMailRow[],
  settings: MailDispatchSettings,
): Promise<Map<number, MailFields>> {
  const fields = new Map<number, MailFields>();
  if (rows.length === 0) return fields;
  const key = await mailSigningKey(db);
  const domain = mailDomain(settings.from);
  const history: Array<{ id: number; ticket_id: number; direction: string; provider_message_id: string }> = await db(
    'messages',
  )
    .whereIn('ticket_id', [...new Set(rows.map((row) => row.ticket_id))])
    .where({ channel: 'email', internal: false })
    .whereNotNull('provider_message_id')
    // A held mail (a stranger quoting the reference) is not part of the citizen's thread.
    .where((query) => query.whereNull('hold_status').orWhereNot('hold_status', 'held'))
    .orderBy('id')
    .select('id', 'ticket_id', 'direction', 'provider_message_id');

  const byTicket = new Map<number, typeof history>();
  for (const mail of history)
    byTicket.set(Number(mail.ticket_id), [...(byTicket.get(Number(mail.ticket_id)) ?? []), mail]);

  for (const row of rows) {
    const earlier = (byTicket.get(Number(row.ticket_id)) ?? []).filter(
      (mail) => Number(mail.id) < Number(row.message_id),
    );
    const inReplyTo = earlier.filter((mail) => mail.direction === 'inbound').at(-1)?.provider_message_id;
    const ids = earlier.map((mail) => mail.provider_message_id);
    const references = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
    const automatic = row.kind !== 'message';
    const messageId = signMessageId(key, Number(row.ticket_id), Number(row.message_id), domain);
    if (row.kind === 'escalation') {
      // To staff, outside the citizen's thread: no reply+ address and no references to their mail.
      // The reference alone: the subject is the citizen's words, and a confidential ticket's stay out.
      fields.set(Number(row.message_id), {
        subject: `SLA: [${formatReference(row.reference, settings.referencePrefix)}]`,
        thread: { messageId, references: [] },
        automatic,
      });
      continue;
    }
    fields.set(Number(row.message_id), {
      // An acknowledgement names the reference only: its sender may be forged (backscatter).
      subject:
        row.kind === 'acknowledgement'
          ? `[${formatReference(row.reference, settings.referencePrefix)}] ${acknowledgementSubject(row.ticket_language)}`
          : mailSubject(row, settings.referencePrefix, inReplyTo !== undefined && !automatic),
      thread: { messageId, inReplyTo, references, replyTo: replyAddress(key, Number(row.ticket_id), domain) },
      automatic,
    });
  }
  return fields;
}

/**
 * `[SP-123-456-789] <ticket subject>`, with `Re: ` when answering the citizen's mail. The reference
 * in the subject threads a reply even when a mail client drops the headers. The ticket's subject
 * came from the citizen's mail, so their `Re:`/`Fwd:` and any tag of ours are taken off first.
 */
export function mailSubject(
  row: Pick<OutboundMailRow, 'reference' | 'ticket_subject' | 'ticket_language'>,
  prefix: string,
  reply: boolean,
): string {
  const subject =
    withoutReferenceTags(row.ticket_subject ?? '')
      .trim()
      .replace(REPLY_PREFIXES, '')
      .replace(/\s+/g, ' ')
      .trim() || untitledSubject(row.ticket_language);
  return `${reply ? 'Re: ' : ''}[${formatReference(row.reference, prefix)}] ${subject}`;
}

// A reference's nine digits as a tag writes them: [SP-123-456-789], [#123 456 789].
const REFERENCE_DIGITS = /\d{3}[-\s.]?\d{3}[-\s.]?\d{3}/;
// Any number of reply and forward prefixes: `Re: RE[2]: Fwd:`. One expression, not one pass per
// prefix (quadratic in a subject of many), and `\s*` never twice in a row (quadratic in spaces).
const REPLY_PREFIXES = /^(?:(?:re|fw|fwd|aw|wg|balas|bls|tr)\s*(?:\[\d+\]\s*)?:\s*)+/i;

/**
 * The subject with every `[…]` tag that holds a reference's digits (ours, or an earlier desk's)
 * made a space. A scan from each `[` to the next `]`, linear: /\[[^\]]*\d{3}…[^\]]*\]/g retried
 * from every `[` up to the end of the subject and backtracked over its digits, quadratic.
 */
function withoutReferenceTags(subject: string): string {
  let kept = '';
  let cursor = 0; // everything before it is in `kept`
  for (let open = subject.indexOf('['); open >= 0; open = subject.indexOf('[', cursor)) {
    const close = subject.indexOf(']', open + 1);
    if (close < 0) break;
    kept += REFERENCE_DIGITS.test(subject.slice(open + 1, close))
      ? `${subject.slice(cursor, open)} `
      : subject.slice(cursor, close + 1);
    cursor = close + 1;
  }
  return kept + subject.slice(cursor);
}
