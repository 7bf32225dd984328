import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { readInstallationId } from '../../src/queue/installation-id.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';

// Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL (npm run test:postgres).
describe('installation id', () => {
  const databases: TestDatabase[] = [];
  const handles: Knex[] = [];
  async function open(database?: TestDatabase): Promise<{ database: TestDatabase; db: Knex }> {
    const chosen = database ?? (await createTestDatabase());
    if (!database) databases.push(chosen);
    const db = openTestDatabase(chosen);
    handles.push(db);
    return { database: chosen, db };
  }
  after(async () => {
    await Promise.all(handles.map((handle) => handle.destroy()));
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('is drawn once, when the database is created, and stays what every later start reads', async () => {
    const { database, db } = await open();
    await migrateToLatest(db);
    const id = await readInstallationId(db);
    expect(id).to.match(/^[0-9a-f]{16}$/);
    expect(await migrateToLatest(db)).to.deep.equal([]);
    const { db: again } = await open(database);
    await migrateToLatest(again);
    expect(await readInstallationId(again)).to.equal(id);
    expect(await db('settings').where({ key: 'installation_id' }).count({ n: '*' }).first()).to.satisfy(
      (row: { n: unknown }) => Number(row.n) === 1,
    );
  });

  it('differs from one database to the next', async () => {
    const ids = [];
    for (let index = 0; index < 2; index += 1) {
      const { db } = await open();
      await migrateToLatest(db);
      ids.push(await readInstallationId(db));
    }
    expect(ids[0]).to.not.equal(ids[1]);
  });
});
