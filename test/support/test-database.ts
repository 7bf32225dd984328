import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { createDatabase, type Knex, type SqliteDriver } from '../../src/db/knex.js';

export interface TestDatabase {
  /** Settings for Satu Pintu's config: DATABASE_URL + DATABASE_SCHEMA, or a DATA_DIR for SQLite. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * The SQLite driver the suite runs on: better-sqlite3, or with TEST_SQLITE_DRIVER=sqlite3 (npm run
 * test:sqlite3) knex's own sqlite3 client.
 */
export function testSqliteDriver(): SqliteDriver {
  const driver = process.env.TEST_SQLITE_DRIVER ?? 'better-sqlite3';
  if (driver !== 'better-sqlite3' && driver !== 'sqlite3')
    throw new Error(`TEST_SQLITE_DRIVER must be better-sqlite3 or sqlite3, not ${driver}`);
  return driver;
}

/**
 * A fresh, empty database for one test suite: a new SQLite file (on testSqliteDriver()), or, when
 * TEST_DATABASE_URL is set (npm run test:postgres), a new PostgreSQL schema dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `sp_test_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw('create schema ??', [schema]);
    await admin.destroy();
    return {
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      async drop() {
        const cleaner = knexFactory({ client: 'pg', connection: url });
        await cleaner.raw('drop schema if exists ?? cascade', [schema]);
        await cleaner.destroy();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-test-'));
  return {
    env: { DATA_DIR: dataDir, SQLITE_DRIVER: testSqliteDriver() },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A knex handle on a test database as one process of the installation opens it (the suite's driver). */
export function openTestDatabase(database: TestDatabase): Knex {
  const { DATABASE_URL, DATABASE_SCHEMA, DATA_DIR } = database.env;
  return createDatabase({
    url: DATABASE_URL,
    schema: DATABASE_SCHEMA,
    sqliteFile: path.join(DATA_DIR ?? '.', 'satu-pintu.sqlite'),
    sqliteDriver: testSqliteDriver(),
  });
}
