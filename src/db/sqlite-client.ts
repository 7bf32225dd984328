import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { retryWhileBusy } from './sqlite-busy-retry.js';
import { writerPriority } from './sqlite-writer-priority.js';
import {
  BACKSTOP_CHECKPOINT_PAGES,
  DEFAULT_CHECKPOINT_PAGES,
  startWalCheckpointer,
  type WalCheckpointer,
} from './wal-checkpointer.js';

/** The part of knex's better-sqlite3 dialect this file builds on (knex ships it untyped). */
interface BetterSqlite3Dialect {
  connectionSettings: { filename: string };
  acquireRawConnection(): Promise<Database.Database>;
  destroyRawConnection(connection: Database.Database): Promise<void>;
  _query(connection: Database.Database, query: CompiledQuery): Promise<CompiledQuery>;
  _formatBindings(bindings: unknown[] | undefined): unknown[];
}

/** What knex hands a dialect to run, and what the dialect fills in. */
interface CompiledQuery {
  sql: string;
  bindings?: unknown[];
  options?: { safeIntegers?: boolean };
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}

/** Rows ANALYZE samples per index: enough to tell a status from an id, bounded on a large table. */
export const ANALYSIS_ROWS_PER_INDEX = 1_000;

/** Distinct statements kept prepared per connection: far more than the shapes of query the server issues. */
const PREPARED_STATEMENTS = 500;

const BetterSqlite3Client = createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3/index.js') as new (
  config: Knex.Config,
) => BetterSqlite3Dialect;

// Per connection, outside the client: knex runs a transaction's queries on a copy of the client
// without its instance fields.
const checkpointers = new WeakMap<Database.Database, WalCheckpointer>();
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * knex's better-sqlite3 dialect with each connection set up for a server: WAL, so that readers
 * never wait for the writer; synchronous NORMAL (durable at each checkpoint, never corrupt);
 * foreign keys; waits for the other processes on the file on a timer, not in SQLite's busy handler; and the write-ahead log
 * checkpointed by a thread of the connection's own (wal-checkpointer.ts), stopped when the
 * connection closes; planner statistics brought up to date (planner-statistics.ts).
 *
 * Statements are kept prepared by SQL text. knex's dialect prepares every statement anew, and the
 * garbage of a native statement per query made the young-generation collections that dominated
 * the assignment's p99 (bench/README.md, routing).
 */
export class ServerSqliteClient extends BetterSqlite3Client {
  override async acquireRawConnection(): Promise<Database.Database> {
    const connection = await super.acquireRawConnection();
    try {
      configure(connection);
      checkpointers.set(
        connection,
        startWalCheckpointer(this.connectionSettings.filename, () => fallBackToAutomaticCheckpoints(connection)),
      );
    } catch (error) {
      connection.close(); // knex will try again with a new one: leave no handle behind
      throw error;
    }
    return connection;
  }

  override async destroyRawConnection(connection: Database.Database): Promise<void> {
    try {
      await checkpointers.get(connection)?.stop();
    } finally {
      await super.destroyRawConnection(connection);
    }
  }

  override async _query(connection: Database.Database, query: CompiledQuery): Promise<CompiledQuery> {
    query.sql = immediateBegin(query.sql);
    if (query.sql === 'BEGIN IMMEDIATE;') await writerPriority()?.turn();
    // A per-query integer mode would change the shared statement, and a PRAGMA may compute its
    // answer when prepared: such queries go the plain way.
    if (!query.sql || query.options?.safeIntegers !== undefined || /^\s*pragma\b/i.test(query.sql))
      return super._query(connection, query);
    const statement = statementFor(connection, query.sql);
    const bindings = this._formatBindings(query.bindings);
    // Busy means the statement did nothing: a BEGIN IMMEDIATE, or a statement outside a transaction
    // (an INSERT … RETURNING is a reader too), may simply be tried again. Inside a transaction, which
    // holds the write lock from its BEGIN, busy does not arise; if it did, the whole must fail.
    const retryable = () => !connection.inTransaction;
    if (statement.reader) {
      query.response = await retryWhileBusy(() => statement.all(bindings), retryable);
      return query;
    }
    const result = await retryWhileBusy(() => statement.run(bindings), retryable);
    query.response = result;
    query.context = { lastID: result.lastInsertRowid, changes: result.changes };
    return query;
  }
}

function configure(connection: Database.Database): void {
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // No busy handler: it would sleep on the event loop's thread; a busy statement is tried again on a
  // timer instead (sqlite-busy-retry.ts).
  connection.pragma('busy_timeout = 0');
  connection.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  // Planner statistics for every table that lacks or outgrew them (planner-statistics.ts).
  connection.pragma(`analysis_limit = ${ANALYSIS_ROWS_PER_INDEX}`);
  try {
    connection.pragma('optimize = 0x10002');
  } catch {
    // Busy past the timeout, or a read-only file: statistics are an optimisation, and the hourly
    // pass tries again (and logs why it could not).
  }
}

/**
 * knex opens a transaction with a plain (deferred) BEGIN. With two processes on the file (ROLE=all's
 * worker child), a deferred transaction that read first cannot take the write lock while the other
 * holds it, and SQLite answers SQLITE_BUSY at once, with no retry possible. BEGIN IMMEDIATE takes
 * the write lock up front, where a busy answer is simply tried again (sqlite-busy-retry.ts).
 */
export function immediateBegin(sql: string): string {
  return sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql;
}

/** The connection's prepared statement for this SQL, least recently used ones dropped past the limit. */
function statementFor(connection: Database.Database, sql: string): Database.Statement {
  let statements = prepared.get(connection);
  if (!statements) {
    statements = new Map();
    prepared.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (statement) {
    statements.delete(sql); // re-inserted below: Map order is recency
  } else {
    statement = connection.prepare(sql);
    if (statements.size >= PREPARED_STATEMENTS) statements.delete(statements.keys().next().value as string);
  }
  statements.set(sql, statement);
  return statement;
}

/** The checkpoint thread failed: the connection checkpoints by itself again, as SQLite does by default. */
function fallBackToAutomaticCheckpoints(connection: Database.Database): void {
  if (connection.open) connection.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
}
