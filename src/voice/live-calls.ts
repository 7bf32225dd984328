import type { Knex } from 'knex';

/** No conversation lasts this long: a call still shown as live by then lost its final callbacks. */
export const LONGEST_CALL_MS = 2 * 3600_000;

/**
 * Inbound calls put through to an agent (dialled or talking: the <Dial> has not ended) and not
 * over: each holds its agent's voice slot, as a call-back to make does, so that a second call or
 * a call-back never rings a phone already in use. Bounded by LONGEST_CALL_MS, so that a call whose
 * end Twilio never reported does not hold the slot for ever.
 */
export function liveCalls(db: Knex | Knex.Transaction, at: Date): Knex.QueryBuilder {
  return db('calls as live')
    .where({ 'live.direction': 'inbound', 'live.outcome': 'agent_dialled' })
    .whereNull('live.ended_at')
    .where('live.started_at', '>', new Date(at.getTime() - LONGEST_CALL_MS));
}
