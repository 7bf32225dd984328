import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { hasFreeSlot } from '../routing/assign.js';
import { availableAgents, type AgentState } from '../routing/routing-state.js';
import { canTake, chooseAgent } from '../routing/strategies.js';
import type { RoutingStrategy } from '../routing/team-directory.js';

export interface VoiceAgent {
  id: number;
  phone: string;
}

/**
 * Who of a team can take a call now: the routing engine's own eligibility (active, available,
 * a free slot on the voice channel by its capacities and loads, call-back tasks included), and a
 * phone to ring. The team's strategy picks among them
 * (longest idle for a team that pulls its work). Undefined when nobody can.
 */
export async function chooseVoiceAgent(db: Knex, teamId: number, at = new Date()): Promise<VoiceAgent | undefined> {
  const [agents, team] = await Promise.all([
    availableAgents(db, teamId, at),
    db('teams').where({ id: teamId }).first('routing_strategy'),
  ]);
  if (agents.length === 0) return undefined;
  const phones = await db('agents')
    .whereIn(
      'id',
      agents.map((agent) => agent.id),
    )
    .whereNotNull('phone')
    .select('id', 'phone');
  const phoneOf = new Map(phones.map((row) => [Number(row.id), String(row.phone)]));
  const withPhone: AgentState[] = agents.filter((agent) => phoneOf.has(agent.id));
  const call = { channel: 'voice', skills: [] };
  const strategy = (team?.routing_strategy as RoutingStrategy | undefined) ?? 'longest_idle';
  const chosen = chooseAgent(
    strategy === 'pull' ? 'longest_idle' : strategy,
    call,
    withPhone.filter((agent) => canTake(agent, call)),
  );
  return chosen ? { id: chosen.id, phone: phoneOf.get(chosen.id)! } : undefined;
}

/**
 * Puts an inbound call through to the agent chosen for it, or does nothing if their voice slot was
 * taken meanwhile (another call, a call-back), they stopped being available, or the caller hung
 * up: all checked inside the UPDATE, after the agent's row is locked on PostgreSQL, as routing
 * does (assign.ts). From then on the call holds the slot (live-calls.ts) until its <Dial> or the
 * call ends.
 */
export async function putThroughIfFree(db: Knex, callSid: string, agentId: number, at: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx('agents').where({ id: agentId }).forNoKeyUpdate().first('id');
    const updated = await trx('calls')
      .where({ call_sid: callSid })
      .whereNull('ended_at') // the caller may have hung up meanwhile: the call stays abandoned
      .whereExists(trx('agents').where({ id: agentId, active: true, presence: 'available' }).select(trx.raw('1')))
      .where(hasFreeSlot(trx, agentId, 'voice', at))
      .update({ agent_id: agentId, outcome: 'agent_dialled', updated_at: at });
    return updated === 1;
  });
}
