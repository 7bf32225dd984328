import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childLogWriter } from './log-capture.js';
import { waitFor } from './wait-for.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export { TEST_REDIS_URL } from './redis-url.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  /** stdout and stderr as they came, interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process has ended. */
  hasExited(): boolean;
  /** Resolves once the output contains `text`; fails with the output so far after `timeoutMs`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every process spawned here that is still running: for afterEach, after a failed test. */
export function killLeftoverProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * A command run the way an operator runs it: its own process, an environment of only PATH, HOME
 * and what the test gives (no settings of the test run leak in), output collected.
 */
export function spawnProcess(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): ServerProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let stdout = '';
  let stderr = '';
  // For the personal-data scan at the end of the run: a file per stream, so lines do not interleave.
  const keepStdout = childLogWriter();
  const keepStderr = childLogWriter();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
    keepStdout?.(chunk.toString());
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
    keepStderr?.(chunk.toString());
  });
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true;
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    hasExited: () => ended,
    async waitForOutput(text, timeoutMs = 30_000) {
      const seen = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      try {
        await waitFor(`output ${text}`, seen, timeoutMs);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- output so far ---\n${output}`);
      }
    },
  };
}

/** `node --import tsx src/main.ts`: the server from source, as the existing start-up tests run it. */
export function spawnSourceServer(env: Record<string, string>): ServerProcess {
  return spawnProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env });
}

/** A DATA_DIR of its own for one test, removed by the returned function. */
export function scratchDataDir(): { dataDir: string; remove: () => void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-process-'));
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** Resolves when `url` answers 200, polling; fails, with the server's output, once it exits or after `timeoutMs`. */
export async function waitForHttp(url: string, server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  let exited = false;
  try {
    await waitFor(
      `${url} answering`,
      async () => {
        if (server.hasExited()) {
          exited = true;
          return true;
        }
        try {
          return (await fetch(url)).ok;
        } catch {
          return false;
        }
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- output ---\n${server.output()}`);
  }
  if (exited) throw new Error(`The server exited before ${url} answered\n--- output ---\n${server.output()}`);
}
