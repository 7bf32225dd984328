import { setTimeout as sleep } from 'node:timers/promises';
import { writerPriority } from './sqlite-writer-priority.js';

/**
 * How long a statement waits for another process's write lock on the SQLite file before its
 * SQLITE_BUSY is passed on: what `busy_timeout = 5000` waited before.
 */
export const BUSY_WAIT_LIMIT_MS = 5_000;
/** The longest pause between two tries: short, because a holder's transaction lasts milliseconds. */
const LONGEST_PAUSE_MS = 4;

/** Whether better-sqlite3 refused a statement because another connection holds the lock it needs. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `attempt` again while it fails SQLITE_BUSY and `retryable()` says a new try is safe, pausing
 * on a timer in between, until BUSY_WAIT_LIMIT_MS have passed.
 *
 * Why not SQLite's own busy_timeout: better-sqlite3 is synchronous, and SQLite's busy handler
 * sleeps on the calling thread. With ROLE=all's worker child writing the same file, each wait for
 * the child's commit stopped the API's event loop (every webhook, every stream), and the two
 * processes' writers slept in turn (bench/README.md: 0.57x the inline tickets/s). A timer lets the
 * API go on serving while it waits, and wakes within a millisecond or so of the lock's release.
 */
export async function retryWhileBusy<T>(attempt: () => T, retryable: () => boolean): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_LIMIT_MS;
  let announced = false;
  try {
    for (let pause = 1; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || !retryable() || Date.now() >= deadline) throw error;
      }
      if (!announced) {
        announced = true;
        writerPriority()?.waiting(); // the other writer lets us go first (sqlite-writer-priority.ts)
      }
      await sleep(pause);
    }
  } finally {
    if (announced) writerPriority()?.done();
  }
}
