import { expect } from 'chai';
import { shutDown } from '../src/shutdown.js';

describe('shutDown (the order and the deadline of stopping)', () => {
  it('runs the steps one after the other and says it stopped cleanly', async () => {
    const done: string[] = [];
    const step = (name: string, ms: number) => ({
      waitingFor: name,
      run: () => new Promise<void>((resolve) => setTimeout(() => resolve(void done.push(name)), ms)),
    });
    const outcome = await shutDown([step('first', 20), step('second', 0), step('third', 10)], 1000);
    expect(done).to.deep.equal(['first', 'second', 'third']);
    expect(outcome.clean).to.equal(true);
    expect(outcome.waitingFor).to.equal(undefined);
  });

  it('at the deadline forces the step under way and the ones after it, and says what it waited for', async () => {
    const events: string[] = [];
    let jobs = 2;
    const outcome = await shutDown(
      [
        { waitingFor: 'listeners', run: () => events.push('listeners'), force: () => events.push('force listeners') },
        {
          waitingFor: () => `${jobs} running jobs`,
          run: () => {
            jobs = 1;
            return new Promise(() => undefined); // Redis never answers
          },
          force: () => events.push('force jobs'),
        },
        { waitingFor: 'database', run: () => events.push('database'), force: () => events.push('force database') },
      ],
      100,
    );
    expect(outcome.clean).to.equal(false);
    expect(outcome.waitingFor).to.equal('1 running jobs'); // as things stood at the deadline
    expect(outcome.elapsedMs).to.be.within(90, 400);
    expect(events).to.deep.equal(['listeners', 'force jobs', 'force database']);
  });

  it('reports a step that fails and goes on with the next', async () => {
    const failures: string[] = [];
    const ran: string[] = [];
    const outcome = await shutDown(
      [
        {
          waitingFor: 'queues',
          run: () => Promise.reject(new Error('connection reset')),
        },
        { waitingFor: 'database', run: () => ran.push('database') },
      ],
      1000,
      (error, waitingFor) => failures.push(`${waitingFor}: ${error.message}`),
    );
    expect(failures).to.deep.equal(['queues: connection reset']);
    expect(ran).to.deep.equal(['database']);
    expect(outcome.clean).to.equal(true);
  });
});
