import { performance } from 'node:perf_hooks';

/**
 * What the bench is doing, as it does it: one line per step started and ended, on stderr, so that
 * stdout holds the figures alone (`npm run bench > figures.txt` still shows progress on the
 * terminal). Each line starts with the time since the run began:
 *
 *   [  1:02] sms › ROLE=api › full throughput (10 s) …
 *   [  1:12] sms › ROLE=api › full throughput (10 s): done in 10.1 s
 *
 * A step that runs long says so every HEARTBEAT_MS; a loop over many items says how far it got
 * every few seconds (progress()). A statement that runs on the bench's own thread (better-sqlite3,
 * the listing seed on SQLite) lets no timer fire while it runs: its start and end lines are all.
 */
const HEARTBEAT_MS = 15_000;
const PROGRESS_EVERY_MS = 5_000;
const runStarted = performance.now();
const running: string[] = [];

function clock(): string {
  const seconds = Math.floor((performance.now() - runStarted) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(3)}:${String(seconds % 60).padStart(2, '0')}`;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** One line, under the steps now running (`sms › ROLE=api › …`). */
export function note(message: string): void {
  process.stderr.write(`[${clock()}] ${[...running, message].join(' › ')}\n`);
}

export interface Begun {
  /** Ends the step: its "done" line, with `summary` if given; returns its duration in seconds. */
  end(summary?: string): number;
  /** Ends the step as failed. */
  fail(): void;
}

/**
 * Starts a named step: a line now, one every HEARTBEAT_MS until end(), which prints its duration.
 * Steps nest: the lines of a step begun inside another name both. For a whole block of code;
 * step() is the same around one call.
 */
export function begin(label: string): Begun {
  note(`${label} …`);
  const from = performance.now();
  running.push(label);
  const depth = running.length;
  // The innermost step running says it still runs; the steps around it are known to.
  const heartbeat = setInterval(() => {
    if (running.length === depth) note(`still running, ${seconds(from)}`);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let ended = false;
  const finish = (outcome: string) => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    running.splice(running.lastIndexOf(label), 1);
    note(`${label}: ${outcome}`);
  };
  return {
    end(summary) {
      finish(`done in ${seconds(from)}${summary ? ` (${summary})` : ''}`);
      return (performance.now() - from) / 1000;
    },
    fail() {
      finish(`failed after ${seconds(from)}`);
    },
  };
}

/** Runs `work` as a step (begin() and end() around it); `summary` describes its result in the "done" line. */
export async function step<T>(label: string, work: () => Promise<T>, summary?: (result: T) => string): Promise<T> {
  const begun = begin(label);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    begun.fail();
    throw error;
  }
  begun.end(summary?.(result));
  return result;
}

export interface Progress {
  /** `done` items of the total so far; a line if PROGRESS_EVERY_MS passed or a tenth more is done. */
  update(done: number): void;
}

/**
 * For a loop over `total` items inside a step: a line every PROGRESS_EVERY_MS at most, and at
 * each further tenth of the total (no more than one a second), with the count and the rate.
 */
export function progress(label: string, total: number): Progress {
  const from = performance.now();
  let lastAt = from;
  let lastTenth = 0;
  let first: number | undefined; // done at the first update: the rate counts what was done since
  return {
    update(done) {
      first ??= done;
      const now = performance.now();
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (now - lastAt < PROGRESS_EVERY_MS && (tenth <= lastTenth || now - lastAt < 1000)) return;
      if (done >= total) return; // the step's own "done" line says the rest
      lastAt = now;
      lastTenth = tenth;
      const rate = (done - first) / ((now - from) / 1000);
      note(
        `${label}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} (${Math.floor((done / total) * 100)}%, ${Math.round(rate).toLocaleString('en')}/s)`,
      );
    },
  };
}
