/**
 * Two processes writing one SQLite file (ROLE=all: the API, and the worker child it forks) take
 * turns at the one write lock. Left alone, the worker, which begins its next transaction the moment
 * it commits, wins nearly every turn, and the API's small inbox commits, which hold up an answer to
 * Twilio, wait behind a stream of large ones. So the API says when it is waiting, and the worker
 * lets it go first before it begins its next transaction.
 *
 * This file only holds the hooks, so that src/db knows nothing of processes; src/queue/embedded wires
 * them to the IPC channel between parent and child.
 */
export interface WriterPriority {
  /** This process got SQLITE_BUSY and is trying again: it wants the write lock. */
  waiting(): void;
  /** It got the lock, or gave up. */
  done(): void;
  /** Before a transaction begins: resolves when this process may take its turn. */
  turn(): Promise<void> | undefined;
}

let installed: WriterPriority | undefined;

/** Installed once per process by whoever knows the other process (src/queue/embedded). */
export function setWriterPriority(priority: WriterPriority | undefined): void {
  installed = priority;
}

export function writerPriority(): WriterPriority | undefined {
  return installed;
}
