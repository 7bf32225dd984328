import { expect } from 'chai';
import { GroupCommitter } from '../../src/db/group-commit.js';
import { TransactionBudget } from '../../src/db/transaction-budget.js';

/** A group of n items costing `overheadMs + perItemMs·n`, as a write transaction roughly does. */
function settle(budget: TransactionBudget, overheadMs: number, perItemMs: number, rounds = 60): number {
  for (let round = 0; round < rounds; round += 1) {
    const items = budget.limit();
    budget.record(items, overheadMs + perItemMs * items);
  }
  return budget.limit();
}

describe('TransactionBudget: write groups sized by time (SQLite ingest)', () => {
  it('starts at its smallest group, before anything is measured', () => {
    expect(new TransactionBudget(5, 100).limit()).to.equal(1);
    expect(new TransactionBudget(5, 100, 20).limit()).to.equal(20);
    expect(new TransactionBudget(5, 4, 20).limit()).to.equal(4);
  });

  it('settles where a group takes about the target, overhead included', () => {
    // 1 ms per transaction plus 0.1 ms per contact: (5 - 1) / 0.1 = 40 contacts fit in 5 ms.
    const limit = settle(new TransactionBudget(5, 100), 1, 0.1);
    expect(limit).to.be.within(37, 40);
  });

  it('follows a machine that gets slower, then faster', () => {
    const budget = new TransactionBudget(5, 100);
    settle(budget, 0.5, 0.05);
    expect(budget.limit()).to.be.within(88, 90);
    expect(settle(budget, 0.5, 0.5)).to.be.within(8, 9);
    expect(settle(budget, 0.5, 0.05)).to.be.within(88, 90);
  });

  it('never offers fewer than its minimum (one by default) nor more than its maximum', () => {
    expect(settle(new TransactionBudget(5, 100), 20, 1)).to.equal(1);
    // A busy event loop alone past the target: the floor holds the group size.
    expect(settle(new TransactionBudget(5, 100, 20), 20, 0.1)).to.equal(20);
    expect(settle(new TransactionBudget(5, 100), 0, 0.001)).to.equal(100);
  });

  it('ignores samples that cannot be times', () => {
    const budget = new TransactionBudget(5, 100);
    budget.record(0, 3);
    budget.record(5, Number.NaN);
    budget.record(5, -1);
    expect(budget.limit()).to.equal(1);
  });

  it('gives GroupCommitter the size of each flush, asked again before every flush', async () => {
    const sizes: number[] = [];
    let limit = 3;
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        sizes.push(items.length);
        limit = 2; // the next flush is asked again
        return items.map((item) => item * 2);
      },
      () => limit,
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((item) => committer.submit(item)));
    expect(results).to.deep.equal([2, 4, 6, 8, 10, 12, 14]);
    expect(sizes).to.deep.equal([3, 2, 2]);
  });
});
