import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AuthenticatedAgent } from '../../src/auth/tokens.js';
import { listTickets } from '../../src/tickets/ticket-queries.js';
import { scratchSqlitePerTest } from '../support/scratch-sqlite.js';

const TEAMS = 5;
const TICKETS = 20_000;

/**
 * An agent's first page of tickets, newest first (the console's "all" view), must not read and sort
 * all of their team's tickets: at a million tickets that took 0.9 s a page, and one open console
 * reloading it on every event held up webhooks (the console bench). The plan, not a timing: the
 * team is a value in the query and (team_id, id) is walked newest first (migration 0026).
 */
describe("An agent's newest-first ticket list: its query plan on SQLite", () => {
  const scratch = scratchSqlitePerTest();

  async function seed(db: Knex): Promise<{ agentId: number; teamIds: number[] }> {
    await migrateToLatest(db);
    const at = new Date('2026-11-02T02:00:00Z').toISOString();
    const teamIds: number[] = [];
    for (let team = 0; team < TEAMS; team++) {
      const [row] = await db('teams')
        .insert({ slug: `tim-${team}`, name: `Tim ${team}`, created_at: at })
        .returning('id');
      teamIds.push(Number((row as { id: number }).id ?? row));
    }
    const [contact] = await db('contacts')
      .insert({ display_name: 'Warga', language: 'id', created_at: at, updated_at: at })
      .returning('id');
    const contactId = Number((contact as { id: number }).id ?? contact);
    await db.raw(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${TICKETS}) ` +
        `insert into tickets (reference, contact_id, channel, subject, priority, status, team_id, confidential, anonymous, language, created_at, updated_at, last_message_at) ` +
        `select cast(100000000 + i as text), ?, 'sms', 'Izin usaha', 'normal', 'closed', ? + (i % ${TEAMS}), 0, 0, 'id', ?, ?, ? from n`,
      [contactId, teamIds[0]!, at, at, at],
    );
    const [agent] = await db('agents')
      .insert({
        email: 'sari@example.go.id',
        name: 'Sari',
        role: 'agent',
        password_hash: 'x',
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const agentId = Number((agent as { id: number }).id ?? agent);
    return { agentId, teamIds };
  }

  async function planOfFirstPage(db: Knex, agentId: number): Promise<string> {
    await db.raw('PRAGMA optimize = 0x10002'); // the statistics the server's connection gathers
    const queries: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
    const record = (query: { sql: string; bindings: Knex.RawBinding[] }) => queries.push(query);
    db.on('query', record);
    const agent = { id: agentId, role: 'agent', name: 'Sari' } as AuthenticatedAgent;
    const page = await listTickets(db, agent, { limit: 50 } as Parameters<typeof listTickets>[2], 'SP');
    db.off('query', record);
    expect(page.data).to.have.length.greaterThan(0);
    const list = queries.find(
      (query) => /from `tickets` as `t`/.test(query.sql) && /order by `t`.`id` desc/.test(query.sql),
    )!;
    const plan = (await db.raw(`explain query plan ${list.sql}`, list.bindings)) as Array<{ detail: string }>;
    return plan.map((row) => row.detail).join('; ');
  }

  it('walks the one team newest first and sorts nothing', async () => {
    const { db } = scratch;
    const { agentId, teamIds } = await seed(db);
    await db('agent_teams').insert({ agent_id: agentId, team_id: teamIds[2] });
    const plan = await planOfFirstPage(db, agentId);
    expect(plan).to.include('tickets_team_newest_idx').and.not.include('TEMP B-TREE');
  });
});
