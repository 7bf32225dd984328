import type { Knex } from '../../src/db/knex.js';
import { waitFor } from './wait-for.js';

/** The contact a mail from `email` became, once the inbound worker ticketed it. */
export function mailedContact(db: Knex, email: string): Promise<number> {
  return waitFor('the mail ticketed', async () => {
    const row = await db('messages as m')
      .join('tickets as t', 't.id', 'm.ticket_id')
      .where({ 'm.channel': 'email', 'm.direction': 'inbound', 'm.address': email })
      .first('t.contact_id');
    return row ? Number(row.contact_id) : undefined;
  });
}
