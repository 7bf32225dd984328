import { expect } from 'chai';
import { ConflictError, ForbiddenError } from '../../src/errors.js';
import { agentOutcomeRefusal } from '../../src/tasks/attempt-ownership.js';

describe("Call-backs: who may report a call's outcome (agentOutcomeRefusal)", () => {
  const placed = { call_sid: 'CA1', agent_id: 7, attempt_outcome: null };

  it("accepts the outcome of the agent's own call not settled yet", () => {
    expect(agentOutcomeRefusal(placed, 7)).to.equal(undefined);
  });

  it('refuses when no call was placed (409 no_call_attempt)', () => {
    const refusal = agentOutcomeRefusal(undefined, 7);
    expect(refusal).to.be.instanceOf(ConflictError);
    expect(refusal).to.include({ status: 409, code: 'no_call_attempt' });
  });

  it('refuses anyone but the agent who placed the call (403), before saying it is settled', () => {
    expect(agentOutcomeRefusal(placed, 8)).to.be.instanceOf(ForbiddenError).and.include({ status: 403 });
    expect(agentOutcomeRefusal({ ...placed, attempt_outcome: 'reached' }, 8)).to.include({ status: 403 });
    expect(agentOutcomeRefusal({ ...placed, agent_id: null }, 7)).to.include({ status: 403 });
  });

  it('refuses a second outcome for one call, whoever gave the first (409 outcome_recorded)', () => {
    for (const first of ['no_answer', 'reached', 'agent_unreachable'])
      expect(agentOutcomeRefusal({ ...placed, attempt_outcome: first }, 7)).to.include({
        status: 409,
        code: 'outcome_recorded',
      });
  });
});
