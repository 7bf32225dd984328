import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from '../logger.js';
import { ServerSqliteClient } from './sqlite-client.js';
import { configureSqlite3Connection, Sqlite3ImmediateClient } from './sqlite3-connection.js';

export type { Knex };

export interface DatabaseSettings {
  /** postgres://… to use PostgreSQL; unset for the embedded SQLite file. */
  url?: string;
  /** PostgreSQL schema to work in (the search path); each test run uses its own. */
  schema?: string;
  sqliteFile: string;
  /** The SQLite driver (SQLITE_DRIVER): better-sqlite3 unless set. */
  sqliteDriver?: SqliteDriver;
  /** Where knex's own warnings go (the console otherwise). */
  logger?: Logger;
}

export type SqliteDriver = 'better-sqlite3' | 'sqlite3';

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/**
 * One knex instance per process. SQLite gets one connection, set up by ServerSqliteClient;
 * PostgreSQL gets a pool and the configured schema.
 *
 * SQLite goes through better-sqlite3, which runs each statement synchronously on the calling
 * thread. The asynchronous sqlite3 driver sends every statement (BEGIN and COMMIT included) through
 * libuv's thread pool and back; with one connection those hops buy no parallelism, and their wake-up
 * latency put a short transaction's p99 at 3 to 5 ms against about 0.3 ms here (bench/README.md).
 * SQLITE_DRIVER=sqlite3 still chooses it, for a platform without a better-sqlite3 build
 * (sqlite3-connection.ts).
 */
export function createDatabase(settings: DatabaseSettings): Knex {
  if (settings.url) {
    return knexFactory({
      client: 'pg',
      log: knexLog(settings.logger),
      connection: settings.url,
      searchPath: settings.schema ? [settings.schema] : undefined,
      pool: {
        min: 0,
        max: 10,
        // Short OLTP queries: JIT compilation, which PostgreSQL starts on a plan's estimated cost
        // alone, took 13 ms to speed up a 13 ms search (bench/README.md, listing).
        afterCreate(
          connection: { query: (sql: string, done: (error?: Error) => void) => void },
          done: (error?: Error) => void,
        ) {
          connection.query('set jit = off', done);
        },
      },
    });
  }
  fs.mkdirSync(path.dirname(settings.sqliteFile), { recursive: true });
  if (settings.sqliteDriver === 'sqlite3') {
    return knexFactory({
      client: Sqlite3ImmediateClient as unknown as typeof Knex.Client,
      log: knexLog(settings.logger),
      connection: { filename: settings.sqliteFile },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(connection: Parameters<typeof configureSqlite3Connection>[0], done: (error?: Error) => void) {
          configureSqlite3Connection(connection).then(() => done(), done);
        },
      },
    });
  }
  return knexFactory({
    client: ServerSqliteClient as unknown as typeof Knex.Client,
    log: knexLog(settings.logger),
    connection: { filename: settings.sqliteFile },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
}

/**
 * Knex prints "Acquire connection error" with the driver's stack for every failed connection, and
 * then rejects the query with the same error: whoever made the query says what went wrong (at
 * start: one line, no stack), so that print goes to debug. Its other warnings are kept.
 */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  const warn = (message: unknown) => {
    const text = String(message);
    if (text.startsWith('Acquire connection error')) logger?.debug(text.split('\n')[0]!);
    else if (logger) logger.warn(text);
    else console.warn(text);
  };
  return {
    warn,
    deprecate: warn, // given the whole sentence
    error: (message: unknown) => (logger ? logger.error(String(message)) : console.error(String(message))),
    debug: (message: unknown) => logger?.debug(String(message)),
  };
}
