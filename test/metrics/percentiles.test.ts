import { expect } from 'chai';
import { distribution, nearestRank } from '../../src/metrics/percentiles.js';

describe('metrics/percentiles: nearest-rank median and p90', () => {
  it('picks the value at rank ⌈p/100 · n⌉', () => {
    // n = 10: median rank 5 → 50; p90 rank 9 → 90.
    const tens = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect([nearestRank(tens, 50), nearestRank(tens, 90)]).to.deep.equal([50, 90]);
    // n = 4: median rank 2 (the lower middle value, never the mean of 20 and 30); p90 rank ⌈3.6⌉ = 4.
    expect([nearestRank([10, 20, 30, 40], 50), nearestRank([10, 20, 30, 40], 90)]).to.deep.equal([20, 40]);
    // n = 1: every percentile is the one value.
    expect([nearestRank([7], 50), nearestRank([7], 90)]).to.deep.equal([7, 7]);
    expect(nearestRank([], 50)).to.equal(null);
  });

  it('sorts, counts and rounds to a hundredth', () => {
    // 11 values: median rank 6 → 6.5; p90 rank ⌈9.9⌉ = 10 → 10.333… → 10.33.
    expect(distribution([11, 1, 10.3333333, 2, 3, 4, 5, 6.5, 7, 8, 9])).to.deep.equal({
      count: 11,
      median: 6.5,
      p90: 10.33,
    });
    expect(distribution([])).to.deep.equal({ count: 0, median: null, p90: null });
  });
});
