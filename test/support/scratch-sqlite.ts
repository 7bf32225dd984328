import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import { testSqliteDriver } from './test-database.js';

export interface ScratchSqlite {
  /** The connection, opened as the server opens it (src/db/sqlite-client.ts). */
  readonly db: Knex;
  readonly file: string;
  /** Closes the connection and opens a new one on the same file. */
  reopen(): Promise<Knex>;
}

/**
 * Mocha hooks giving each test of the calling suite a SQLite file of its own in a fresh temp
 * folder, on the suite's SQLite driver (testSqliteDriver()), removed afterwards: for tests of the
 * embedded database itself, whichever database the rest of the suite runs on.
 */
export function scratchSqlitePerTest(): ScratchSqlite {
  let dataDir = '';
  let file = '';
  let db: Knex | undefined;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-sqlite-'));
    file = path.join(dataDir, 'db.sqlite');
    db = createDatabase({ sqliteFile: file, sqliteDriver: testSqliteDriver() });
  });
  afterEach(async () => {
    await db?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get db() {
      return db!;
    },
    get file() {
      return file;
    },
    async reopen() {
      await db?.destroy();
      db = createDatabase({ sqliteFile: file, sqliteDriver: testSqliteDriver() });
      return db;
    },
  };
}
