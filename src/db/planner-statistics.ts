import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import { isPostgres } from './knex.js';

/** SQLite's own advice for a long-lived connection: optimize when opened, then every hour or day. */
export const PLANNER_STATISTICS_INTERVAL_MS = 3600_000;

/**
 * SQLite chooses indexes from the statistics ANALYZE leaves in sqlite_stat1; without them it takes
 * any equality on an indexed column to be selective. A search for an old case (`?status=closed&q=`)
 * then walked the status index through nine tenths of a million tickets (126 ms) instead of the
 * few thousand the full-text index names (27 ms: bench/README.md, listing). The connection runs
 * `PRAGMA optimize` when it opens (sqlite-client.ts); this pass runs it again as the tables grow,
 * through the pool, so never inside another caller's transaction. ANALYZE is bounded by
 * analysis_limit, and optimize skips tables whose size has not changed much since.
 *
 * PostgreSQL keeps its own statistics (autovacuum): no task there.
 */
export function plannerStatisticsTask(
  db: Knex,
  logger: Logger,
  intervalMs = PLANNER_STATISTICS_INTERVAL_MS,
): PeriodicTask | undefined {
  if (isPostgres(db)) return undefined;
  const pass = async () => {
    await db.raw('pragma optimize');
  };
  return new PeriodicTask(pass, intervalMs, (error) =>
    logger.warn({ err: error }, 'refreshing SQLite planner statistics failed'),
  );
}
