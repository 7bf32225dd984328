import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';

/**
 * Makes one citizen of two contacts: everything `fromId` is (its phones, emails, tickets, the
 * messages it wrote that were held) becomes `intoId`'s, and `fromId` is kept as a pointer to
 * `intoId` (`merged_into_id`) so that nothing referring to it is left dangling. The name stays
 * `intoId`'s; only a contact without one takes the other's. In the caller's transaction; both
 * contacts are locked in id order first (PostgreSQL), as the inbound worker locks citizens.
 */
export async function mergeContacts(trx: Knex.Transaction, fromId: number, intoId: number, at: Date): Promise<void> {
  if (fromId === intoId) return;
  if (isPostgres(trx as unknown as Knex)) {
    await trx('contacts')
      .whereIn(
        'id',
        [fromId, intoId].sort((a, b) => a - b),
      )
      .orderBy('id')
      .forUpdate()
      .pluck('id');
  }
  const from = await trx('contacts').where({ id: fromId }).first('display_name');
  await trx('contact_identities').where({ contact_id: fromId }).update({ contact_id: intoId });
  await trx('tickets').where({ contact_id: fromId }).update({ contact_id: intoId });
  await trx('messages').where({ sender_contact_id: fromId }).update({ sender_contact_id: intoId });
  await trx('contacts').where({ merged_into_id: fromId }).update({ merged_into_id: intoId, updated_at: at });
  await trx('contacts').where({ id: fromId }).update({ merged_into_id: intoId, updated_at: at });
  if (from?.display_name) {
    await trx('contacts')
      .where({ id: intoId })
      .where((query) => query.whereNull('display_name').orWhere('display_name', ''))
      .update({ display_name: from.display_name, updated_at: at });
  }
}
