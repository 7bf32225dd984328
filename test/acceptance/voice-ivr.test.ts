import { expect } from 'chai';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { VOICE, callForm, callSid, outline, parseTwiml, type Verb } from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';

// Tuesday 1 December 2026, 10:00 WITA: the default calendar is open.
const OPEN = new Date('2026-12-01T02:00:00Z');
// The same day, 18:00 WITA: closed.
const CLOSED = new Date('2026-12-01T10:00:00Z');

const says = (verbs: Verb[]): Verb[] => verbs.flatMap((verb) => (verb.verb === 'Say' ? [verb] : says(verb.children)));

describe('Voice: the phone menu (IVR) over signed Twilio webhooks', function () {
  this.timeout(60_000);
  let server: TestServer;
  let clock = OPEN;
  let phoneSeq = 0;
  const newPhone = () => `+62852${String(Date.now() % 100_000).padStart(5, '0')}${String(phoneSeq++).padStart(2, '0')}`;

  before(async () => {
    server = await startTestServer({}, { now: () => clock });
  });
  after(async () => server?.stop());
  beforeEach(() => {
    clock = OPEN;
  });

  async function post(path: string, form: Record<string, string>): Promise<Verb[]> {
    const response = await server.postTwilio(path, form);
    const body = await response.text();
    expect(response.status, body).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/xml/);
    return parseTwiml(body);
  }

  /** A fresh call: its first webhook, then each key in turn on the menu; the last answer. */
  async function call(phone: string, keys: string[] = []): Promise<{ sid: string; first: Verb[]; last: Verb[] }> {
    const sid = callSid();
    const first = await post(VOICE, callForm(sid, phone));
    let last = first;
    for (const key of keys) last = await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: key }));
    return { sid, first, last };
  }

  it('greets in Bahasa Indonesia and offers the menu inside a <Gather> that also reports silence', async () => {
    const { first } = await call(newPhone());
    expect(outline(first)).to.deep.equal(['Gather(Say,Say)']);
    const gather = first[0]!;
    expect(gather.attrs).to.include({
      numDigits: '1',
      action: `${PUBLIC_URL}${VOICE}/menu`,
      method: 'POST',
      actionOnEmptyResult: 'true',
      input: 'dtmf',
    });
    expect(says(first).map((say) => say.attrs.language)).to.deep.equal(['id-ID', 'id-ID']);
    expect(says(first)[0]!.text).to.include('Selamat datang');
    expect(says(first)[1]!.text).to.include('tekan 1').and.include('For English, press 9');
  });

  for (const language of ['id', 'en'] as const) {
    const locale = language === 'id' ? 'id-ID' : 'en-US';
    const keysFor = (keys: string[]) => (language === 'en' ? ['9', ...keys] : keys);
    describe(`every menu path, in ${language === 'id' ? 'Bahasa Indonesia' : 'English'}`, () => {
      it('9 switches the language and says the menu again', async () => {
        if (language === 'id') {
          const { last } = await call(newPhone(), ['9', '9']);
          expect(says(last).every((say) => say.attrs.language === 'id-ID')).to.equal(true);
          return;
        }
        const { last } = await call(newPhone(), ['9']);
        expect(outline(last)).to.deep.equal(['Gather(Say)']);
        expect(says(last)[0]!.attrs.language).to.equal('en-US');
        expect(says(last)[0]!.text).to.include('For information about licences, press 1');
      });

      it('1 tells about licences, then the menu again', async () => {
        const { last } = await call(newPhone(), keysFor(['1']));
        expect(outline(last)).to.deep.equal(['Gather(Say,Say)']);
        expect(says(last).every((say) => say.attrs.language === locale)).to.equal(true);
        expect(says(last)[0]!.text).to.include('OSS');
      });

      it('2 records a complaint of at most two minutes, transcribed, with its purpose on the action', async () => {
        const { last } = await call(newPhone(), keysFor(['2']));
        expect(outline(last)).to.deep.equal(['Say', 'Record']);
        expect(last[0]!.attrs.language).to.equal(locale);
        expect(last[1]!.attrs).to.include({
          action: `${PUBLIC_URL}${VOICE}/recording?purpose=complaint`,
          maxLength: '120',
          transcribe: 'true',
          transcribeCallback: `${PUBLIC_URL}${VOICE}/transcription`,
          playBeep: 'true',
          finishOnKey: '#',
        });
      });

      it('3 asks for the nine digits of a reference number', async () => {
        const { last } = await call(newPhone(), keysFor(['3']));
        expect(outline(last)).to.deep.equal(['Gather(Say)']);
        expect(last[0]!.attrs).to.include({
          numDigits: '9',
          finishOnKey: '#',
          action: `${PUBLIC_URL}${VOICE}/reference`,
        });
        expect(says(last)[0]!.attrs.language).to.equal(locale);
      });

      it('4 confirms the call-back and hangs up', async () => {
        const { last } = await call(newPhone(), keysFor(['4']));
        expect(outline(last)).to.deep.equal(['Say', 'Say', 'Hangup']);
        expect(last[0]!.text).to.include(language === 'id' ? 'menelepon Anda kembali' : 'call you back');
      });

      it('5 with no agent free offers voicemail or a call-back', async () => {
        const { last } = await call(newPhone(), keysFor(['5']));
        expect(outline(last)).to.deep.equal(['Gather(Say,Say)']);
        expect(last[0]!.attrs).to.include({ numDigits: '1', action: `${PUBLIC_URL}${VOICE}/offer` });
        expect(says(last)[1]!.text).to.include(language === 'id' ? 'tekan 1' : 'press 1');
      });

      it('a key that is no choice says so and repeats the menu; two silences end the call', async () => {
        const phone = newPhone();
        const { sid, last } = await call(phone, keysFor(['7']));
        expect(outline(last)).to.deep.equal(['Gather(Say,Say)']);
        const silent = await post(`${VOICE}/menu`, callForm(sid, phone));
        expect(outline(silent)).to.deep.equal(['Gather(Say,Say)']);
        const again = await post(`${VOICE}/menu`, callForm(sid, phone));
        expect(outline(again)).to.deep.equal(['Say', 'Say', 'Hangup']);
        expect(says(again).every((say) => say.attrs.language === locale)).to.equal(true);
      });
    });
  }

  it('outside working hours says so, and speaking to an agent leads to voicemail or a call-back', async () => {
    clock = CLOSED;
    const phone = newPhone();
    const { sid, first, last } = await call(phone, ['5']);
    expect(outline(first)).to.deep.equal(['Gather(Say,Say,Say)']);
    expect(says(first)[1]!.text).to.include('di luar jam layanan');
    expect(outline(last)).to.deep.equal(['Gather(Say,Say)']);
    expect(says(last)[0]!.text).to.include('di luar jam layanan');
    const callback = await post(`${VOICE}/offer`, callForm(sid, phone, { Digits: '2' }));
    expect(callback[0]!.text).to.include('jam layanan berikutnya');
  });

  it('connects to an available agent with a phone and voice capacity, and offers voicemail when they do not answer', async () => {
    const agent = await server.api('/api/v1/agents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `telepon-${phoneSeq}@dpmptsp.example.go.id`,
        name: 'Petugas telepon',
        role: 'agent',
        password: 'sandi-telepon-1234',
        teams: [1],
        phone: '+6281300000111',
      }),
    });
    expect(agent.status).to.equal(201);
    const agentId = ((await agent.json()) as { data: { id: number } }).data.id;
    await server.runtime
      .db('agents')
      .where({ id: agentId })
      .update({ presence: 'available', presence_changed_at: new Date() });
    try {
      const phone = newPhone();
      const { sid, last } = await call(phone, ['5']);
      expect(outline(last)).to.deep.equal(['Say', 'Dial(Number)']);
      expect(last[1]!.attrs).to.include({ action: `${PUBLIC_URL}${VOICE}/dial`, timeout: '20' });
      expect(last[1]!.children[0]!.text).to.equal('+6281300000111');
      const unanswered = await post(`${VOICE}/dial`, callForm(sid, phone, { DialCallStatus: 'no-answer' }));
      expect(outline(unanswered)).to.deep.equal(['Gather(Say,Say)']);
      const connected = await call(phone, ['5']);
      const over = await post(
        `${VOICE}/dial`,
        callForm(connected.sid, phone, { DialCallStatus: 'completed', DialCallDuration: '95' }),
      );
      expect(outline(over)).to.deep.equal(['Say', 'Hangup']);
      expect(
        await server.runtime.db('calls').where({ call_sid: connected.sid }).first('outcome', 'served', 'agent_id'),
      ).to.deep.include({ outcome: 'agent_connected', agent_id: agentId });
    } finally {
      await server.runtime.db('agents').where({ id: agentId }).update({ presence: 'offline' });
    }
  });

  it('puts one caller at a time through to an agent with one voice slot; the next is offered voicemail until the first call ends', async () => {
    const agent = await server.api('/api/v1/agents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `sibuk-${phoneSeq}@dpmptsp.example.go.id`,
        name: 'Petugas sibuk',
        role: 'agent',
        password: 'sandi-telepon-1234',
        teams: [1],
        phone: '+6281300000222',
        capacities: { voice: 1 },
      }),
    });
    expect(agent.status).to.equal(201);
    const agentId = ((await agent.json()) as { data: { id: number } }).data.id;
    await server.runtime
      .db('agents')
      .where({ id: agentId })
      .update({ presence: 'available', presence_changed_at: new Date() });
    try {
      const firstPhone = newPhone();
      const first = await call(firstPhone, ['5']);
      expect(outline(first.last)).to.deep.equal(['Say', 'Dial(Number)']);
      expect(first.last[1]!.children[0]!.text).to.equal('+6281300000222');
      // Twilio retrying the key press: the same agent again, not voicemail.
      const retried = await post(`${VOICE}/menu`, callForm(first.sid, firstPhone, { Digits: '5' }));
      expect(outline(retried)).to.deep.equal(['Say', 'Dial(Number)']);
      expect(retried[1]!.children[0]!.text).to.equal('+6281300000222');
      // Ringing or talking, the agent's phone is in use: the second caller is not put through.
      const second = await call(newPhone(), ['5']);
      expect(outline(second.last)).to.deep.equal(['Gather(Say,Say)']);
      expect(await server.runtime.db('calls').where({ call_sid: second.sid }).first('agent_id')).to.deep.equal({
        agent_id: null,
      });
      await post(
        `${VOICE}/dial`,
        callForm(first.sid, firstPhone, { DialCallStatus: 'completed', DialCallDuration: '40' }),
      );
      const third = await call(newPhone(), ['5']);
      expect(outline(third.last)).to.deep.equal(['Say', 'Dial(Number)']);
      expect(await server.runtime.db('calls').where({ call_sid: third.sid }).first('agent_id')).to.deep.equal({
        agent_id: agentId,
      });
    } finally {
      await server.runtime.db('agents').where({ id: agentId }).update({ presence: 'offline' });
    }
  });

  describe('the status of a ticket by its reference number', () => {
    async function ticketOf(phone: string): Promise<string> {
      const sms = inboundSms(phone, 'Mohon info status izin saya');
      expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
      return waitFor('the SMS ticket', async () => {
        const row = await server.runtime
          .db('messages as m')
          .join('tickets as t', 't.id', 'm.ticket_id')
          .where('m.provider_message_id', sms.MessageSid!)
          .first('t.reference');
        return row?.reference as string | undefined;
      });
    }

    it("reads out the status of the caller's own ticket", async () => {
      const phone = newPhone();
      const reference = await ticketOf(phone);
      const { sid } = await call(phone, ['3']);
      const answer = await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: reference }));
      expect(outline(answer)).to.deep.equal(['Gather(Say,Say)']);
      expect(says(answer)[0]!.text).to.equal(
        `Status tiket SP ${reference.slice(0, 3)} ${reference.slice(3, 6)} ${reference.slice(6)}: Baru.`,
      );
    });

    it('reads it in English after 9', async () => {
      const phone = newPhone();
      const reference = await ticketOf(phone);
      const { sid } = await call(phone, ['9', '3']);
      const answer = await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: reference }));
      expect(says(answer)[0]!.attrs.language).to.equal('en-US');
      expect(says(answer)[0]!.text).to.match(/^The status of ticket SP .*: New\.$/);
    });

    it('catches a typo by the check digit and asks again, at most VOICE_REFERENCE_ATTEMPTS times', async () => {
      const phone = newPhone();
      const reference = await ticketOf(phone);
      const typo = reference.slice(0, 8) + String((Number(reference[8]) + 1) % 10);
      const { sid } = await call(phone, ['3']);
      const first = await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: typo }));
      expect(outline(first)).to.deep.equal(['Gather(Say,Say)']);
      expect(first[0]!.attrs.numDigits).to.equal('9');
      expect(says(first)[0]!.text).to.include('tidak valid');
      await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: typo }));
      const third = await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: typo }));
      expect(third[0]!.attrs.action).to.equal(`${PUBLIC_URL}${VOICE}/menu`); // back to the menu
      expect(says(third)[1]!.text).to.include('belum dapat kami kenali');
    });

    it('a caller who heard the status, then pressed 9 and 3 and hung up, was served: not abandoned, no call-back', async () => {
      const phone = newPhone();
      const reference = await ticketOf(phone);
      const { sid } = await call(phone, ['3']);
      await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: reference }));
      await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '9' }));
      await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '3' }));
      await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '50' }));
      await server.runtime.callbacks!.runOnce();
      expect(
        await server.runtime
          .db('calls')
          .where({ call_sid: sid })
          .first('served', 'outcome', 'callback_reason', 'task_id'),
      ).to.deep.include({ outcome: 'status_read', callback_reason: null, task_id: null });
      expect(Boolean((await server.runtime.db('calls').where({ call_sid: sid }).first('served')).served)).to.equal(
        true,
      );
    });

    it("never reads out another citizen's ticket", async () => {
      const reference = await ticketOf(newPhone());
      const stranger = newPhone();
      const { sid } = await call(stranger, ['3']);
      const answer = await post(`${VOICE}/reference`, callForm(sid, stranger, { Digits: reference }));
      expect(says(answer)[0]!.text).to.include('tidak ditemukan');
      expect(
        says(answer)
          .map((say) => say.text)
          .join(' '),
      ).to.not.include('Baru');
    });
  });

  it('refuses an unsigned webhook (403) and a form without CallSid (400), with JSON errors', async () => {
    const unsigned = await server.postTwilio(VOICE, callForm(callSid(), newPhone()), null);
    expect(unsigned.status).to.equal(403);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).to.equal('invalid_signature');
    const { CallSid: _omitted, ...withoutSid } = callForm(callSid(), newPhone());
    const malformed = await server.postTwilio(VOICE, withoutSid);
    expect(malformed.status).to.equal(400);
    const badPurpose = await server.postTwilio(`${VOICE}/recording?purpose=song`, callForm(callSid(), newPhone()));
    expect(badPurpose.status).to.equal(400);
  });
});
