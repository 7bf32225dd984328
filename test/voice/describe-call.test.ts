import { expect } from 'chai';
import { describeCall } from '../../src/voice/call-records.js';
import type { CallRow } from '../../src/voice/call-store.js';

/** A row as the status callback closes it: a caller who heard the information and hung up. */
const row = (changes: Partial<CallRow> = {}): CallRow => ({
  id: 1,
  call_sid: 'CA0123456789abcdef0123456789abcdef',
  direction: 'inbound',
  from_number: '+6281234567890',
  to_number: '+6281100000002',
  phone: '+6281234567890',
  language: 'id',
  menu_path: '1',
  reference_attempts: 0,
  outcome: 'information',
  served: true,
  callback_reason: null,
  agent_id: null,
  task_id: null,
  ticket_id: null,
  status: 'completed',
  started_at: '2026-12-01T02:00:00.000Z',
  ended_at: '2026-12-01T02:01:05.000Z',
  duration_seconds: 65,
  recording_sid: null,
  recording_url: null,
  recording_seconds: null,
  transcription: null,
  attempt_outcome: null,
  ...changes,
});

describe("Voice: a call as agents read it on the ticket's timeline (describeCall)", () => {
  it('says whether the caller was served, how long, which keys and with what result', () => {
    expect(describeCall(row())).to.equal('Panggilan telepon; durasi 65 detik; menu: 1; hasil: information');
    expect(describeCall(row({ served: false, outcome: 'abandoned', menu_path: '3 -' }))).to.equal(
      'Panggilan tak terlayani; durasi 65 detik; menu: 3 -; hasil: abandoned',
    );
  });

  it('leaves out a duration Twilio did not give, and marks no keys and no outcome as such', () => {
    expect(describeCall(row({ duration_seconds: null, menu_path: '', outcome: null, served: false }))).to.equal(
      'Panggilan tak terlayani; menu: -; hasil: unknown',
    );
    // A call of 0 seconds still says so: 0 is a duration, not a missing one.
    expect(describeCall(row({ duration_seconds: 0 }))).to.include('durasi 0 detik');
  });

  it('tells of a call-back asked for and of a recording, with its length', () => {
    expect(
      describeCall(
        row({
          callback_reason: 'voicemail',
          outcome: 'voicemail',
          recording_url: 'https://api.twilio.com/rec/RE1',
          recording_seconds: 12,
        }),
      ),
    ).to.equal(
      'Panggilan telepon; durasi 65 detik; menu: 1; hasil: voicemail; minta ditelepon kembali; rekaman: https://api.twilio.com/rec/RE1 (12 detik)',
    );
    expect(describeCall(row({ recording_url: 'https://r/RE2', recording_seconds: null }))).to.match(
      /rekaman: https:\/\/r\/RE2 \(0 detik\)$/,
    );
  });

  it("never writes the caller's number into the text (it is on the contact, masked where shown)", () => {
    expect(describeCall(row({ callback_reason: 'requested' }))).to.not.include('81234567890');
  });
});
