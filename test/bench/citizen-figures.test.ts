import { expect } from 'chai';
import { maxCounterFor, msPerCounter, solvedField, spreadOf } from '../../bench/citizen-figures.js';

/** The bench's arithmetic for the citizen pages and the proof-of-work (bench/citizen-pages.ts). */
describe('bench: citizen pages figures', () => {
  it('takes nearest-rank p50 and p90 and the max, in any order, and NaN when there is nothing', () => {
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(spreadOf(values)).to.deep.equal({ count: 10, p50: 5, p90: 9, max: 10 });
    expect(values[0]).to.equal(10); // not sorted in place
    const none = spreadOf([]);
    expect(none.count).to.equal(0);
    expect(none.p50).to.be.NaN;
    expect(none.max).to.be.NaN;
  });

  it("reads the solver's counter and time from the form's altcha field", () => {
    const field = Buffer.from(
      JSON.stringify({ challenge: { parameters: {} }, solution: { counter: 12_345, derivedKey: 'ab', time: 432.1 } }),
    ).toString('base64');
    expect(solvedField(field)).to.deep.equal({ counter: 12_345, timeMs: 432.1 });
    expect(() => solvedField(Buffer.from('{"solution":{}}').toString('base64'))).to.throw(/no solution/);
    expect(() => solvedField('not base64 json')).to.throw();
  });

  it('takes the median cost of one counter, leaving out a zero counter', () => {
    const solves = [
      { counter: 1000, timeMs: 30 },
      { counter: 2000, timeMs: 40 },
      { counter: 4000, timeMs: 200 },
      { counter: 0, timeMs: 5 },
    ];
    expect(msPerCounter(solves)).to.equal(0.03);
  });

  it('suggests the maximum counter whose median challenge (3/4 of it) takes the target time', () => {
    // 0.05 ms a counter: 1 s is 20,000 counters at the median, so a maximum of 26,667 → 27,000.
    expect(maxCounterFor(1000, 0.05)).to.equal(27_000);
    expect(maxCounterFor(1000, 100)).to.equal(1000); // never below a thousand
    expect(maxCounterFor(1000, 0)).to.be.NaN;
  });
});
