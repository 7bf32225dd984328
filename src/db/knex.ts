import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type { Knex };

export interface DatabaseSettings {
  /** postgres://… to use PostgreSQL; unset for the embedded SQLite file. */
  url?: string;
  /** PostgreSQL schema to work in (the search path); each test run uses its own. */
  schema?: string;
  sqliteFile: string;
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/**
 * One knex instance per process. SQLite runs in WAL mode with a busy timeout so that the API and
 * the workers of one process share the file without "database is locked" errors; PostgreSQL gets
 * a pool and the configured schema.
 */
export function createDatabase(settings: DatabaseSettings): Knex {
  if (settings.url) {
    return knexFactory({
      client: 'pg',
      connection: settings.url,
      searchPath: settings.schema ? [settings.schema] : undefined,
      pool: { min: 0, max: 10 },
    });
  }
  fs.mkdirSync(path.dirname(settings.sqliteFile), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: settings.sqliteFile },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: { run: (sql: string, done: (error?: Error) => void) => void }, done: (error?: Error) => void) {
        connection.run('PRAGMA journal_mode = WAL', (walError) => {
          if (walError) return done(walError);
          connection.run('PRAGMA synchronous = NORMAL', () =>
            connection.run('PRAGMA foreign_keys = ON', () => connection.run('PRAGMA busy_timeout = 5000', done)),
          );
        });
      },
    },
  });
}
