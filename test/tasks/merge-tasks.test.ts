import { expect } from 'chai';
import fc from 'fast-check';
import { foldCallbacks } from '../../src/tasks/merge-tasks.js';

describe('Merging tickets: two open call-backs for one number become one (foldCallbacks)', () => {
  const task = (id: number, status: 'open' | 'calling', requests = 1) => ({ id, status, requests });

  it("keeps the target's own call-back, unless only the moved one is being called", () => {
    expect(foldCallbacks(task(1, 'open'), task(2, 'open'))).to.deep.include({ kept: task(2, 'open') });
    expect(foldCallbacks(task(1, 'calling'), task(2, 'open'))).to.deep.include({ kept: task(1, 'calling') });
    expect(foldCallbacks(task(1, 'open'), task(2, 'calling'))).to.deep.include({ kept: task(2, 'calling') });
    // Both under way cannot be told apart by Twilio's callbacks: the target's stays, as with neither.
    expect(foldCallbacks(task(1, 'calling'), task(2, 'calling'))).to.deep.include({ kept: task(2, 'calling') });
  });

  it('law: one is kept and the other folded, a call under way is never the one folded when it need not be, and no request is lost', () => {
    const taskArb = fc.record({
      id: fc.integer({ min: 1, max: 1000 }),
      status: fc.constantFrom('open' as const, 'calling' as const),
      requests: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(taskArb, taskArb, (moved, twin) => {
        const { kept, folded, requests } = foldCallbacks(moved, twin);
        expect([kept, folded]).to.have.deep.members([moved, twin]);
        expect(kept).to.not.equal(folded);
        expect(requests).to.equal(moved.requests + twin.requests);
        if (moved.status !== twin.status) expect(kept.status).to.equal('calling');
      }),
      { numRuns: 300 },
    );
  });

  it('adds requests read from the database as text (PostgreSQL bigint counts) as numbers', () => {
    const fromPostgres = (id: number, requests: string) => ({
      id,
      status: 'open',
      requests: requests as unknown as number,
    });
    expect(foldCallbacks(fromPostgres(1, '2'), fromPostgres(2, '3')).requests).to.equal(5);
  });
});
