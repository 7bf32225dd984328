import type { Knex } from 'knex';
import { availableAgents, type AgentState } from '../routing/routing-state.js';
import { canTake, chooseAgent } from '../routing/strategies.js';
import type { RoutingStrategy } from '../teams/team-directory.js';

/** Task statuses that hold one of the assignee's voice slots. */
export const TASK_LOAD_STATUSES = ['open', 'calling'] as const;

export interface VoiceAgent {
  id: number;
  phone: string;
}

/**
 * Who of a team can take a call now: the routing engine's own eligibility (active, available,
 * a free slot on the voice channel by its capacities and loads), with call-back tasks counted
 * against the voice capacity too, and a phone to ring. The team's strategy picks among them
 * (longest idle for a team that pulls its work). Undefined when nobody can.
 */
export async function chooseVoiceAgent(db: Knex, teamId: number): Promise<VoiceAgent | undefined> {
  const [agents, team] = await Promise.all([availableAgents(db, teamId), db('teams').where({ id: teamId }).first('routing_strategy')]);
  if (agents.length === 0) return undefined;
  const ids = agents.map((agent) => agent.id);
  const [phones, tasks] = await Promise.all([
    db('agents').whereIn('id', ids).whereNotNull('phone').select('id', 'phone'),
    db('tasks').whereIn('assignee_id', ids).whereIn('status', TASK_LOAD_STATUSES).groupBy('assignee_id').select('assignee_id').count({ n: '*' }) as unknown as Promise<
      Array<{ assignee_id: number; n: number | string }>
    >,
  ]);
  const phoneOf = new Map(phones.map((row) => [Number(row.id), String(row.phone)]));
  const withPhone: AgentState[] = agents.filter((agent) => phoneOf.has(agent.id));
  for (const row of tasks) {
    const agent = withPhone.find((candidate) => candidate.id === Number(row.assignee_id));
    if (agent) agent.load.voice = (agent.load.voice ?? 0) + Number(row.n);
  }
  const call = { id: 0, updatedAt: new Date(0), teamId, contactId: 0, channel: 'voice', skills: [] };
  const strategy = (team?.routing_strategy as RoutingStrategy | undefined) ?? 'longest_idle';
  const chosen = chooseAgent(strategy === 'pull' ? 'longest_idle' : strategy, call, withPhone.filter((agent) => canTake(agent, call)));
  return chosen ? { id: chosen.id, phone: phoneOf.get(chosen.id)! } : undefined;
}
