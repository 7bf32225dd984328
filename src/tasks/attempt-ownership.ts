import { ConflictError, ForbiddenError } from '../errors.js';

/** The latest call-back call placed for a task, as far as who may report its outcome. */
export interface PlacedAttempt {
  call_sid: string;
  agent_id: number | null;
  /** Settled already: by the agent, by Twilio's <Dial> action, or as `agent_unreachable`. */
  attempt_outcome: string | null;
}

/**
 * An agent's outcome belongs to a call-back attempt that was placed (POST /tasks/{id}/call), by
 * the agent who placed it, once: anything else would let anyone count attempts that never rang
 * the citizen, and three quick posts send them "we tried several times". The error to refuse
 * with, or undefined when the outcome may be recorded on that attempt.
 */
export function agentOutcomeRefusal(
  attempt: PlacedAttempt | undefined,
  agentId: number,
): ConflictError | ForbiddenError | undefined {
  if (!attempt)
    return new ConflictError('no_call_attempt', 'No call-back call was placed for this task: call it first', {
      allowed_after: 'POST /api/v1/tasks/{id}/call',
    });
  if (attempt.agent_id !== agentId)
    return new ForbiddenError('Only the agent who placed this call-back call may report its outcome');
  if (attempt.attempt_outcome !== null)
    return new ConflictError('outcome_recorded', "This call's outcome is recorded already: call again first", {
      outcome: attempt.attempt_outcome,
    });
  return undefined;
}
