import { expect } from 'chai';
import type { TestServer } from './test-server.js';
import { VOICE, callForm, callSid } from './twilio-voice-payloads.js';
import { waitFor } from './wait-for.js';

/**
 * A caller picks the complaint line (key 2) and leaves a recording at `recordingUrl`, as Twilio's
 * signed voice webhooks tell it; answers the ticket the inbound worker put the recording on.
 */
export async function recordComplaint(server: TestServer, phone: string, recordingUrl: string): Promise<number> {
  const call = callSid();
  const recording = {
    RecordingSid: recordingUrl.split('/').at(-1)!,
    RecordingUrl: recordingUrl,
    RecordingDuration: '2',
  };
  for (const [path, extra] of [
    [VOICE, {}],
    [`${VOICE}/menu`, { Digits: '2' }],
    [`${VOICE}/recording?purpose=complaint`, recording],
  ] as const)
    expect((await server.postTwilio(path, callForm(call, phone, extra))).status).to.equal(200);
  return waitFor('the recording on a ticket', async () => {
    const row = await server.runtime
      .db('inbox')
      .where({ provider: 'twilio-voice', external_id: recording.RecordingSid })
      .first('ticket_id', 'processed_at');
    return row?.processed_at ? Number(row.ticket_id) : undefined;
  });
}
