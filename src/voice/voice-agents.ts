import type { Knex } from 'knex';
import { availableAgents, type AgentState } from '../routing/routing-state.js';
import { canTake, chooseAgent } from '../routing/strategies.js';
import type { RoutingStrategy } from '../teams/team-directory.js';

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
export async function chooseVoiceAgent(db: Knex, teamId: number): Promise<VoiceAgent | undefined> {
  const [agents, team] = await Promise.all([availableAgents(db, teamId), db('teams').where({ id: teamId }).first('routing_strategy')]);
  if (agents.length === 0) return undefined;
  const phones = await db('agents').whereIn('id', agents.map((agent) => agent.id)).whereNotNull('phone').select('id', 'phone');
  const phoneOf = new Map(phones.map((row) => [Number(row.id), String(row.phone)]));
  const withPhone: AgentState[] = agents.filter((agent) => phoneOf.has(agent.id));
  const call = { channel: 'voice', skills: [] };
  const strategy = (team?.routing_strategy as RoutingStrategy | undefined) ?? 'longest_idle';
  const chosen = chooseAgent(strategy === 'pull' ? 'longest_idle' : strategy, call, withPhone.filter((agent) => canTake(agent, call)));
  return chosen ? { id: chosen.id, phone: phoneOf.get(chosen.id)! } : undefined;
}
