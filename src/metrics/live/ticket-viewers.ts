import type { Redis } from 'ioredis';

/** What an agent is doing on a ticket, as their console tells every few seconds. */
export const VIEWER_ACTIVITIES = ['viewing', 'replying'] as const;
export type ViewerActivity = (typeof VIEWER_ACTIVITIES)[number];

/** A console that stopped telling (closed, crashed, offline) is forgotten after this long. */
export const VIEWER_TTL_MS = 30_000;

export interface TicketViewer {
  agent_id: number;
  name: string;
  activity: ViewerActivity;
  /** When their console last told. */
  seen_at: string;
}

/**
 * Who has a ticket open right now, and who is writing a reply on it: collision detection ("Sari
 * sedang membalas"). Kept in Redis (one hash per ticket, each field an agent, expiring when nobody
 * tells any more), not in a process: every API process answers the same. Ephemeral on purpose,
 * not the audit trail: looking at a ticket changes nothing on it.
 */
export class TicketViewers {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(ticketId: number): string {
    return `${this.keyPrefix}:viewers:${ticketId}`;
  }

  /** Records the agent's activity on the ticket; answers the other agents there now. */
  async mark(ticketId: number, agent: { id: number; name: string }, activity: ViewerActivity): Promise<TicketViewer[]> {
    const key = this.key(ticketId);
    const at = this.now();
    const entry = JSON.stringify({ name: agent.name, activity, at: at.toISOString() });
    const answer = await this.redis
      .multi()
      .hset(key, String(agent.id), entry)
      .pexpire(key, VIEWER_TTL_MS)
      .hgetall(key)
      .exec();
    const all = (answer?.[2]?.[1] ?? {}) as Record<string, string>;
    const others: TicketViewer[] = [];
    const stale: string[] = [];
    for (const [field, value] of Object.entries(all)) {
      if (Number(field) === agent.id) continue;
      const viewer = parse(field, value);
      if (viewer && at.getTime() - Date.parse(viewer.seen_at) < VIEWER_TTL_MS) others.push(viewer);
      else stale.push(field);
    }
    if (stale.length > 0) await this.redis.hdel(key, ...stale);
    return others.sort((a, b) => a.agent_id - b.agent_id);
  }

  /** The agent closed the ticket: gone at once rather than after the TTL. */
  async leave(ticketId: number, agentId: number): Promise<void> {
    await this.redis.hdel(this.key(ticketId), String(agentId));
  }
}

function parse(field: string, value: string): TicketViewer | undefined {
  try {
    const entry = JSON.parse(value) as { name?: unknown; activity?: unknown; at?: unknown };
    if (typeof entry.name !== 'string' || typeof entry.at !== 'string') return undefined;
    if (!(VIEWER_ACTIVITIES as readonly unknown[]).includes(entry.activity)) return undefined;
    return {
      agent_id: Number(field),
      name: entry.name,
      activity: entry.activity as ViewerActivity,
      seen_at: entry.at,
    };
  } catch {
    return undefined;
  }
}
