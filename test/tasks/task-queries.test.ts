import { expect } from 'chai';
import fc from 'fast-check';
import { isOverdue, TASK_STATUSES, OPEN_TASK_STATUSES } from '../../src/tasks/task-queries.js';

describe('Tasks: overdue (isOverdue)', () => {
  const now = new Date('2026-12-01T02:00:00Z');

  it('is a task still to be done, open or being called, whose due time has passed', () => {
    expect(isOverdue('open', '2026-12-01T01:59:59.999Z', now)).to.equal(true);
    expect(isOverdue('calling', '2026-11-30T02:00:00.000Z', now)).to.equal(true);
    // Due this very instant: not late yet.
    expect(isOverdue('open', now.toISOString(), now)).to.equal(false);
    expect(isOverdue('open', '2026-12-01T02:00:00.001Z', now)).to.equal(false);
  });

  it('law: a closed task is never overdue, however late; an open one is exactly when due before now', () => {
    const closed = TASK_STATUSES.filter((status) => !(OPEN_TASK_STATUSES as readonly string[]).includes(status));
    expect(closed).to.deep.equal(['done', 'unreachable', 'cancelled']);
    fc.assert(
      fc.property(
        fc.constantFrom(...TASK_STATUSES),
        fc.integer({ min: -30 * 86_400_000, max: 30 * 86_400_000 }),
        (status, offset) => {
          const dueAt = new Date(now.getTime() + offset).toISOString();
          const open = status === 'open' || status === 'calling';
          expect(isOverdue(status, dueAt, now)).to.equal(open && offset < 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
