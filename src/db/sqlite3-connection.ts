import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { ANALYSIS_ROWS_PER_INDEX, immediateBegin } from './sqlite-client.js';

const Sqlite3Client = createRequire(import.meta.url)('knex/lib/dialects/sqlite3/index.js') as new (
  config: Knex.Config,
) => { _query(connection: unknown, query: { sql: string }): Promise<unknown> };

/** knex's sqlite3 client with transactions begun IMMEDIATE, as ServerSqliteClient begins them (sqlite-client.ts). */
export class Sqlite3ImmediateClient extends Sqlite3Client {
  override _query(connection: unknown, query: { sql: string }): Promise<unknown> {
    query.sql = immediateBegin(query.sql);
    return super._query(connection, query);
  }
}

/** The part of a node-sqlite3 Database this file uses (the package is optional, so not imported). */
interface Sqlite3Database {
  exec(sql: string, done: (error: Error | null) => void): unknown;
}

const exec = (connection: Sqlite3Database, sql: string) =>
  new Promise<void>((resolve, reject) => connection.exec(sql, (error) => (error ? reject(error) : resolve())));

/**
 * SQLITE_DRIVER=sqlite3: knex's own sqlite3 client, each connection set up as ServerSqliteClient
 * sets up better-sqlite3's (sqlite-client.ts): WAL, synchronous NORMAL, foreign keys, a busy
 * timeout for the other processes on the file, planner statistics brought up to date. Without the
 * checkpoint thread and the statement cache, which are better-sqlite3's: SQLite checkpoints by
 * itself inside commits (wal_autocheckpoint at its default), as it does for any application.
 *
 * For a platform where better-sqlite3 has no build; slower per transaction (knex.ts).
 */
export async function configureSqlite3Connection(connection: Sqlite3Database): Promise<void> {
  await exec(
    connection,
    [
      'pragma journal_mode = WAL',
      'pragma synchronous = NORMAL',
      'pragma foreign_keys = ON',
      'pragma busy_timeout = 5000',
      `pragma analysis_limit = ${ANALYSIS_ROWS_PER_INDEX}`,
    ].join(';\n'),
  );
  // Statistics are an optimisation: busy past the timeout, or a read-only file, and the hourly pass
  // tries again (planner-statistics.ts).
  await exec(connection, 'pragma optimize = 0x10002').catch(() => undefined);
}
