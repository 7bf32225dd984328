import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';

export interface TestDatabase {
  /** Settings for Satu Pintu's config: DATABASE_URL + DATABASE_SCHEMA, or a DATA_DIR for SQLite. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test suite: a new SQLite file, or, when TEST_DATABASE_URL is
 * set (npm run test:postgres), a new PostgreSQL schema dropped afterwards.
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
    env: { DATA_DIR: dataDir },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
