import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { plannerStatisticsTask } from '../../src/db/planner-statistics.js';
import { createLogger } from '../../src/logger.js';
import { scratchSqlitePerTest } from '../support/scratch-sqlite.js';

// The embedded database's planner statistics, whichever database the rest of the suite runs on.
describe('SQLite planner statistics', () => {
  const scratch = scratchSqlitePerTest();

  // The shape of a search for an old case: a status most rows have, and the few ids the full-text
  // index named, newest first.
  const searchClosed =
    'select id from cases where status = ? and id in (select case_id from hits) order by id desc limit 50';
  const plan = async (database: Knex) =>
    ((await database.raw(`explain query plan ${searchClosed}`, ['closed'])) as Array<{ detail: string }>)
      .map((row) => row.detail)
      .join('; ');

  async function fillCases(database: Knex): Promise<void> {
    await database.schema.createTable('cases', (table) => {
      table.increments('id');
      table.string('status').index('cases_status');
    });
    await database.schema.createTable('hits', (table) => table.integer('case_id'));
    await database.batchInsert(
      'cases',
      Array.from({ length: 20_000 }, (_, k) => ({ status: k % 20 === 0 ? 'open' : 'closed' })),
      500,
    );
    await database.batchInsert(
      'hits',
      Array.from({ length: 200 }, (_, k) => ({ case_id: k * 7 + 1 })),
      200,
    );
  }

  it('refreshes statistics as tables grow, so that a common status no longer drives the search', async () => {
    const { db } = scratch;
    await fillCases(db);
    expect(await plan(db)).to.include('INDEX cases_status');

    const task = plannerStatisticsTask(db, createLogger('silent'));
    await task!.runOnce();

    expect(await plan(db))
      .to.include('USING INTEGER PRIMARY KEY')
      .and.not.include('cases_status');
    expect(
      await db('cases')
        .where({ status: 'closed' })
        .whereIn('id', db('hits').select('case_id'))
        .count({ count: '*' })
        .first(),
    ).to.deep.equal({ count: 190 });
  });

  it('gathers statistics when a connection opens on a database that grew without them', async () => {
    await fillCases(scratch.db);
    const db = await scratch.reopen();
    expect(await db('sqlite_stat1').where({ tbl: 'cases' }).pluck('idx')).to.include('cases_status');
    expect(await plan(db)).to.include('USING INTEGER PRIMARY KEY');
  });
});
