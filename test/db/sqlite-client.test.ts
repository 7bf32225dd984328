import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import {
  BACKSTOP_CHECKPOINT_PAGES,
  DEFAULT_CHECKPOINT_PAGES,
  startWalCheckpointer,
} from '../../src/db/wal-checkpointer.js';
import { scratchSqlitePerTest } from '../support/scratch-sqlite.js';
import { testSqliteDriver } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

// The embedded database's own connection, whichever database the rest of the suite runs on, on the
// suite's SQLite driver: better-sqlite3 (src/db/sqlite-client.ts), or with TEST_SQLITE_DRIVER=sqlite3
// knex's sqlite3 client (src/db/sqlite3-connection.ts). What only one driver has is tested on it
// alone: the blocks registered depend on the driver, so no run has a pending test.
const driver = testSqliteDriver();

/** Writes about 2,500 pages of 4 KiB: past SQLite's default checkpoint threshold (1,000 pages). */
async function writePages(db: Knex): Promise<number> {
  await db.schema.createTable('pages', (table) => {
    table.increments('id');
    table.binary('filler');
  });
  await db.batchInsert(
    'pages',
    Array.from({ length: 2_500 }, () => ({ filler: Buffer.alloc(3_000, 7) })),
    250,
  );
  return 2_500 * 3_000;
}

describe(`SQLite connection (${driver})`, () => {
  const scratch = scratchSqlitePerTest();
  let db: Knex;
  let file: string;

  beforeEach(() => {
    ({ db, file } = scratch);
  });

  it('runs in WAL mode, synchronous NORMAL, with foreign keys on, waiting for other writers off the event loop', async () => {
    const [journal] = await db.raw('pragma journal_mode');
    const [foreignKeys] = await db.raw('pragma foreign_keys');
    const [synchronous] = await db.raw('pragma synchronous');
    const [busy] = await db.raw('pragma busy_timeout');
    expect(journal.journal_mode).to.equal('wal');
    expect(foreignKeys.foreign_keys).to.equal(1);
    expect(synchronous.synchronous).to.equal(1); // NORMAL
    // better-sqlite3 runs on the event loop's thread, where SQLite's busy handler would sleep: it
    // waits on a timer instead (src/db/sqlite-busy-retry.ts). sqlite3 waits on a thread of its pool.
    expect(busy.timeout).to.equal(driver === 'better-sqlite3' ? 0 : 5000);
  });

  it('begins a transaction IMMEDIATE: the write lock is taken at BEGIN, before any statement', async () => {
    // ROLE=all's worker child writes the same file: a deferred transaction that read first could
    // not take the lock later without failing SQLITE_BUSY at once (src/queue/embedded/worker-supervisor.ts).
    await db.schema.createTable('counters', (table) => table.increments('id'));
    // A second connection of the same driver (two SQLite libraries in one process do not see each
    // other's locks), answering busy at once instead of waiting.
    const other = createDatabase({ sqliteFile: file, sqliteDriver: driver });
    try {
      await other.raw('pragma busy_timeout = 0');
      let outcome: string | Error | undefined;
      let attempt: Promise<void> | undefined;
      await db.transaction(async (trx) => {
        await trx.raw('select 1');
        attempt = other.raw('BEGIN IMMEDIATE').then(
          () => {
            outcome = 'began';
          },
          (failure: Error) => {
            outcome = failure;
          },
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        // better-sqlite3 tries a busy BEGIN again on a timer (it waits); sqlite3, with no busy
        // timeout, is refused at once. Either way the other connection did not get the lock.
        if (driver === 'better-sqlite3') expect(outcome, 'the other BEGIN waits').to.equal(undefined);
        else expect((outcome as Error | undefined)?.message).to.match(/SQLITE_BUSY|locked/i);
      });
      await attempt;
      if (driver === 'better-sqlite3') {
        expect(outcome, 'the waiting BEGIN got the lock once committed').to.equal('began');
        await other.raw('ROLLBACK');
      }
      await other.raw('BEGIN IMMEDIATE'); // free again once committed
      await other.raw('ROLLBACK');
    } finally {
      await other.destroy();
    }
  });

  it('a write waits its turn while another connection holds the write lock, and the process goes on meanwhile', async () => {
    await db.schema.createTable('counters', (table) => table.increments('id'));
    const other = createDatabase({ sqliteFile: file, sqliteDriver: driver });
    try {
      await other.raw('pragma busy_timeout = 0');
      await other.raw('BEGIN IMMEDIATE');
      let settled = false;
      // INSERT … RETURNING, as the inbox writes: better-sqlite3 runs it as a reader.
      const write = db('counters')
        .insert({})
        .returning('id')
        .finally(() => {
          settled = true;
        });
      // The holder is in this very process: a writer sleeping in SQLite's busy handler on the
      // event loop's thread would keep it from ever committing (and then fail SQLITE_BUSY).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled, 'the write waits for the lock').to.equal(false);
      await other.raw('COMMIT');
      await write;
      expect(await db('counters').count({ count: '*' }).first()).to.deep.equal({ count: 1 });
    } finally {
      await other.destroy();
    }
  });

  it('refuses a row that references nothing', async () => {
    await db.schema.createTable('parents', (table) => table.increments('id'));
    await db.schema.createTable('children', (table) => {
      table.increments('id');
      table.integer('parent_id').references('id').inTable('parents');
    });
    const [parent] = await db('parents').insert({}).returning('id');
    await db('children').insert({ parent_id: parent.id });
    let refused: Error | undefined;
    await db('children')
      .insert({ parent_id: 999 })
      .catch((error: Error) => (refused = error));
    expect(refused?.message).to.match(/FOREIGN KEY constraint failed/);
  });

  if (driver === 'better-sqlite3') {
    it('copies the write-ahead log into the database file on a thread of its own, never inside a commit', async () => {
      const [threshold] = await db.raw('pragma wal_autocheckpoint');
      expect(threshold.wal_autocheckpoint).to.equal(BACKSTOP_CHECKPOINT_PAGES);
      const sizeBefore = fs.statSync(file).size;
      // Past SQLite's default threshold, far below the backstop.
      const written = await writePages(db);
      const sizeAfter = await waitFor('the database file to receive the logged pages', () => {
        const size = fs.statSync(file).size;
        return size >= sizeBefore + written ? size : undefined;
      });
      expect(sizeAfter).to.be.at.least(written);
      expect(await db('pages').count({ count: '*' }).first()).to.deep.equal({ count: 2_500 });
      // Not the main connection's own checkpoint: the thread is alive, so the backstop still holds.
      const [after] = await db.raw('pragma wal_autocheckpoint');
      expect(after.wal_autocheckpoint).to.equal(BACKSTOP_CHECKPOINT_PAGES);
    });
  } else {
    it("goes through knex's sqlite3 client, and SQLite checkpoints the log by itself", async () => {
      // knex's own sqlite3 dialect, subclassed only to begin transactions IMMEDIATE.
      expect(db.client.dialect).to.equal('sqlite3');
      expect(db.client.driverName).to.equal('sqlite3');
      const [threshold] = await db.raw('pragma wal_autocheckpoint');
      expect(threshold.wal_autocheckpoint).to.equal(DEFAULT_CHECKPOINT_PAGES);
      const sizeBefore = fs.statSync(file).size;
      const written = await writePages(db);
      // Inside the commit that crossed the threshold: the file has the pages as soon as it returns.
      expect(fs.statSync(file).size).to.be.at.least(sizeBefore + written);
      expect(await db('pages').count({ count: '*' }).first()).to.deep.equal({ count: 2_500 });
    });
  }

  it('prepares a statement again when the schema under it changes', async () => {
    await db.schema.createTable('notes', (table) => {
      table.increments('id');
      table.string('body');
    });
    await db('notes').insert({ body: 'satu' });
    expect(Object.keys(await db('notes').first())).to.deep.equal(['id', 'body']);
    await db.schema.alterTable('notes', (table) => table.string('language').defaultTo('id'));
    expect(await db('notes').first()).to.deep.equal({ id: 1, body: 'satu', language: 'id' });
  });

  it('answers a repeated statement with its own bindings each time', async () => {
    await db.schema.createTable('numbers', (table) => table.integer('value'));
    await db('numbers').insert([1, 2, 3, 4].map((value) => ({ value })));
    for (const value of [3, 1, 4, 2]) {
      expect(await db('numbers').where({ value }).pluck('value')).to.deep.equal([value]);
    }
    const updated = await db('numbers').where('value', '>', 2).update({ value: 0 });
    expect(updated).to.equal(2);
    expect(await db('numbers').where({ value: 0 }).count({ count: '*' }).first()).to.deep.equal({ count: 2 });
  });
});

// better-sqlite3's own: the sqlite3 driver has no checkpoint thread.
if (driver === 'better-sqlite3')
  describe('WAL checkpoint thread', () => {
    it('reports a thread that cannot open its database, so that the connection checkpoints by itself', async () => {
      const failure = await new Promise<Error>((resolve) => {
        startWalCheckpointer(path.join(os.tmpdir(), 'satu-pintu-no-such-dir', 'missing.sqlite'), resolve);
      });
      expect(failure.message).to.match(/directory does not exist|unable to open|no such file/i);
    });

    it('stops when asked, and a second stop is harmless', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-sqlite-'));
      const db = createDatabase({ sqliteFile: path.join(dataDir, 'db.sqlite') });
      await db.raw('select 1');
      const failures: Error[] = [];
      const checkpointer = startWalCheckpointer(path.join(dataDir, 'db.sqlite'), (error) => failures.push(error));
      await checkpointer.stop();
      await checkpointer.stop();
      expect(failures).to.deep.equal([]);
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
  });
