import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { isUniqueViolation } from '../../src/db/rows.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The error a statement fails with (it must fail). */
async function failureOf(statement: Promise<unknown>): Promise<unknown> {
  try {
    await statement;
  } catch (error) {
    return error;
  }
  throw new Error('The statement did not fail');
}

// Each driver words a violation its own way (PostgreSQL's 23505, better-sqlite3's extended result
// codes, sqlite3's SQLITE_CONSTRAINT and a message): runs on the suite's database and driver.
describe('isUniqueViolation', () => {
  let database: TestDatabase;
  let db: Knex;
  before(async () => {
    database = await createTestDatabase();
    db = openTestDatabase(database);
    await db.schema.createTable('owners', (table) => {
      table.string('slug', 20).primary();
    });
    await db.schema.createTable('things', (table) => {
      table.increments('id');
      table.string('name').notNullable().unique();
      table.string('owner').references('slug').inTable('owners');
    });
    await db('owners').insert({ slug: 'front-desk' });
    await db('things').insert({ name: 'satu', owner: 'front-desk' });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('recognises a unique or primary key violation', async () => {
    expect(isUniqueViolation(await failureOf(db('things').insert({ name: 'satu' })))).to.equal(true);
    expect(isUniqueViolation(await failureOf(db('owners').insert({ slug: 'front-desk' })))).to.equal(true);
  });

  it('tells it from the other constraints', async () => {
    expect(isUniqueViolation(await failureOf(db('things').insert({ name: 'dua', owner: 'nobody' })))).to.equal(false);
    expect(isUniqueViolation(await failureOf(db('things').insert({ owner: 'front-desk' })))).to.equal(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).to.equal(false);
  });
});
