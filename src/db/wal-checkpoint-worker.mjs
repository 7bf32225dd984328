// The thread that keeps the SQLite write-ahead log short (see wal-checkpointer.ts). Its own
// connection copies committed pages from the WAL into the database file, fsyncs included, so that
// no commit on the main thread pays for that. PASSIVE never waits for readers or writers; pages it
// cannot copy now are copied on a later round.
//
// Plain JavaScript: a worker thread starts without the TypeScript loader of its parent.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ filename: string, intervalMs: number }} */
const { filename, intervalMs } = workerData;
const connection = new Database(filename, { fileMustExist: true, timeout: 0 });

const timer = setInterval(() => {
  try {
    // Readers or writers in the way show in the answer (its "busy" column), never as an error.
    connection.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Another process's checkpoint holding the lock: next round. Anything else (an I/O error, a
    // damaged file) ends the thread, and the connection checkpoints by itself again.
    const code = /** @type {{ code?: string }} */ (error).code ?? '';
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) throw error;
  }
}, intervalMs);

parentPort?.once('message', () => {
  clearInterval(timer);
  connection.close();
  parentPort?.close();
});
