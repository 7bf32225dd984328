import { performance } from 'node:perf_hooks';
import type { Knex } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { assignIfFree } from '../src/routing/assign.js';
import { availableAgents, waitingTickets, type AgentState, type WaitingTicket } from '../src/routing/routing-state.js';
import { chooseAgent } from '../src/routing/strategies.js';
import { routeTeam } from '../src/routing/team-router.js';
import { step } from './progress.js';
import { percentile } from './stats.js';

/**
 * Routing with a deep queue (issue 3): one team on longest idle, 500 available agents (skill
 * 'id', capacity sms 10, WhatsApp 10, email 20), 10,000 new tickets waiting (queued over the last
 * ten hours; sms 40%, WhatsApp 40%, email 20%; a few urgent and high). Measured in the bench's own
 * process, on its own database, with nothing else running:
 *
 * - the snapshot routeTeam reads (agents with skills, capacities and loads; waiting tickets);
 * - pure decisions: chooseAgent over that snapshot, for every waiting ticket, the snapshot updated
 *   after each decision as routeTeam does;
 * - committed assignments: assignIfFree (one transaction each: the guarded UPDATE that also
 *   counts the agent's load, the agent's idle clock, the event), interleaved ticket by ticket
 *   with a baseline of one conditional UPDATE per transaction;
 * - routeTeam itself, a few passes of 500 (the runtime's batch), prefer-previous-agent on.
 */

export const ROUTING_AGENTS = 500;
export const ROUTING_WAITING = 10_000;
const CAPACITY = { sms: 10, whatsapp: 10, email: 20 };
const WARM_UP = 500; // of each kind: the first thousand transactions of a process run visibly slower (JIT)

export interface RoutingFigures {
  snapshot: { agentsMs: number; ticketsMs: number; batchTicketsMs: number; agents: number; tickets: number };
  decisions: { count: number; perSecond: number; p50Us: number; p99Us: number; unassignable: number };
  /** One conditional UPDATE in a transaction: the least a durable assignment costs. */
  baseline: Timing;
  committed: Timing & { lost: number };
  passes: { passes: number; assigned: number; seconds: number; perSecond: number };
}

export interface Timing {
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One team, 500 agents, 10,000 waiting tickets (and a contact each), inserted in bulk. */
export async function seedRoutingDatabase(db: Knex): Promise<number> {
  await migrateToLatest(db);
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo);
  const [team] = await db('teams')
    .insert({
      slug: 'bench-routing',
      name: 'Bench routing',
      routing_strategy: 'longest_idle',
      active: true,
      created_at: at(0),
    })
    .returning('id');
  const teamId = Number(typeof team === 'object' ? team.id : team);

  await db.batchInsert(
    'agents',
    Array.from({ length: ROUTING_AGENTS }, (_, k) => ({
      email: `router${k}@bench.example`,
      name: `Agen ${k}`,
      role: 'agent',
      password_hash: 'scrypt$disabled',
      active: true,
      presence: 'available',
      // Idle for different lengths of time, so longest idle has a real order to keep.
      presence_changed_at: at(((k * 7919) % ROUTING_AGENTS) * 1000 + 60_000),
      created_at: at(86_400_000),
      updated_at: at(86_400_000),
    })),
    250,
  );
  const agentIds = (await db('agents').where('email', 'like', 'router%@bench.example').orderBy('id').pluck('id')).map(
    Number,
  );
  await db.batchInsert(
    'agent_teams',
    agentIds.map((id) => ({ agent_id: id, team_id: teamId })),
    500,
  );
  await db.batchInsert(
    'agent_skills',
    agentIds.map((id) => ({ agent_id: id, skill: 'id' })),
    500,
  );
  await db.batchInsert(
    'agent_capacities',
    agentIds.flatMap((id) =>
      Object.entries(CAPACITY).map(([channel, capacity]) => ({ agent_id: id, channel, capacity })),
    ),
    500,
  );

  await db.batchInsert(
    'contacts',
    Array.from({ length: ROUTING_WAITING }, (_, k) => ({
      display_name: `Warga ${k}`,
      language: 'id',
      created_at: at(36_000_000),
      updated_at: at(36_000_000),
    })),
    500,
  );
  const contactIds = (await db('contacts').orderBy('id').pluck('id')).map(Number);
  const channels = ['sms', 'whatsapp', 'sms', 'whatsapp', 'email'];
  await db.batchInsert(
    'tickets',
    contactIds.map((contactId, k) => {
      const queued = at(36_000_000 - k * 3_600); // one every 3.6 s over ten hours, oldest first
      return {
        reference: String(200_000_000 + k),
        contact_id: contactId,
        channel: channels[k % channels.length],
        subject: `Permohonan izin ${k}`,
        priority: k % 50 === 0 ? 'urgent' : k % 10 === 0 ? 'high' : 'normal',
        status: 'new',
        team_id: teamId,
        assignee_id: null,
        language: 'id',
        created_at: queued,
        updated_at: queued,
        last_message_at: queued,
        queued_at: queued,
      };
    }),
    500,
  );
  return teamId;
}

export async function measureRouting(
  db: Knex,
  teamId: number,
  options: { assignments: number },
): Promise<RoutingFigures> {
  const snapshot = await step('snapshot: available agents, waiting tickets', () => timeSnapshot(db, teamId));
  const decisions = await step('pure decisions, 4 passes', async () =>
    pureDecisions(snapshot.agents, snapshot.tickets),
  );

  // Committed and baseline interleaved, ticket by ticket (oldest first, decided as above), so
  // that whatever else runs on the machine, JIT warm-up and garbage collection fall on both
  // alike: measured one after the other, the second always ran warmer and at another moment.
  // Sequential, as routeTeam commits. After WARM_UP of each; 2,000 tickets are left for routeTeam.
  const agents = structuredClone(snapshot.agents);
  const count = Math.min(options.assignments, Math.floor((snapshot.tickets.length - 2000) / 2) - WARM_UP);
  const queue = snapshot.tickets.slice();
  const { committed, baseline } = await step(
    `committed assignments: ${WARM_UP} + ${count} each, interleaved with the baseline`,
    async () => {
      await assignInterleaved(db, teamId, agents, queue.splice(0, 2 * WARM_UP));
      return assignInterleaved(db, teamId, agents, queue.splice(0, 2 * count));
    },
  );

  // routeTeam as the routing worker runs it, on what is left of the queue.
  const logger = createLogger('silent');
  const settings = { preferPreviousAgent: true, batchSize: 500, voiceProvider: 'twilio-voice' };
  let assigned = 0;
  let passes = 0;
  const started = performance.now();
  await step('routeTeam, up to 4 passes of 500', async () => {
    while (passes < 4) {
      const outcome = await routeTeam(db, teamId, settings, () => new Date(), logger);
      passes += 1;
      assigned += outcome.assigned.length;
      if (outcome.assigned.length === 0) break;
    }
  });
  const seconds = (performance.now() - started) / 1000;

  return {
    snapshot: {
      agentsMs: snapshot.agentsMs,
      ticketsMs: snapshot.ticketsMs,
      batchTicketsMs: snapshot.batchTicketsMs,
      agents: snapshot.agents.length,
      tickets: snapshot.tickets.length,
    },
    decisions,
    baseline,
    committed,
    passes: { passes, assigned, seconds, perSecond: assigned / seconds },
  };
}

async function timeSnapshot(db: Knex, teamId: number) {
  await availableAgents(db, teamId); // warm
  let mark = performance.now();
  const agents = await availableAgents(db, teamId);
  const agentsMs = performance.now() - mark;
  mark = performance.now();
  const tickets = await waitingTickets(db, [teamId], ROUTING_WAITING);
  const ticketsMs = performance.now() - mark;
  mark = performance.now();
  await waitingTickets(db, [teamId], 500);
  const batchTicketsMs = performance.now() - mark;
  return { agents, tickets, agentsMs, ticketsMs, batchTicketsMs };
}

/** What routeTeam does to its snapshot after a committed assignment. */
function take(agent: AgentState, ticket: WaitingTicket, at: number): void {
  agent.load[ticket.channel] = (agent.load[ticket.channel] ?? 0) + 1;
  agent.idleSince = agent.lastAssignedAt = at;
}

/** chooseAgent for every waiting ticket, three times over fresh copies of the snapshot after a warm-up pass. */
function pureDecisions(snapshotAgents: AgentState[], tickets: WaitingTicket[]): RoutingFigures['decisions'] {
  const timings: number[] = [];
  let unassignable = 0;
  let total = 0;
  for (let pass = 0; pass < 4; pass += 1) {
    const agents = structuredClone(snapshotAgents);
    let clock = Date.now();
    const started = performance.now();
    for (const ticket of tickets) {
      const before = performance.now();
      const agent = chooseAgent('longest_idle', ticket, agents);
      const elapsed = performance.now() - before;
      clock += 1;
      if (agent) take(agent, ticket, clock);
      if (pass === 0) continue; // warm-up
      timings.push(elapsed * 1000);
      if (!agent) unassignable += 1;
    }
    if (pass > 0) total += performance.now() - started;
  }
  timings.sort((a, b) => a - b);
  return {
    count: timings.length,
    perSecond: timings.length / (total / 1000),
    p50Us: percentile(timings, 50),
    p99Us: percentile(timings, 99),
    unassignable,
  };
}

/**
 * Every other ticket through assignIfFree, the others through the baseline: one conditional UPDATE
 * in a transaction, the least a durable assignment costs. Both timed around the database call only.
 */
async function assignInterleaved(
  db: Knex,
  teamId: number,
  agents: AgentState[],
  tickets: WaitingTicket[],
): Promise<{ committed: Timing & { lost: number }; baseline: Timing }> {
  const timings = { committed: [] as number[], baseline: [] as number[] };
  const wall = { committed: 0, baseline: 0 };
  let lost = 0;
  for (const [index, ticket] of tickets.entries()) {
    const agent = chooseAgent('longest_idle', ticket, agents);
    if (!agent) continue;
    const at = new Date();
    const kind = index % 2 === 0 ? 'committed' : 'baseline';
    const before = performance.now();
    const ok =
      kind === 'committed'
        ? await assignIfFree(db, {
            ticketId: ticket.id,
            seenUpdatedAt: ticket.updatedAt,
            teamId,
            channel: ticket.channel,
            agentId: agent.id,
            by: { kind: 'routing', strategy: 'longest_idle' },
            at,
          })
        : (await db.transaction((trx) =>
            trx('tickets')
              .where({ id: ticket.id })
              .whereNull('assignee_id')
              .update({ assignee_id: agent.id, assigned_at: at, queued_at: null, status: 'open', updated_at: at }),
          )) === 1;
    const elapsed = performance.now() - before;
    timings[kind].push(elapsed);
    wall[kind] += elapsed;
    if (ok) take(agent, ticket, at.getTime());
    else lost += 1;
  }
  return {
    committed: { ...summarize(timings.committed, wall.committed), lost },
    baseline: summarize(timings.baseline, wall.baseline),
  };
}

function summarize(timings: number[], wallMs: number): Timing {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: sorted.length / (wallMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
