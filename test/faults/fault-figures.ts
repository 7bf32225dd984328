import type { Knex } from 'knex';
import type { FakeSend } from '../support/twilio-fake.js';
import { inboundSms } from '../support/twilio-payloads.js';

/** `citizens` citizens, each texting `perCitizen` numbered messages: "Pesan 1 dari ...", "Pesan 2 dari ...". */
export function conversations(
  citizens: number,
  perCitizen: number,
  firstNumber: number,
): Array<Array<Record<string, string>>> {
  return Array.from({ length: citizens }, (_, citizen) => {
    const phone = `+62812${String(firstNumber + citizen).padStart(7, '0')}`;
    return Array.from({ length: perCitizen }, (_, index) =>
      inboundSms(phone, `Pesan ${index + 1} dari warga ${citizen}: izin usaha belum terbit`),
    );
  });
}

export interface FaultFigures {
  contacts: number;
  tickets: number;
  inboundMessages: number;
  /** Contacts, inbound messages and sends counted twice (a provider retry or a resend). */
  duplicatedContacts: number;
  duplicatedMessages: number;
  duplicatedSends: number;
  /** Acknowledgements owed (one per ticket) that the provider never received. */
  lostSends: number;
  /** Messages shown before an earlier one of the same citizen (the API's timeline order). */
  orderViolations: number;
  unsettledOutbox: number;
  /** Messages stamped with a time more than 2 s off their receipt (the inbox row's received_at). */
  lateStamps: number;
}

/** What the database and the provider hold once the work has settled. */
export async function faultFigures(db: Knex, sends: FakeSend[]): Promise<FaultFigures> {
  const count = async (query: Knex.QueryBuilder) => Number((await query.count({ n: '*' }).first())?.n);
  const contacts = await count(db('contacts'));
  const identities: Array<{ value: string; n: number | string }> = await db('contact_identities')
    .groupBy('value')
    .select('value')
    .count({ n: '*' });
  const messages: Array<{
    id: number;
    ticket_id: number;
    body: string;
    provider_message_id: string;
    created_at: unknown;
  }> = await db('messages')
    .where({ direction: 'inbound' })
    // The order GET /api/v1/tickets/:id shows a ticket's messages in (ticket-queries.ts).
    .orderBy([{ column: 'ticket_id' }, { column: 'created_at' }, { column: 'id' }])
    .select('id', 'ticket_id', 'body', 'provider_message_id', 'created_at');
  const acknowledgements: Array<{ ticket_id: number; address: string }> = await db('messages')
    .where({ kind: 'acknowledgement' })
    .select('ticket_id', 'address');
  const sendsTo = new Map<string, number>();
  for (const send of sends) sendsTo.set(send.to, (sendsTo.get(send.to) ?? 0) + 1);
  const owedTo = new Map<string, number>();
  for (const ack of acknowledgements) owedTo.set(ack.address, (owedTo.get(ack.address) ?? 0) + 1);
  let duplicatedSends = 0;
  let lostSends = 0;
  for (const [address, owed] of owedTo) {
    const sent = sendsTo.get(address) ?? 0;
    duplicatedSends += Math.max(0, sent - owed);
    lostSends += Math.max(0, owed - sent);
  }
  for (const [address, sent] of sendsTo) if (!owedTo.has(address)) duplicatedSends += sent;

  let orderViolations = 0;
  const lastNumber = new Map<number, number>();
  for (const message of messages) {
    const number = Number(/^Pesan (\d+)/.exec(message.body)?.[1]);
    const previous = lastNumber.get(message.ticket_id) ?? 0;
    if (number < previous) orderViolations += 1;
    lastNumber.set(message.ticket_id, number);
  }
  return {
    contacts,
    tickets: await count(db('tickets')),
    inboundMessages: messages.length,
    duplicatedContacts: identities.reduce((sum, row) => sum + Number(row.n) - 1, 0),
    duplicatedMessages: messages.length - new Set(messages.map((message) => message.provider_message_id)).size,
    duplicatedSends,
    lostSends,
    orderViolations,
    unsettledOutbox: await count(db('outbox').whereIn('status', ['pending', 'sending'])),
    lateStamps: await lateStamps(db),
  };
}

async function lateStamps(db: Knex): Promise<number> {
  const rows: Array<{ created_at: unknown; received_at: unknown }> = await db('messages as m')
    .join('inbox as i', (join) => join.on('i.external_id', 'm.provider_message_id').andOn('i.provider', 'm.provider'))
    .where('m.direction', 'inbound')
    .select('m.created_at', 'i.received_at');
  const time = (value: unknown) => (value instanceof Date ? value.getTime() : new Date(value as string).getTime());
  return rows.filter((row) => Math.abs(time(row.created_at) - time(row.received_at)) > 2_000).length;
}
