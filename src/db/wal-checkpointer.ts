import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode copies the log back into the database file (a checkpoint, with its fsyncs)
 * inside whichever COMMIT crosses wal_autocheckpoint pages. With better-sqlite3 that COMMIT runs
 * on the main thread, so every hundredth assignment or so stalled the whole process for 5 to 10 ms
 * (bench/README.md, routing). Checkpoints run instead on a thread of their own; the main
 * connection keeps a far higher automatic threshold only as a backstop should the thread fall
 * behind or fail.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;
/** SQLite's own default, restored on the main connection if the thread fails. */
export const DEFAULT_CHECKPOINT_PAGES = 1_000;
const CHECKPOINT_INTERVAL_MS = 200;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export function startWalCheckpointer(filename: string, onFailure: (error: Error) => void): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), {
    workerData: { filename, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref(); // never what keeps a process alive
  let running = true;
  let stopping = false;
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    onFailure(error);
  };
  worker.once('error', fail);
  worker.once('exit', (code) => {
    running = false;
    if (!stopping) fail(new Error(`The WAL checkpoint thread exited unasked (code ${code})`));
  });
  return {
    async stop() {
      if (!running) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await exited;
    },
  };
}
