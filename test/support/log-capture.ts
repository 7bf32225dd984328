import fs from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream } from 'pino';

/**
 * Where the servers of a test run write their logs: every in-process test server
 * (startTestServer) and the JSON log lines of every spawned one (spawnProcess) go to files under
 * TEST_LOG_DIR when it is set, so that the end of the run can scan them for personal data left
 * unmasked (test/support/log-scan-hooks.ts). The whole suite sets it (.mocharc.json); a single
 * file run with --no-config does not, and its servers stay silent as before.
 */
export const logDirectory = (): string | undefined => process.env.TEST_LOG_DIR || undefined;

/** The level of test servers: TEST_LOG_LEVEL, else `info` (the production default) when logs are kept, else silent. */
export const testLogLevel = (): string => process.env.TEST_LOG_LEVEL ?? (logDirectory() ? 'info' : 'silent');

let files = 0;
const fileName = (kind: string) => `${kind}-${process.pid}-${++files}.log`;

/** A file destination for one test server's logger, or undefined (stdout) without TEST_LOG_DIR. */
export function testLogDestination(): DestinationStream | undefined {
  const directory = logDirectory();
  if (!directory) return undefined;
  fs.mkdirSync(directory, { recursive: true });
  return pino.destination({ dest: path.join(directory, fileName('server')), sync: true });
}

/**
 * Keeps the log lines of a spawned process: its output lines that are pino's JSON (a `level` and a
 * `time`), not the words it prints for a person (the demo prints the administrator's login).
 */
export function childLogWriter(): ((chunk: string) => void) | undefined {
  const directory = logDirectory();
  if (!directory) return undefined;
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, fileName('child'));
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    const logLines = lines.filter((line) => /^\{"level":\d+,"time":\d+/.test(line));
    if (logLines.length > 0) fs.appendFileSync(file, `${logLines.join('\n')}\n`);
  };
}
