import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { TicketEventInput } from '../../src/tickets/events.js';
import { type TicketChange, type TicketSubscriber, TicketUnitOfWork } from '../../src/tickets/unit-of-work.js';
import { seedTicket } from '../support/metrics-fixtures.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('The ticket unit of work (src/tickets/unit-of-work.ts)', () => {
  let database: TestDatabase;
  let db: Knex;
  let ticketId: number;
  const at = new Date('2026-12-01T02:00:00Z');
  // Events of made-up types: the unit of work passes any event through as it is.
  const note = (type: string): TicketEventInput =>
    ({ ticketId, type, actorType: 'system', data: {}, at }) as unknown as TicketEventInput;

  before(async () => {
    database = await createTestDatabase();
    db = openTestDatabase(database);
    await migrateToLatest(db);
    const team = Number((await db('teams').where({ slug: 'front-desk' }).first('id')).id);
    ({ id: ticketId } = await seedTicket(db, { team, channel: 'sms', status: 'open', createdAt: at }));
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /** A subscriber that writes down what it saw, and when, in `log`. */
  function recorder(log: string[]): TicketSubscriber & { changes: TicketChange[] } {
    const changes: TicketChange[] = [];
    return {
      changes,
      async inTransaction(trx, change) {
        // Inside the transaction: the command's own write is visible through it.
        const { subject } = await trx('tickets').where({ id: ticketId }).first('subject');
        log.push(`in: ${change.events.map((event) => event.type).join(',')} (${subject})`);
        return async () => void log.push('effect');
      },
      async afterCommit(change) {
        changes.push(change);
        log.push('after');
      },
    };
  }

  it('runs the subscribers inside the transaction on every event the work appended, then the effects once committed', async () => {
    const log: string[] = [];
    const subscriber = recorder(log);
    const work = new TicketUnitOfWork(db, [subscriber]);
    const value = await work.run(at, async (tx) => {
      await tx.trx('tickets').where({ id: ticketId }).update({ subject: 'changed' });
      await tx.append([note('first')]);
      await tx.append([note('second'), note('third')]);
      log.push('work done');
      return 42;
    });
    expect(value).to.equal(42);
    expect(log).to.deep.equal(['work done', 'in: first,second,third (changed)', 'effect', 'after']);
    const stored = await db('ticket_events').where({ ticket_id: ticketId }).orderBy('id').pluck('type');
    expect(stored.slice(-3)).to.deep.equal(['first', 'second', 'third']);
    expect(subscriber.changes[0]!.events.map((event) => event.type)).to.deep.equal(['first', 'second', 'third']);
  });

  it("runs the caller's committed step with the work's result once committed, before the subscribers' effects", async () => {
    const log: string[] = [];
    const work = new TicketUnitOfWork(db, [recorder(log)]);
    await work.run(
      at,
      async (tx) => {
        await tx.append([note('queued')]);
        return 'result';
      },
      async (value) => {
        // After the commit, and before the subscribers' effects.
        log.push(`committed: ${value}`);
      },
    );
    expect(log).to.deep.equal(['in: queued (changed)', 'committed: result', 'effect', 'after']);
  });

  it('runs no effect and keeps no event when the work fails: the transaction rolls back', async () => {
    const log: string[] = [];
    const work = new TicketUnitOfWork(db, [recorder(log)]);
    const before = await db('ticket_events').count({ n: '*' }).first();
    const failing = work.run(at, async (tx) => {
      await tx.append([note('lost')]);
      throw new Error('refused');
    });
    await failing.then(
      () => expect.fail('the work should have failed'),
      (error: Error) => expect(error.message).to.equal('refused'),
    );
    expect(log).to.deep.equal([]);
    expect(await db('ticket_events').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('gives the subscribers the events once: those flushed during the work, then only the rest', async () => {
    const log: string[] = [];
    const work = new TicketUnitOfWork(db, [recorder(log)]);
    await work.run(at, async (tx) => {
      await tx.append([note('extended')]);
      await tx.flush();
      log.push('read after flush');
      await tx.append([note('notified')]);
    });
    expect(log).to.deep.equal([
      'in: extended (changed)',
      'read after flush',
      'in: notified (changed)',
      'effect',
      'effect',
      'after',
    ]);
  });

  it('tells the after-commit subscribers each queued ticket and freed agent once, never a null', async () => {
    const subscriber = recorder([]);
    const work = new TicketUnitOfWork(db, [subscriber]);
    await work.run(at, async (tx) => {
      tx.ticketsQueued([ticketId, ticketId]);
      tx.capacityFreed([7, null, 7, 8]);
    });
    const change = subscriber.changes[0]!;
    expect(change.queuedTicketIds).to.deep.equal([ticketId]);
    expect(change.freedAgentIds).to.deep.equal([7, 8]);
    expect(change.events).to.deep.equal([]);
  });
});
