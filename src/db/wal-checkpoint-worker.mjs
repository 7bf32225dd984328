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
    connection.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY: another process on the same file is checkpointing; next round.
  }
}, intervalMs);

parentPort?.once('message', () => {
  clearInterval(timer);
  connection.close();
  parentPort?.close();
});
