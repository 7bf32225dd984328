import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import type { Logger } from '../../logger.js';

/** What the worker child says over IPC: started, or could not start (the one line to print). */
export type WorkerChildMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'stopped'; clean: boolean; waitingFor?: string };

/** Deaths within this window that make the supervisor give up. */
export const CRASH_LOOP_DEATHS = 5;
export const CRASH_LOOP_WINDOW_MS = 10 * 60_000;

export class WorkerStartError extends Error {}

export interface WorkerSupervisorOptions {
  /** The entry script the child runs: this process's own. */
  entry: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The child died too often: the supervisor has stopped restarting it. */
  onGiveUp(reason: string): void;
  /** A pause before a restart, so that a child dying at once does not spin. */
  restartDelayMs?: number;
  /**
   * The child's niceness (EMBEDDED_WORKER_NICE): on a machine with few cores, a child draining a
   * backlog competes with the API for the CPU and webhook answers wait for it; the scheduler then
   * runs the API first. The child never waits for lack of CPU the API does not use.
   */
  niceness?: number;
}

/**
 * ROLE=all with EMBEDDED_WORKERS=process: the queue workers and periodic passes run in a child
 * process (ROLE=worker, the same entry and the same Node flags), so that their database work never
 * holds up the HTTP thread that acknowledges webhooks. The child is restarted when it dies; after
 * CRASH_LOOP_DEATHS deaths within CRASH_LOOP_WINDOW_MS the supervisor gives up (the parent then
 * exits 1: a service manager sees the failure instead of a silent loop).
 */
export class WorkerSupervisor {
  private child: ChildProcess | undefined;
  private deaths: number[] = [];
  private stopping = false;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** What the child said it still waited for when it stopped short (it says it here, not in a log line of its own). */
  private stoppedShortFor: string | undefined;

  constructor(private readonly options: WorkerSupervisorOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The running child, if any (the SQLite writer priority talks to it: writer-priority-ipc.ts). */
  get process(): ChildProcess | undefined {
    return this.child;
  }

  /** Forks the child and resolves once it has started; rejects with its one-line reason if it could not. */
  start(): Promise<void> {
    const child = fork(this.options.entry, process.argv.slice(2), {
      env: { ...this.options.env, ROLE: 'worker', SATU_PINTU_EMBEDDED_CHILD: '1' },
      execArgv: process.execArgv,
      stdio: 'inherit',
    });
    this.child = child;
    this.lowerPriority(child);
    let resolveExit: (code: number | null) => void = () => undefined;
    this.exited = new Promise((resolve) => {
      resolveExit = resolve;
    });
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let failure: string | undefined;
      child.on('message', (message: WorkerChildMessage) => {
        if (message?.type === 'ready') {
          ready = true;
          resolve();
        } else if (message?.type === 'failed') failure = message.message;
        else if (message?.type === 'stopped' && !message.clean) this.stoppedShortFor = message.waitingFor;
      });
      child.on('error', (error) => {
        failure ??= error.message;
      });
      child.on('exit', (code, signal) => {
        resolveExit(code);
        if (this.child === child) this.child = undefined;
        if (!ready) {
          reject(
            new WorkerStartError(failure ?? `the worker process exited (${signal ?? `status ${code}`}) while starting`),
          );
          return;
        }
        if (!this.stopping) this.died(code, signal);
      });
    });
  }

  private lowerPriority(child: ChildProcess): void {
    const niceness = this.options.niceness ?? 0;
    if (niceness === 0 || child.pid === undefined) return;
    try {
      // Never less nice than it already is (raising a priority needs privileges).
      os.setPriority(child.pid, Math.max(niceness, os.getPriority(child.pid)));
    } catch (error) {
      // A container may forbid it: the child runs as the parent does, which is only slower.
      this.options.logger.warn(`the worker process keeps the parent's priority: ${(error as Error).message}`);
    }
  }

  private died(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    this.deaths = [...this.deaths.filter((at) => now - at < CRASH_LOOP_WINDOW_MS), now];
    const how = signal ?? `status ${code}`;
    if (this.deaths.length >= CRASH_LOOP_DEATHS) {
      this.options.onGiveUp(
        `the worker process died ${this.deaths.length} times within ${CRASH_LOOP_WINDOW_MS / 60_000} minutes (last: ${how})`,
      );
      return;
    }
    this.options.logger.error(`the worker process died (${how}); starting it again`);
    setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => this.options.logger.info(`worker process ${this.pid} started again`),
        (error: Error) => {
          this.options.logger.error(`the worker process could not start again: ${error.message}`);
          if (!this.stopping) this.died(null, null);
        },
      );
    }, this.options.restartDelayMs ?? 500).unref();
  }

  /**
   * Passes the signal on and waits for the child to stop (it keeps SHUTDOWN_TIMEOUT_MS itself);
   * past `timeoutMs` it is killed. Resolves to what the parent is still waiting for, if anything.
   */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<{ clean: boolean; waitingFor?: string }> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return { clean: true };
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), timeoutMs);
    });
    const code = await Promise.race([this.exited, deadline]);
    clearTimeout(timer);
    if (code === 'deadline') {
      child.kill('SIGKILL');
      return { clean: false, waitingFor: `the worker process (pid ${child.pid})` };
    }
    if (code !== 0)
      return {
        clean: false,
        waitingFor: this.stoppedShortFor ?? `the worker process (pid ${child.pid}), which stopped with status ${code}`,
      };
    return { clean: true };
  }

  /** Ends the child without waiting (the parent is exiting). */
  kill(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }
}
