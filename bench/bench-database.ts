import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { createDatabase, type Knex } from '../src/db/knex.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  /** Settings for a server process: DATA_DIR for SQLite, DATABASE_URL + DATABASE_SCHEMA for PostgreSQL. */
  env: Record<string, string>;
  /** A knex on the same database (the server's own settings) for the bench's read-only queries. */
  open(sqliteFileName: string): Knex;
  drop(): Promise<void>;
}

export const postgresUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The server's connections as README's "Running at scale" advises for data in memory or on SSD:
 * random_page_cost 1.1 (PostgreSQL's default, 4, prices a spinning disk), passed in DATABASE_URL.
 */
const withPlannerSettings = (url: string): string =>
  `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c random_page_cost=1.1')}`;

/**
 * A fresh, empty database for one server under test, so that no run inherits another's rows or
 * indexes: a new temp directory for SQLite, a new schema for PostgreSQL. Both are removed by drop().
 */
export async function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  if (kind === 'postgres') {
    const url = postgresUrl();
    const schema = `sp_bench_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw('create schema ??', [schema]).finally(() => admin.destroy());
    return {
      env: { DATABASE_URL: withPlannerSettings(url), DATABASE_SCHEMA: schema },
      open: () => createDatabase({ url: withPlannerSettings(url), schema, sqliteFile: '' }),
      async drop() {
        const cleaner = knexFactory({ client: 'pg', connection: url });
        await cleaner.raw('drop schema if exists ?? cascade', [schema]).finally(() => cleaner.destroy());
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-bench-'));
  return {
    env: { DATA_DIR: dataDir },
    open: (sqliteFileName) => createDatabase({ sqliteFile: path.join(dataDir, sqliteFileName) }),
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
