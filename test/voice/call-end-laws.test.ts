import { expect } from 'chai';
import fc from 'fast-check';
import { FINAL_CALL_STATUSES } from '../../channels/adapter.js';
import { callEnd } from '../../src/voice/call-end.js';

// The worked cases are test/voice/call-end.test.ts; these are the laws over every row the menu can
// leave and every final status Twilio reports (only final ones reach callEnd: call-records.ts).

type EndingCall = Parameters<typeof callEnd>[0];
const OUTCOMES = [
  null,
  'information',
  'complaint_started',
  'complaint',
  'voicemail',
  'status_read',
  'status_not_found',
  'callback_requested',
  'agent_dialled',
  'agent_connected',
  'agent_no_answer',
];
const callArb: fc.Arbitrary<EndingCall> = fc.record({
  served: fc.boolean(),
  callback_reason: fc.constantFrom(null, 'requested', 'voicemail'),
  phone: fc.constantFrom(null, '+6281234567890'),
  outcome: fc.constantFrom(...OUTCOMES),
  ticket_id: fc.constantFrom(null, 7),
  recording_sid: fc.constantFrom(null, 'RE0123456789abcdef0123456789abcdef'),
});
const statusArb = fc.constantFrom(undefined, ...FINAL_CALL_STATUSES);
const runs = { numRuns: 500 };

describe('Voice: what the end of a call means, laws (callEnd)', () => {
  it('a call is missed exactly when the caller was never served, asked for no call-back and tried no status check', () => {
    fc.assert(
      fc.property(callArb, statusArb, (call, status) => {
        const abandoned = !call.served && call.callback_reason === null && call.outcome !== 'status_not_found';
        expect(callEnd(call, status).missed !== undefined).to.equal(abandoned);
      }),
      runs,
    );
  });

  it("a missed call's outcome is Twilio's reason (busy, not answered, failed) or abandoned, and is its call-back's reason when the number is known", () => {
    const reason: Record<string, string> = { busy: 'busy', 'no-answer': 'no_answer', failed: 'failed' };
    fc.assert(
      fc.property(callArb, statusArb, (call, status) => {
        const { missed } = callEnd(call, status);
        if (!missed) return;
        expect(missed.outcome).to.equal(reason[status ?? ''] ?? 'abandoned');
        expect(missed.callbackReason).to.equal(call.phone === null ? null : missed.outcome);
      }),
      runs,
    );
  });

  it('where a call is recorded depends on the row only: a message left goes to the inbox, a found ticket takes the rest', () => {
    fc.assert(
      fc.property(callArb, statusArb, statusArb, (call, status, other) => {
        const { place } = callEnd(call, status);
        expect(callEnd(call, other).place, 'the same whatever the final status').to.equal(place);
        if (call.recording_sid !== null) expect(place).to.equal('inbox');
        else if (call.ticket_id !== null) expect(place).to.equal('found_ticket');
        // Nowhere only for a status check that found nothing and led to nothing else.
        const nothingElse = !call.served && call.callback_reason === null && call.outcome === 'status_not_found';
        expect(place === 'nowhere').to.equal(call.recording_sid === null && call.ticket_id === null && nothingElse);
      }),
      runs,
    );
  });
});
