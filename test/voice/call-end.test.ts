import { expect } from 'chai';
import { callEnd } from '../../src/voice/call-end.js';

/** The row as the menu leaves it: a caller who pressed nothing yet. */
const call = (changes: Partial<Parameters<typeof callEnd>[0]> = {}): Parameters<typeof callEnd>[0] => ({
  served: false,
  callback_reason: null,
  phone: '+6281234567890',
  outcome: null,
  ticket_id: null,
  recording_sid: null,
  ...changes,
});

describe('Voice: what the end of a call means (callEnd)', () => {
  it('a caller who hung up unserved is abandoned, with a call-back when the number is known', () => {
    expect(callEnd(call(), 'completed')).to.deep.equal({
      missed: { outcome: 'abandoned', callbackReason: 'abandoned' },
      place: 'inbox',
    });
    expect(callEnd(call({ phone: null }), 'no-answer').missed).to.deep.equal({
      outcome: 'no_answer',
      callbackReason: null,
    });
    expect(callEnd(call(), 'busy').missed?.outcome).to.equal('busy');
  });

  it('a caller served once is never abandoned, whatever the outcome of the keys after', () => {
    for (const outcome of ['status_read', 'information', 'agent_connected', 'agent_no_answer', 'complaint_started'])
      expect(callEnd(call({ served: true, outcome }), 'completed').missed, outcome).to.equal(undefined);
  });

  it('a call-back asked for is not a missed call', () => {
    expect(callEnd(call({ callback_reason: 'requested', outcome: 'callback_requested' }), 'completed')).to.deep.equal({
      missed: undefined,
      place: 'inbox',
    });
  });

  it('a status check that found a ticket is recorded on it, unless a message was left', () => {
    expect(callEnd(call({ served: true, outcome: 'status_read', ticket_id: 7 }), 'completed').place).to.equal(
      'found_ticket',
    );
    expect(
      callEnd(
        call({ served: true, outcome: 'callback_requested', ticket_id: 7, callback_reason: 'requested' }),
        'completed',
      ).place,
    ).to.equal('found_ticket');
    expect(
      callEnd(call({ served: true, outcome: 'voicemail', ticket_id: 7, recording_sid: 'RE1' }), 'completed').place,
    ).to.equal('inbox');
  });

  it('a status check that found nothing is logged only, not abandoned; asking for a call after it is', () => {
    expect(callEnd(call({ outcome: 'status_not_found' }), 'completed')).to.deep.equal({
      missed: undefined,
      place: 'nowhere',
    });
    expect(callEnd(call({ outcome: 'status_not_found', callback_reason: 'requested' }), 'completed').place).to.equal(
      'inbox',
    );
    expect(callEnd(call({ outcome: 'status_not_found', served: true }), 'completed').place).to.equal('inbox');
  });
});
