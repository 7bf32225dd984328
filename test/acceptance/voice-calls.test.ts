import { expect } from 'chai';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import {
  VOICE,
  callForm,
  callSid,
  outline,
  parseTwiml,
  recordingSid,
  transcriptionSid,
} from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';

// Tuesday 1 December 2026, 10:00 WITA (open); 18:00 WITA (closed); the next opening, Wednesday 07:30.
const OPEN = new Date('2026-12-01T02:00:00Z');
const CLOSED = new Date('2026-12-01T10:00:00Z');
const NEXT_OPENING = '2026-12-01T23:30:00.000Z';

interface TicketView {
  id: number;
  channel: string;
  messages: Array<{
    kind: string;
    channel: string;
    direction: string;
    body: string;
    provider_message_id: string | null;
    attachments: Array<{ url: string }>;
  }>;
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

describe('Voice: whole calls as Twilio sends them, to tickets and call-back tasks', function () {
  this.timeout(60_000);
  let server: TestServer;
  let clock = OPEN;
  let seq = 0;
  const newPhone = () => `+62853${String(Date.now() % 100_000).padStart(5, '0')}${String(seq++).padStart(2, '0')}`;

  before(async () => {
    server = await startTestServer({}, { now: () => clock });
  });
  after(async () => server?.stop());
  beforeEach(() => {
    clock = OPEN;
  });

  async function post(path: string, form: Record<string, string>): Promise<string> {
    const response = await server.postTwilio(path, form);
    const body = await response.text();
    expect(response.status, body).to.equal(200);
    return body;
  }

  /** The ticket a call's record (keyed by CallSid) landed on, once the inbound worker took it. */
  async function ticketOfCall(sid: string): Promise<TicketView> {
    const ticketId = await waitFor(`the call ${sid} on a ticket`, async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ provider: 'twilio-voice', external_id: sid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    return ((await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as { data: TicketView }).data;
  }

  /** Runs the call-back pass; the tasks of a ticket. */
  async function tasksOf(ticketId: number): Promise<Array<Record<string, unknown>>> {
    await server.runtime.callbacks!.runOnce();
    return server.runtime.db('tasks').where({ ticket_id: ticketId }).orderBy('id');
  }

  it('menu → complaint → recording → transcription → hang-up: one ticket with the recording, its transcription and the call', async () => {
    const phone = newPhone();
    const sid = callSid();
    const recording = {
      RecordingSid: recordingSid(),
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${'RE1'}`,
      RecordingDuration: '42',
    };
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '2' }));
    const thanks = parseTwiml(await post(`${VOICE}/recording?purpose=complaint`, callForm(sid, phone, recording)));
    expect(outline(thanks)).to.deep.equal(['Say', 'Say', 'Hangup']);
    // Twilio retries the action it got no answer to: recorded once.
    await post(`${VOICE}/recording?purpose=complaint`, callForm(sid, phone, recording));
    const transcription = {
      TranscriptionSid: transcriptionSid(),
      TranscriptionText: 'Izin usaha saya belum terbit sejak bulan lalu',
      TranscriptionStatus: 'completed',
      RecordingSid: recording.RecordingSid,
    };
    await post(`${VOICE}/transcription`, callForm(sid, phone, transcription));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '75' }));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '75' }));

    const ticket = await ticketOfCall(sid);
    expect(ticket.channel).to.equal('voice');
    await waitFor('all three messages', async () => {
      const rows = await server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'inbound' })
        .count({ n: '*' })
        .first();
      return Number(rows?.n) === 3 ? true : undefined;
    });
    const view = ((await (await server.api(`/api/v1/tickets/${ticket.id}`)).json()) as { data: TicketView }).data;
    const inbound = view.messages.filter((message) => message.direction === 'inbound');
    // The transcription and the call's end are two webhooks worked by the queue; which lands first is
    // not fixed (Twilio itself sends the transcription whenever it is ready), so find each by kind.
    expect(inbound.map((message) => message.kind).sort()).to.deep.equal(['call', 'voicemail', 'voicemail']);
    const voicemail = inbound.find((message) => message.kind === 'voicemail' && message.attachments.length > 0);
    const transcribed = inbound.find((message) => message.kind === 'voicemail' && message.attachments.length === 0);
    const callSummary = inbound.find((message) => message.kind === 'call');
    expect(voicemail!.body).to.equal('Pengaduan melalui telepon (rekaman 42 detik)');
    expect(voicemail!.attachments.map((attachment) => attachment.url)).to.deep.equal([recording.RecordingUrl]);
    expect(transcribed!.body).to.include('Izin usaha saya belum terbit');
    expect(callSummary!.body)
      .to.include('durasi 75 detik')
      .and.include('menu: 2')
      .and.include('hasil: complaint')
      .and.include(recording.RecordingUrl);
    // The caller is acknowledged by SMS with the reference number.
    const ack = await waitFor('the acknowledgement', async () => {
      const rows = await server.runtime.db('messages').where({ ticket_id: ticket.id, kind: 'acknowledgement' });
      return rows.length ? rows : undefined;
    });
    expect(ack.map((row) => [row.channel, row.address])).to.deep.equal([['sms', phone]]);
    expect(await tasksOf(ticket.id)).to.deep.equal([]); // served: no call-back
    expect(
      await server.runtime
        .db('calls')
        .where({ call_sid: sid })
        .first('menu_path', 'outcome', 'duration_seconds', 'recording_sid', 'transcription'),
    ).to.deep.equal({
      menu_path: '2',
      outcome: 'complaint',
      duration_seconds: 75,
      recording_sid: recording.RecordingSid,
      transcription: transcription.TranscriptionText,
    });
  });

  it('an abandoned call gets one call-back task; repeated missed calls of that caller still one', async () => {
    const phone = newPhone();
    const first = callSid();
    await post(VOICE, callForm(first, phone));
    await post(`${VOICE}/status`, callForm(first, phone, { CallStatus: 'completed', CallDuration: '9' }));
    const ticket = await ticketOfCall(first);
    expect(ticket.messages.find((message) => message.kind === 'missed_call')?.body).to.include('hasil: abandoned');
    // The SMS says the call was missed and that we call back, not that a message was received.
    const [ack] = await waitFor('the acknowledgement', async () => {
      const rows = await server.runtime.db('messages').where({ ticket_id: ticket.id, kind: 'acknowledgement' });
      return rows.length ? rows : undefined;
    });
    expect(ack!.channel).to.equal('sms');
    expect(ack!.body)
      .to.include('panggilan Anda belum dapat kami jawab')
      .and.include('menelepon Anda kembali')
      .and.not.include('pesan Anda sudah kami terima');
    const [task] = await tasksOf(ticket.id);
    expect(task).to.deep.include({
      kind: 'callback',
      status: 'open',
      phone,
      reason: 'abandoned',
      requests: 1,
      attempts: 0,
    });
    expect(new Date(task!.due_at as string | number).toISOString()).to.equal(OPEN.toISOString());

    // Twilio retries the status callback; then the citizen calls twice more and nobody answers.
    await post(`${VOICE}/status`, callForm(first, phone, { CallStatus: 'completed', CallDuration: '9' }));
    for (const status of ['no-answer', 'busy']) {
      const again = callSid();
      await post(`${VOICE}/status`, callForm(again, phone, { CallStatus: status }));
      expect((await ticketOfCall(again)).id).to.equal(ticket.id);
    }
    const tasks = await tasksOf(ticket.id);
    expect(tasks).to.have.length(1);
    expect(tasks[0]).to.deep.include({ requests: 3, status: 'open' });
    const events = (
      (await (await server.api(`/api/v1/tickets/${ticket.id}`)).json()) as { data: TicketView }
    ).data.events.map((event) => event.type);
    expect(events.filter((type) => type === 'callback_task_created')).to.have.length(1);
    expect(events.filter((type) => type === 'callback_requested_again')).to.have.length(2);
  });

  it('outside working hours a voice message schedules the call-back for the next opening', async () => {
    clock = CLOSED;
    const phone = newPhone();
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '5' }));
    const record = parseTwiml(await post(`${VOICE}/offer`, callForm(sid, phone, { Digits: '1' })));
    expect(outline(record)).to.deep.equal(['Say', 'Record']);
    expect(record[1]!.attrs.action).to.equal(`${PUBLIC_URL}${VOICE}/recording?purpose=voicemail`);
    await post(
      `${VOICE}/recording?purpose=voicemail`,
      callForm(sid, phone, {
        RecordingSid: recordingSid(),
        RecordingUrl: 'https://api.twilio.com/rec/RE2',
        RecordingDuration: '18',
      }),
    );
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '60' }));
    const ticket = await ticketOfCall(sid);
    const [task] = await tasksOf(ticket.id);
    expect(task).to.deep.include({ reason: 'voicemail', status: 'open' });
    expect(new Date(task!.due_at as string | number).toISOString()).to.equal(NEXT_OPENING);
    expect(ticket.messages.find((message) => message.kind === 'voicemail')?.body).to.equal('Pesan suara (18 detik)');
  });

  it('asking for a call-back (4) makes a task even though the caller was never served', async () => {
    const phone = newPhone();
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '4' }));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '20' }));
    const [task] = await tasksOf((await ticketOfCall(sid)).id);
    expect(task).to.deep.include({ reason: 'requested', status: 'open' });
  });
});
