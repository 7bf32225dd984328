import type { Knex } from 'knex';

/**
 * For each of these tickets opened or joined by a phone call that an agent answered (key 5), the
 * agent who talked to the citizen last: routing prefers them for the ticket (team-router.ts), as
 * it does a returning citizen's previous agent, since they know the matter already.
 */
export async function answeringAgents(
  db: Knex,
  /** The phone line's provider (the voice adapter's `provider`), whose inbox rows are calls. */
  voiceProvider: string,
  ticketIds: number[],
): Promise<Map<number, number>> {
  if (ticketIds.length === 0) return new Map();
  const rows: Array<{ ticket_id: number; agent_id: number }> = await db('calls as c')
    .join('inbox as i', (join) =>
      join.on('i.external_id', '=', 'c.call_sid').andOn('i.provider', '=', db.raw('?', [voiceProvider])),
    )
    .whereIn('i.ticket_id', ticketIds)
    .where({ 'c.direction': 'inbound', 'c.outcome': 'agent_connected' })
    .whereNotNull('c.agent_id')
    .orderBy('c.id', 'desc')
    .select('i.ticket_id', 'c.agent_id');
  const answered = new Map<number, number>();
  for (const row of rows)
    if (!answered.has(Number(row.ticket_id))) answered.set(Number(row.ticket_id), Number(row.agent_id));
  return answered;
}
