import type { ChildProcess } from 'node:child_process';
import type { WriterPriority } from '../../db/sqlite-writer-priority.js';

/** What parent and worker child say to each other about the SQLite write lock. */
export type WriterPriorityMessage = { type: 'sqlite-waiting' } | { type: 'sqlite-done' };

/** The longest the child holds back for a parent that said it waits (a lost 'done' costs no more). */
export const LONGEST_YIELD_MS = 20;

/**
 * The API's side: it tells the child when it starts waiting for the lock and when it has it. Many
 * of the API's writers may wait at once; the child hears the first wait and the last done.
 */
export function announcingPriority(child: () => ChildProcess | undefined): WriterPriority {
  let waiters = 0;
  const tell = (message: WriterPriorityMessage) => {
    const target = child();
    if (target?.connected) target.send(message, (error) => void error); // a child gone is no matter
  };
  return {
    waiting() {
      if (waiters++ === 0) tell({ type: 'sqlite-waiting' });
    },
    done() {
      if (--waiters === 0) tell({ type: 'sqlite-done' });
    },
    turn: () => undefined,
  };
}

/** The worker child's side: while the parent waits, a new transaction holds back (up to LONGEST_YIELD_MS). */
export function yieldingPriority(channel: NodeJS.Process = process, longestYieldMs = LONGEST_YIELD_MS): WriterPriority {
  let parentWaiting = false;
  let released: Array<() => void> = [];
  const release = () => {
    parentWaiting = false;
    const waiting = released;
    released = [];
    for (const resume of waiting) resume();
  };
  channel.on('message', (message: WriterPriorityMessage) => {
    if (message?.type === 'sqlite-waiting') parentWaiting = true;
    else if (message?.type === 'sqlite-done') release();
  });
  return {
    waiting: () => undefined,
    done: () => undefined,
    turn() {
      if (!parentWaiting) return undefined;
      return new Promise<void>((resume) => {
        released.push(resume);
        setTimeout(resume, longestYieldMs).unref();
      });
    },
  };
}
