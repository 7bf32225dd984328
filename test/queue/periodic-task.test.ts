import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { PeriodicTask } from '../../src/queue/periodic-task.js';
import { waitFor } from '../support/wait-for.js';

/** A promise and the functions that settle it, for a pass the test ends when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('PeriodicTask: a background pass, never two at once (src/queue/periodic-task.ts)', () => {
  const tasks: PeriodicTask<unknown>[] = [];
  afterEach(async () => {
    for (const task of tasks.splice(0)) await task.stop();
  });
  const track = <T>(task: PeriodicTask<T>) => {
    tasks.push(task as PeriodicTask<unknown>);
    return task;
  };

  it('an overlapping call joins the pass under way and gets its result; a call after it starts a new one', async () => {
    const passes: Array<ReturnType<typeof deferred<number>>> = [];
    const task = track(
      new PeriodicTask(
        () => {
          passes.push(deferred<number>());
          return passes.at(-1)!.promise;
        },
        60_000,
        () => undefined,
      ),
    );
    const first = task.runOnce();
    const joining = task.runOnce();
    expect(passes).to.have.length(1);
    passes[0]!.resolve(1);
    expect(await first).to.equal(1);
    expect(await joining).to.equal(1);
    const next = task.runOnce();
    expect(passes).to.have.length(2);
    passes[1]!.resolve(2);
    expect(await next).to.equal(2);
  });

  it('a failed pass fails its callers only: the next call runs a new pass', async () => {
    let calls = 0;
    const task = track(
      new PeriodicTask(
        async () => {
          calls += 1;
          if (calls === 1) throw new Error('database away');
          return calls;
        },
        60_000,
        () => undefined,
      ),
    );
    let failure: unknown;
    await task.runOnce().catch((error) => (failure = error));
    expect(failure).to.have.property('message', 'database away');
    expect(await task.runOnce()).to.equal(2);
  });

  it('runs every interval once started, reports a failing pass to onError and keeps going; stop ends it', async () => {
    let calls = 0;
    const errors: string[] = [];
    const task = track(
      new PeriodicTask(
        async () => {
          calls += 1;
          if (calls === 2) throw new Error('second pass failed');
        },
        20,
        (error) => errors.push(error.message),
      ),
    );
    task.start();
    await waitFor('four passes', () => calls >= 4, 10_000);
    expect(errors).to.deep.equal(['second pass failed']);
    await task.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls, 'no pass after stop').to.equal(stoppedAt);
  });

  it('stop waits for the pass under way, and does not fail when that pass does', async () => {
    const pass = deferred<void>();
    let ended = false;
    const task = track(
      new PeriodicTask(
        () =>
          pass.promise.finally(() => {
            ended = true;
          }),
        60_000,
        () => undefined,
      ),
    );
    void task.runOnce().catch(() => undefined);
    const stopping = task.stop();
    setTimeout(() => pass.reject(new Error('pass failed while stopping')), 30);
    await stopping;
    expect(ended).to.equal(true);
  });

  it('a started task does not keep the process alive on its own', async function () {
    this.timeout(30_000);
    // A process with nothing else to do ends, though its task was started with an hour's interval.
    const script = `
      import { PeriodicTask } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../src/queue/periodic-task.ts'))};
      new PeriodicTask(async () => undefined, 3_600_000, () => undefined).start();
    `;
    const started = Date.now();
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    expect(Date.now() - started).to.be.below(20_000);
  });
});
