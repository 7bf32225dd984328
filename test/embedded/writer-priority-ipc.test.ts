import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import {
  announcingPriority,
  LONGEST_YIELD_MS,
  type WriterPriorityMessage,
  yieldingPriority,
} from '../../src/queue/embedded/writer-priority-ipc.js';

/** The child's end of the IPC channel: messages the parent sends arrive as 'message' events. */
function channel(): EventEmitter & NodeJS.Process {
  return new EventEmitter() as EventEmitter & NodeJS.Process;
}

describe('SQLite writer priority between ROLE=all and its worker child', () => {
  it('the parent says when its first writer starts waiting and when its last one is done', () => {
    const sent: WriterPriorityMessage['type'][] = [];
    const child = { connected: true, send: (message: WriterPriorityMessage) => sent.push(message.type) };
    const priority = announcingPriority(() => child as unknown as ChildProcess);
    priority.waiting();
    priority.waiting();
    priority.done();
    expect(sent).to.deep.equal(['sqlite-waiting']);
    priority.done();
    expect(sent).to.deep.equal(['sqlite-waiting', 'sqlite-done']);
    expect(priority.turn(), 'the parent never holds back').to.equal(undefined);
  });

  it('the child begins at once while the parent waits for nothing, and holds back while it does, until it is done', async () => {
    const parent = channel();
    // A yield longer than any scheduling delay: on a loaded machine (CI runs three suites side by
    // side) the 20 ms timer could fire before the check below, and the test would see the timer.
    const priority = yieldingPriority(parent, 60_000);
    expect(priority.turn()).to.equal(undefined);
    parent.emit('message', { type: 'sqlite-waiting' });
    let began = false;
    const turn = priority.turn();
    expect(turn, 'held back').to.be.instanceOf(Promise);
    void turn!.then(() => {
      began = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(began).to.equal(false);
    parent.emit('message', { type: 'sqlite-done' });
    await turn;
    expect(began).to.equal(true);
    expect(priority.turn(), 'free again').to.equal(undefined);
  });

  it('a child never waits longer than LONGEST_YIELD_MS for a done that does not come', async () => {
    const parent = channel();
    const priority = yieldingPriority(parent);
    parent.emit('message', { type: 'sqlite-waiting' });
    const started = performance.now();
    await priority.turn();
    expect(performance.now() - started).to.be.at.least(LONGEST_YIELD_MS - 2);
  });
});
