import { expect } from 'chai';
import fc from 'fast-check';
import { isLastAttempt } from '../../src/queue/job-attempts.js';

describe("Outbound jobs: a message is marked failed on its job's last attempt only (isLastAttempt)", () => {
  it('counts the attempts made before the one running: the third of three is the last, the second is not', () => {
    expect(isLastAttempt(0, 3)).to.equal(false);
    expect(isLastAttempt(1, 3)).to.equal(false);
    expect(isLastAttempt(2, 3)).to.equal(true);
    // No allowance set: BullMQ runs the job once, so its first attempt is its last.
    expect(isLastAttempt(0, undefined)).to.equal(true);
    expect(isLastAttempt(0, 1)).to.equal(true);
  });

  it('law: of the attempts a job is allowed, exactly one, the final one, is the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (attempts) => {
        const runs = Array.from({ length: attempts }, (_, made) => isLastAttempt(made, attempts));
        expect(runs.filter(Boolean)).to.have.length(1);
        expect(runs[attempts - 1]).to.equal(true);
        // A run past the allowance (a job retried by hand) is still a last attempt.
        expect(isLastAttempt(attempts + 3, attempts)).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });
});
