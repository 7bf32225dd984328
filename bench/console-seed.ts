import { issueToken } from '../src/auth/tokens.js';
import type { Knex } from '../src/db/knex.js';
import { WAITING_STATUSES } from '../src/routing/routing-state.js';
import type { ListingSeed } from './listing-seed.js';

/**
 * The console's benchmark on top of the listing seed (bench/listing-seed.ts): exactly `waiting`
 * tickets waiting, unassigned, in the team of the bench's agent (the front desk), every agent
 * offline (the server runs ROLE=all so that webhooks become tickets, and routing must not take the
 * waiting ones while the page is timed), and API tokens for the event streams.
 */

export interface ConsoleSeed {
  /** Tickets waiting unassigned in the front desk after the changes (= the target). */
  waiting: number;
  /** How the target was reached: tickets of other teams moved in, finished tickets made new again. */
  moved: number;
  reopened: number;
  /** One token per stream, spread over the front desk's agents (LIVE_STREAMS_PER_TOKEN allows 5 each). */
  streamTokens: string[];
  /** Agents the stream tokens belong to (all of the front desk). */
  streamAgents: number;
  seconds: number;
}

const TOKEN_TTL_HOURS = 12;

export async function prepareConsoleSeed(
  db: Knex,
  seed: ListingSeed,
  options: { waiting: number; streams: number },
): Promise<ConsoleSeed> {
  const started = Date.now();
  const team = seed.agent.teamId;
  const waitingStatuses = [...WAITING_STATUSES];
  const countWaiting = async () =>
    Number(
      (
        await db('tickets')
          .where({ team_id: team })
          .whereIn('status', waitingStatuses)
          .whereNull('assignee_id')
          .count({ n: '*' })
          .first()
      )?.n,
    );

  let moved = 0;
  let reopened = 0;
  let waiting = await countWaiting();
  if (waiting < options.waiting) {
    // Other teams' newest waiting tickets join the front desk.
    const ids = db('tickets')
      .whereNot({ team_id: team })
      .whereIn('status', waitingStatuses)
      .whereNull('assignee_id')
      .orderBy('id', 'desc')
      .limit(options.waiting - waiting)
      .select('id');
    moved = await db('tickets').whereIn('id', ids).update({ team_id: team });
    waiting += moved;
  }
  if (waiting < options.waiting) {
    // Still short (a small seed): the newest finished tickets become new ones of the front desk.
    const ids = db('tickets')
      .whereIn('status', ['resolved', 'closed'])
      .orderBy('id', 'desc')
      .limit(options.waiting - waiting)
      .select('id');
    reopened = await db('tickets')
      .whereIn('id', ids)
      .update({
        status: 'new',
        team_id: team,
        assignee_id: null,
        assigned_at: null,
        first_response_at: null,
        resolved_at: null,
        closed_at: null,
        queued_at: db.ref('created_at'),
      });
    waiting += reopened;
  }
  if (waiting > options.waiting) {
    // A seed larger than the default: the oldest of the extra go to the next team.
    const ids = db('tickets')
      .where({ team_id: team })
      .whereIn('status', waitingStatuses)
      .whereNull('assignee_id')
      .orderBy('id', 'asc')
      .limit(waiting - options.waiting)
      .select('id');
    await db('tickets')
      .whereIn('id', ids)
      .update({ team_id: team + 1 });
  }
  waiting = await countWaiting();
  if (waiting !== options.waiting)
    throw new Error(`console seed: ${waiting} tickets waiting in the front desk, not ${options.waiting}`);

  // Nobody available: routing (ROLE=all) leaves the queue as seeded, and new tickets wait in it.
  await db('agents').update({ presence: 'offline' });

  const agents = (await db('agent_teams').where({ team_id: team }).orderBy('agent_id').pluck('agent_id')).map(Number);
  const now = new Date();
  const streamTokens: string[] = [];
  await db.transaction(async (trx) => {
    for (let index = 0; index < options.streams; index += 1) {
      const { token } = await issueToken(trx, agents[index % agents.length]!, TOKEN_TTL_HOURS, now);
      streamTokens.push(token);
    }
  });
  return {
    waiting,
    moved,
    reopened,
    streamTokens,
    streamAgents: agents.length,
    seconds: (Date.now() - started) / 1000,
  };
}
