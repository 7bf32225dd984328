/** One stage of stopping the process, in order: stop accepting, finish what is under way, close. */
export interface ShutdownStep {
  /** What the process waits for while this step runs, for the line said when time runs out. */
  waitingFor: string | (() => string);
  run(): unknown;
  /** Once the deadline has passed on this step or an earlier one: cut it short (drop connections, disconnect). */
  force?(): unknown;
}

export interface ShutdownOutcome {
  /** Every step finished before the deadline. */
  clean: boolean;
  /** The step under way when the deadline passed. */
  waitingFor?: string;
  elapsedMs: number;
}

/**
 * Runs the steps one after the other within `timeoutMs`. When the deadline passes, the step under
 * way and every one after it are forced, without waiting for them, and the outcome says what the
 * process was still waiting for. A step that fails is reported and the next one runs.
 */
export async function shutDown(
  steps: ShutdownStep[],
  timeoutMs: number,
  onError: (error: Error, waitingFor: string) => void = () => undefined,
): Promise<ShutdownOutcome> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), timeoutMs);
  });
  const describe = (step: ShutdownStep) => (typeof step.waitingFor === 'string' ? step.waitingFor : step.waitingFor());
  try {
    for (const [index, step] of steps.entries()) {
      const done = Promise.resolve()
        .then(() => step.run())
        .then(
          () => 'done' as const,
          (error: Error) => {
            onError(error, describe(step));
            return 'done' as const;
          },
        );
      if ((await Promise.race([done, deadline])) === 'done') continue;
      const waitingFor = describe(step);
      for (const rest of steps.slice(index)) {
        try {
          Promise.resolve(rest.force?.()).catch(() => undefined);
        } catch {
          // forcing is best effort: the process exits next
        }
      }
      return { clean: false, waitingFor, elapsedMs: Date.now() - started };
    }
    return { clean: true, elapsedMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
