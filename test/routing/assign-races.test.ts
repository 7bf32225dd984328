import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { createDatabase, isPostgres, type Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { insertReturningId } from '../../src/db/rows.js';
import { assignIfFree, hasFreeSlot, type Assignment } from '../../src/routing/assign.js';
import { agentStatesOf, slotChannel } from '../../src/routing/routing-state.js';
import { LONGEST_CALL_MS } from '../../src/voice/live-calls.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// assignIfFree is one guarded statement (plus, on PostgreSQL, a lock on the agent's row first).
// These races hammer it harder than the routing acceptance test can through HTTP: on PostgreSQL
// from separate pools, as separate worker processes would; on SQLite (one process by design) on
// one pool. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL (npm run test:postgres).
describe('assignIfFree under races', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let db: Knex;
  /** One pool per simulated worker on PostgreSQL; the one pool on SQLite. */
  let workers: Knex[];
  let teamId: number;
  let contactId: number;
  let sequence = 0;

  before(async () => {
    database = await createTestDatabase();
    const config = loadConfig(database.env);
    const open = () =>
      createDatabase({
        url: config.DATABASE_URL,
        schema: config.DATABASE_SCHEMA,
        sqliteFile: config.sqliteFile,
        sqliteDriver: config.SQLITE_DRIVER,
      });
    db = open();
    await migrateToLatest(db);
    workers = isPostgres(db) ? Array.from({ length: 6 }, open) : [db];
    teamId = await insertReturningId(db, 'teams', {
      slug: 'balapan',
      name: 'Balapan',
      routing_strategy: 'least_busy',
      active: true,
      created_at: new Date(),
    });
    contactId = await insertReturningId(db, 'contacts', {
      display_name: 'Warga',
      language: 'id',
      created_at: new Date(),
      updated_at: new Date(),
    });
  });

  after(async () => {
    await Promise.all(workers?.filter((worker) => worker !== db).map((worker) => worker.destroy()) ?? []);
    await db?.destroy();
    await database?.drop();
  });

  async function agentWith(capacities: Record<string, number>, presence = 'available'): Promise<number> {
    const now = new Date();
    const id = await insertReturningId(db, 'agents', {
      email: `agen${sequence++}@balapan.example`,
      name: 'Agen',
      role: 'agent',
      password_hash: 'scrypt$disabled',
      active: true,
      presence,
      presence_changed_at: now,
      created_at: now,
      updated_at: now,
    });
    await db('agent_teams').insert({ agent_id: id, team_id: teamId });
    if (Object.keys(capacities).length > 0)
      await db('agent_capacities').insert(
        Object.entries(capacities).map(([channel, capacity]) => ({ agent_id: id, channel, capacity })),
      );
    return id;
  }

  async function waitingTickets(count: number, channel = 'sms'): Promise<Array<{ id: number; updatedAt: Date }>> {
    const at = new Date(Date.now() - 60_000);
    const tickets = [];
    for (let index = 0; index < count; index += 1) {
      const id = await insertReturningId(db, 'tickets', {
        reference: String(300_000_000 + sequence++),
        contact_id: contactId,
        channel,
        subject: 'Antre',
        status: 'new',
        team_id: teamId,
        created_at: at,
        updated_at: at,
        queued_at: at,
      });
      tickets.push({ id, updatedAt: at });
    }
    return tickets;
  }

  const assignment = (ticket: { id: number; updatedAt: Date }, agentId: number, channel = 'sms'): Assignment => ({
    ticketId: ticket.id,
    seenUpdatedAt: ticket.updatedAt,
    teamId,
    channel,
    agentId,
    by: { kind: 'routing', strategy: 'least_busy' },
    at: new Date(),
  });
  const worker = (index: number) => workers[index % workers.length]!;

  it('never fills an agent beyond their capacity, whatever the number of simultaneous assignments', async () => {
    const agentId = await agentWith({ sms: 3 });
    const tickets = await waitingTickets(24);
    const results = await Promise.all(
      tickets.map((ticket, index) => assignIfFree(worker(index), assignment(ticket, agentId))),
    );
    expect(results.filter(Boolean)).to.have.length(3);
    const held = await db('tickets').where({ assignee_id: agentId }).pluck('id');
    expect(held).to.have.length(3);
    expect(
      await db('ticket_events').whereIn('ticket_id', held).where({ type: 'assigned' }).pluck('ticket_id'),
    ).to.have.members(held);
  });

  it('never gives one ticket to two agents, each handed out once, as one event', async () => {
    const agents = await Promise.all([0, 1, 2, 3].map(() => agentWith({ sms: 10 })));
    const tickets = await waitingTickets(8);
    const attempts = tickets.flatMap((ticket) =>
      agents.map((agentId, index) => assignIfFree(worker(index + ticket.id), assignment(ticket, agentId))),
    );
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).to.have.length(tickets.length);
    const rows = await db('tickets')
      .whereIn(
        'id',
        tickets.map((ticket) => ticket.id),
      )
      .select('assignee_id', 'status');
    expect(rows.every((row) => agents.includes(Number(row.assignee_id)) && row.status === 'open')).to.equal(true);
    const events = await db('ticket_events')
      .whereIn(
        'ticket_id',
        tickets.map((ticket) => ticket.id),
      )
      .where({ type: 'assigned' })
      .pluck('ticket_id');
    expect(events.map(Number).sort()).to.deep.equal(tickets.map((ticket) => ticket.id).sort());
  });

  it('uses the default capacity of the channel when the agent has none set, and counts only tickets that hold a slot', async () => {
    const agentId = await agentWith({}); // email defaults to 10
    const [parked] = await waitingTickets(1, 'email');
    expect(await assignIfFree(db, assignment(parked!, agentId, 'email'))).to.equal(true);
    await db('tickets').where({ id: parked!.id }).update({ status: 'pending_citizen' }); // waiting on the citizen frees the slot
    const tickets = await waitingTickets(12, 'email');
    const results = await Promise.all(
      tickets.map((ticket, index) => assignIfFree(worker(index), assignment(ticket, agentId, 'email'))),
    );
    expect(results.filter(Boolean)).to.have.length(10);
  });

  it('does nothing for a ticket changed since routing saw it, or for an agent no longer available', async () => {
    const agentId = await agentWith({ sms: 5 });
    const [changed, other] = await waitingTickets(2);
    await db('tickets').where({ id: changed!.id }).update({ updated_at: new Date() });
    expect(await assignIfFree(db, assignment(changed!, agentId))).to.equal(false);
    await db('agents').where({ id: agentId }).update({ presence: 'away' });
    expect(await assignIfFree(db, assignment(other!, agentId))).to.equal(false);
    expect(await assignIfFree(db, { ...assignment(other!, agentId), by: { kind: 'pull' } })).to.equal(true); // pulling is being there
    expect(await db('ticket_events').where({ ticket_id: other!.id }).pluck('type')).to.deep.equal(['claimed']);
    expect(await db('ticket_events').where({ ticket_id: changed!.id }).pluck('type')).to.deep.equal([]);
    const agent = await db('agents').where({ id: agentId }).first('last_assigned_at');
    expect(agent.last_assigned_at).to.not.equal(null);
  });

  it('keeps the voice slot for live conversations: a call-back to make holds it, a voicemail ticket takes an SMS slot', async () => {
    const agentId = await agentWith({ voice: 1, sms: 1 });
    const [voicemail, secondVoicemail] = await waitingTickets(2, 'voice');
    const now = new Date();
    const taskId = await insertReturningId(db, 'tasks', {
      kind: 'callback',
      ticket_id: voicemail!.id,
      team_id: teamId,
      phone: '+6281234500000',
      reason: 'abandoned',
      due_at: now,
      assignee_id: agentId,
      status: 'open',
      attempts: 0,
      requests: 1,
      created_at: now,
      updated_at: now,
    });
    let [state] = await agentStatesOf(db, [agentId]);
    expect(state!.load).to.deep.equal({ voice: 1 });
    // The call-back holds the one voice slot; the voicemail is answered by SMS and takes an SMS slot.
    expect(slotChannel('voice')).to.equal('sms');
    expect(await assignIfFree(db, assignment(voicemail!, agentId, slotChannel('voice')))).to.equal(true);
    [state] = await agentStatesOf(db, [agentId]);
    expect(state!.load).to.deep.equal({ voice: 1, sms: 1 });
    // The SMS slot is full now: the second voicemail waits, whatever the voice slot says.
    expect(await assignIfFree(db, assignment(secondVoicemail!, agentId, slotChannel('voice')))).to.equal(false);
    // A second call-back would not fit the voice slot either, until the first is done.
    const voiceSlotFree = async () =>
      Boolean(
        await db('agents')
          .where({ id: agentId })
          .where(hasFreeSlot(db as unknown as Knex.Transaction, agentId, 'voice', new Date()))
          .first('id'),
      );
    expect(await voiceSlotFree()).to.equal(false);
    await db('tasks').where({ id: taskId }).update({ status: 'done' });
    expect(await voiceSlotFree()).to.equal(true);
    // A call put through to the agent holds the slot while it lasts, as routing's loads show.
    const started = new Date();
    await db('calls').insert({
      call_sid: `CA${'7'.repeat(32)}`,
      direction: 'inbound',
      status: 'in-progress',
      outcome: 'agent_dialled',
      agent_id: agentId,
      started_at: started,
      updated_at: started,
    });
    expect(await voiceSlotFree()).to.equal(false);
    [state] = await agentStatesOf(db, [agentId]);
    expect(state!.load).to.deep.equal({ voice: 1, sms: 1 });
    await db('calls').where({ agent_id: agentId }).update({ ended_at: new Date(), outcome: 'agent_connected' });
    expect(await voiceSlotFree()).to.equal(true);
    // A call whose end Twilio never reported stops counting after the longest call there is.
    await db('calls')
      .where({ agent_id: agentId })
      .update({
        ended_at: null,
        outcome: 'agent_dialled',
        started_at: new Date(Date.now() - LONGEST_CALL_MS - 60_000),
      });
    expect(await voiceSlotFree()).to.equal(true);
  });
});
