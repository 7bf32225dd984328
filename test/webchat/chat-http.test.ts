import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { mailSender } from '../support/mail-sender.js';
import { mailedContact } from '../support/mailed-contact.js';
import { openEventStream } from '../support/sse-client.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const CHAT = '/api/v1/public/chat';
// Wednesday 2 December 2026, 10:00 in Makassar (the default calendar's zone): the front desk is open.
const OFFICE_HOURS = Date.parse('2026-12-02T02:00:00Z');
// The same day at 22:00 there: closed.
const NIGHT = Date.parse('2026-12-02T14:00:00Z');

interface Session {
  token: string;
  sessionId: string;
  ticketReference: string | null;
  open: boolean;
}

/**
 * Issue 15, the chat's server side over HTTP: a visitor session, messages through the inbox into a
 * `webchat` ticket, an agent's reply through the ordinary reply API reaching the visitor's stream,
 * resume by Last-Event-ID, long polling, tokens, contacts, office hours, the transcript by mail.
 */
describe('Web chat over HTTP', () => {
  let server: TestServer;
  let smtp: SmtpCapture;
  // The clock runs from a chosen instant: office hours by default, night when a test says so.
  let base = OFFICE_HOURS;
  const started = Date.now();
  const now = () => new Date(base + (Date.now() - started));

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer(
      { SMTP_URL: smtp.url, ROUTING_PASS_INTERVAL_MS: '600000', LIVE_POLL_INTERVAL_MS: '50' },
      { now },
    );
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });
  afterEach(() => {
    base = OFFICE_HOURS;
  });

  const db = () => server.runtime.db;
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const visitor = (token: string, path: string, init: RequestInit = {}) =>
    fetch(server.baseUrl + CHAT + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });

  async function openSession(body: Record<string, unknown> = {}): Promise<Session> {
    const response = await fetch(`${server.baseUrl}${CHAT}/sessions`, json(body));
    expect(response.status).to.equal(201);
    return ((await response.json()) as { data: Session }).data;
  }

  async function say(session: Session, text: string, clientId = randomUUID()) {
    const response = await visitor(session.token, '/messages', {
      method: 'POST',
      body: JSON.stringify({ clientId, text }),
    });
    expect(response.status, await response.clone().text()).to.equal(202);
    return { clientId, body: (await response.json()) as { data: { id: number; clientId: string } } };
  }

  /** The ticket the session's first message became, once the worker processed it. */
  const ticketOf = (session: Session) =>
    waitFor('the chat ticketed', async () => {
      const row = await db()('messages').where({ address: session.sessionId, direction: 'inbound' }).first('ticket_id');
      return row ? Number(row.ticket_id) : undefined;
    });

  const reply = async (ticketId: number, body: string) => {
    const response = await server.api(`/api/v1/tickets/${ticketId}/replies`, json({ body }));
    expect(response.status, await response.clone().text()).to.equal(201);
    return ((await response.json()) as { data: { message_id: number } }).data;
  };

  it('a visitor writes, an agent sees the ticket and answers, and the answer reaches the visitor live', async () => {
    const session = await openSession({ name: 'Sari', language: 'id' });
    expect(session.token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(session.open).to.equal(true);
    expect(session.ticketReference).to.equal(null);
    const stream = await openEventStream(`${server.baseUrl}${CHAT}/stream`, {
      authorization: `Bearer ${session.token}`,
    });
    expect(stream.status).to.equal(200);
    try {
      const { clientId } = await say(session, 'Izin usaha saya belum terbit');
      const ticketId = await ticketOf(session);

      const ticket = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
        data: { channel: string; messages?: Array<{ body: string }> };
      };
      expect(ticket.data.channel).to.equal('webchat');

      await reply(ticketId, 'Baik, kami periksa sekarang.');
      const answer = await waitFor('the reply on the stream', () =>
        stream.events.find((event) => event.event === 'message' && event.data.includes('kami periksa')),
      );
      const data = JSON.parse(answer.data) as { id: number; direction: string; author?: string; text: string };
      expect(data.direction).to.equal('outbound');
      expect(data.author).to.be.a('string');
      expect(answer.id).to.equal(String(data.id));
      const own = stream.events.find((event) => event.event === 'message' && event.data.includes('belum terbit'));
      expect(JSON.parse(own!.data)).to.deep.include({ direction: 'inbound', clientId });
      expect(stream.events.some((event) => event.event === 'status' && JSON.parse(event.data).open === true)).to.equal(
        true,
      );
      // The agent answering marks the visitor's message read.
      expect(stream.events.some((event) => event.event === 'read')).to.equal(true);
      // The dispatcher "sent" it through the webchat adapter.
      const sent = await waitFor('the reply delivered', async () => {
        const row = await db()('messages').where({ id: data.id }).first('delivery_status', 'provider');
        return row?.delivery_status === 'delivered' ? row : undefined;
      });
      expect(sent.provider).to.equal('webchat');

      const described = (await (await visitor(session.token, '/session')).json()) as { data: Session };
      expect(described.data.ticketReference).to.match(/^SP-\d{3}-\d{3}-\d{3}$/);
    } finally {
      await stream.close();
    }
  });

  it('an internal note never reaches the visitor', async () => {
    const session = await openSession();
    await say(session, 'Halo');
    const ticketId = await ticketOf(session);
    const note = await server.api(`/api/v1/tickets/${ticketId}/notes`, json({ body: 'RAHASIA internal' }));
    expect(note.status, await note.clone().text()).to.be.oneOf([200, 201]);
    await reply(ticketId, 'Ada yang bisa dibantu?');
    const page = (await (await visitor(session.token, '/messages?after=0')).json()) as {
      data: Array<{ text: string; system?: boolean }>;
    };
    // The acknowledgement (the reference number) is the system's; the note is nowhere.
    expect(page.data.filter((message) => !message.system).map((message) => message.text)).to.deep.equal([
      'Halo',
      'Ada yang bisa dibantu?',
    ]);
    expect(page.data.find((message) => message.system)?.text).to.match(/SP-\d{3}-\d{3}-\d{3}/);
    expect(JSON.stringify(page.data)).to.not.include('RAHASIA');
  });

  it('a dropped stream resumes by Last-Event-ID with what it missed', async () => {
    const session = await openSession();
    await say(session, 'Pertanyaan pertama');
    const ticketId = await ticketOf(session);
    const first = await openEventStream(`${server.baseUrl}${CHAT}/stream`, {
      authorization: `Bearer ${session.token}`,
    });
    // Up to the acknowledgement, which follows the visitor's message.
    const seen = await waitFor('the acknowledgement', () =>
      first.events.find((event) => event.event === 'message' && JSON.parse(event.data).system),
    );
    await first.close();

    await reply(ticketId, 'Jawaban selagi Anda pergi');
    await reply(ticketId, 'Dan satu lagi');
    const again = await openEventStream(`${server.baseUrl}${CHAT}/stream`, {
      authorization: `Bearer ${session.token}`,
      'last-event-id': seen.id!,
    });
    try {
      await waitFor(
        'both missed replies',
        () => again.events.filter((event) => event.data.includes('satu lagi')).length > 0,
      );
      const texts = again.events
        .filter((event) => event.event === 'message' && !JSON.parse(event.data).system)
        .map((event) => (JSON.parse(event.data) as { text: string }).text);
      expect(texts).to.deep.equal(['Jawaban selagi Anda pergi', 'Dan satu lagi']);
    } finally {
      await again.close();
    }
  });

  it('a long poll returns as soon as an agent replies', async () => {
    const session = await openSession();
    await say(session, 'Tolong');
    const ticketId = await ticketOf(session);
    const known = await waitFor('the acknowledgement', async () => {
      const page = ((await (await visitor(session.token, '/messages')).json()) as { data: Array<{ id: number }> }).data;
      return page.length === 2 ? page : undefined;
    });
    const mine = known[1];
    // Nothing new: the poll waits its time, then answers with nothing.
    const quiet = Date.now();
    const empty = (await (await visitor(session.token, `/messages?after=${mine!.id}&wait=1`)).json()) as { data: [] };
    expect(empty.data).to.deep.equal([]);
    expect(Date.now() - quiet).to.be.at.least(900);
    const startedAt = Date.now();
    const poll = visitor(session.token, `/messages?after=${mine!.id}&wait=20`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await reply(ticketId, 'Siap membantu');
    const answered = (await (await poll).json()) as { data: Array<{ text: string; direction: string }> };
    expect(answered.data).to.have.length(1);
    expect(answered.data[0]).to.deep.include({ text: 'Siap membantu', direction: 'outbound' });
    expect(Date.now() - startedAt).to.be.below(10_000);
  });

  it('a retried message is one message', async () => {
    const session = await openSession();
    const clientId = randomUUID();
    const first = await say(session, 'Sekali saja', clientId);
    const second = await say(session, 'Sekali saja', clientId);
    expect(second.body.data.id).to.equal(first.body.data.id);
    await ticketOf(session);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await db()('messages').where({ address: session.sessionId, direction: 'inbound' });
    expect(rows).to.have.length(1);
  });

  it('a forged, malformed or expired token is 401 JSON', async () => {
    for (const token of ['x'.repeat(43), 'not a token', '']) {
      const response = await visitor(token, '/messages');
      expect(response.status).to.equal(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
    }
    const session = await openSession();
    await db()('webchat_sessions')
      .where({ id: session.sessionId })
      .update({ expires_at: new Date(now().getTime() - 1000) });
    const expired = await visitor(session.token, '/messages', {
      method: 'POST',
      body: JSON.stringify({ clientId: randomUUID(), text: 'hi' }),
    });
    expect(expired.status).to.equal(401);
    const stream = await fetch(`${server.baseUrl}${CHAT}/stream?token=${session.token}`);
    expect(stream.status).to.equal(401);
    // Only the hash is kept.
    const kept = await openSession();
    const row = await db()('webchat_sessions').where({ id: kept.sessionId }).first('token_hash');
    expect(row.token_hash)
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.equal(kept.token);
    // And an expired session, with the phone or email it held, goes as new sessions come.
    expect(await db()('webchat_sessions').where({ id: session.sessionId }).first()).to.equal(undefined);
  });

  it('bad input is a 4xx JSON naming the problem', async () => {
    const badPhone = await fetch(`${server.baseUrl}${CHAT}/sessions`, json({ phone: 'call me' }));
    expect(badPhone.status).to.equal(400);
    expect(JSON.stringify(await badPhone.json())).to.include('phone');
    const badEmail = await fetch(`${server.baseUrl}${CHAT}/sessions`, json({ email: 'nope' }));
    expect(badEmail.status).to.equal(400);
    const session = await openSession();
    const empty = await visitor(session.token, '/messages', {
      method: 'POST',
      body: JSON.stringify({ clientId: randomUUID(), text: '  ' }),
    });
    expect(empty.status).to.equal(400);
    expect(JSON.stringify(await empty.json())).to.include('text');
    const noClient = await visitor(session.token, '/messages', { method: 'POST', body: JSON.stringify({ text: 'x' }) });
    expect(noClient.status).to.equal(400);
    expect(JSON.stringify(await noClient.json())).to.include('clientId');
    const badAfter = await visitor(session.token, '/messages?after=-1');
    expect(badAfter.status).to.equal(400);
    const badResume = await fetch(`${server.baseUrl}${CHAT}/stream`, {
      headers: { authorization: `Bearer ${session.token}`, 'last-event-id': 'abc' },
    });
    expect(badResume.status).to.equal(400);
    const badRead = await visitor(session.token, '/read', { method: 'POST', body: JSON.stringify({ upTo: 'all' }) });
    expect(badRead.status).to.equal(400);
  });

  it('a visitor who gives their phone joins the contact who wrote by SMS', async () => {
    const phone = `+62812${String(Date.now()).slice(-7)}`;
    const sms = inboundSms(phone, 'Saya sudah SMS kemarin');
    expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    const smsContact = await waitFor('the SMS ticketed', async () => {
      const row = await db()('messages as m')
        .join('tickets as t', 't.id', 'm.ticket_id')
        .where({ 'm.provider_message_id': sms.MessageSid })
        .first('t.contact_id');
      return row ? Number(row.contact_id) : undefined;
    });
    // Written the way people write it: 0812..., spaces.
    const local = `0${phone.slice(3, 6)} ${phone.slice(6, 10)} ${phone.slice(10)}`;
    const session = await openSession({ phone: local, name: 'Budi' });
    await say(session, 'Ini lanjutan dari SMS saya');
    const ticketId = await ticketOf(session);
    const ticket = await db()('tickets').where({ id: ticketId }).first('contact_id', 'channel');
    expect(ticket.channel).to.equal('webchat');
    expect(Number(ticket.contact_id)).to.equal(smsContact);
    const identities = await db()('contact_identities').where({ contact_id: smsContact }).pluck('kind');
    expect(identities).to.include.members(['phone', 'webchat']);
  });

  it('a visitor who gives their email joins the contact who wrote by mail', async () => {
    const email = `warga.surel.${Date.now()}@example.id`;
    const mail = mailSender(server.runtime.smtpPort!);
    try {
      await mail.send({
        from: `Rina Wati <${email}>`,
        to: 'helpdesk@localhost',
        subject: 'Izin praktik',
        text: 'Bagaimana memperpanjang izin praktik saya?',
      });
    } finally {
      mail.close();
    }
    const mailContact = await mailedContact(db(), email);
    // Typed with capitals, no phone.
    const session = await openSession({ email: email.toUpperCase(), name: 'Rina' });
    await say(session, 'Saya sudah kirim email kemarin');
    const ticketId = await ticketOf(session);
    const ticket = await db()('tickets').where({ id: ticketId }).first('contact_id', 'channel');
    expect(ticket.channel).to.equal('webchat');
    expect(Number(ticket.contact_id)).to.equal(mailContact);
    const identities = await db()('contact_identities').where({ contact_id: mailContact }).select('kind', 'value');
    expect(identities).to.deep.equal([
      { kind: 'email', value: email },
      { kind: 'webchat', value: session.sessionId },
    ]);
    // The agent sees one citizen: the mail's name is kept, not replaced by what was typed.
    expect((await db()('contacts').where({ id: mailContact }).first('display_name')).display_name).to.equal(
      'Rina Wati',
    );
  });

  it("someone who types another citizen's phone in the chat finds that contact but not their conversation", async () => {
    const phone = `+62813${String(Date.now()).slice(-7)}`;
    // The citizen chats first, and is waiting on the office (an open webchat ticket).
    const citizen = await openSession({ phone, email: `warga${Date.now()}@example.id` });
    await say(citizen, 'Kapan izin saya terbit?');
    const citizenTicket = await ticketOf(citizen);
    // Someone else types the same phone, and an email of their own.
    const strangerEmail = `orang-lain${Date.now()}@example.net`;
    const stranger = await openSession({ phone, email: strangerEmail, name: 'Orang Lain' });
    const stream = await openEventStream(`${server.baseUrl}${CHAT}/stream`, {
      authorization: `Bearer ${stranger.token}`,
    });
    try {
      await say(stranger, 'Halo, saya juga mau tanya');
      const strangerTicket = await ticketOf(stranger);
      // Their own ticket: the chat joins only its own session's conversation.
      expect(strangerTicket).to.not.equal(citizenTicket);
      const contactOf = async (id: number) =>
        Number((await db()('tickets').where({ id }).first('contact_id')).contact_id);
      expect(await contactOf(strangerTicket)).to.equal(await contactOf(citizenTicket));
      // The typed email is not tied to the citizen's contact, so mail from it is not theirs.
      const emails = await db()('contact_identities')
        .where({ contact_id: await contactOf(citizenTicket), kind: 'email' })
        .pluck('value');
      expect(emails).to.not.include(strangerEmail);
      // The office's answer to the citizen never reaches the stranger's stream.
      await reply(citizenTicket, 'Izin Anda terbit besok pagi.');
      await reply(strangerTicket, 'Silakan, ada yang bisa kami bantu?');
      await waitFor('the answer to the stranger', () =>
        stream.events.find((event) => event.event === 'message' && event.data.includes('ada yang bisa')),
      );
      expect(stream.events.some((event) => event.data.includes('terbit besok'))).to.equal(false);
    } finally {
      await stream.close();
    }
  });

  it("a visitor subscribed to their chat's status is told in their own chat, never in a stranger's on the same phone", async () => {
    const phone = `+62815${String(Date.now()).slice(-7)}`;
    const citizen = await openSession({ phone, name: 'Warga' });
    await say(citizen, 'Kapan izin usaha saya terbit?');
    const citizenTicket = await ticketOf(citizen);
    const reference = (await (await visitor(citizen.token, '/session')).json()) as { data: Session };
    // Someone else types the same phone: the same contact, a conversation (and ticket) of their own,
    // and the newest chat of that contact.
    const stranger = await openSession({ phone, name: 'Orang Lain' });
    await say(stranger, 'Saya juga mau tanya');
    const strangerTicket = await ticketOf(stranger);
    expect(strangerTicket).to.not.equal(citizenTicket);

    const subscribe = (body: Record<string, string>) =>
      fetch(`${server.baseUrl}/api/v1/public/track/subscribe`, json(body));
    const subscribed = await subscribe({ reference: reference.data.ticketReference!, phoneLast4: phone.slice(-4) });
    expect(subscribed.status, await subscribed.clone().text()).to.equal(200);
    expect(await subscribed.json()).to.deep.equal({ data: { subscribed: true, channel: 'webchat' } });

    const resolved = await server.api(`/api/v1/tickets/${citizenTicket}/resolve`, json({}));
    expect(resolved.status, await resolved.clone().text()).to.equal(200);
    await server.runtime.statusUpdates!.runOnce();
    const update = `status tiket ${reference.data.ticketReference}: Selesai`;
    const seen = async (session: Session) => {
      const page = (await (await visitor(session.token, '/messages?after=0')).json()) as {
        data: Array<{ text: string; system?: boolean }>;
      };
      return page.data.filter((message) => message.text.includes(update));
    };
    const told = await waitFor('the status update in the chat', async () => {
      const found = await seen(citizen);
      return found.length > 0 ? found : undefined;
    });
    expect(told).to.have.length(1);
    expect(told[0]!.system).to.equal(true);
    expect(await seen(stranger)).to.deep.equal([]);
    const rows = await db()('messages').where({ ticket_id: citizenTicket, kind: 'status_reply' }).select('address');
    expect(rows).to.deep.equal([{ address: citizen.sessionId }]);
  });

  it('a chat never lands on a ticket of the contact waiting on a clarification', async () => {
    const phone = `+62814${String(Date.now()).slice(-7)}`;
    const sms = inboundSms(phone, 'Izin reklame saya bagaimana?');
    expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    const smsTicket = await waitFor('the SMS ticketed', async () => {
      const row = await db()('messages').where({ provider_message_id: sms.MessageSid }).first('ticket_id');
      return row ? Number(row.ticket_id) : undefined;
    });
    const asked = await server.api(
      `/api/v1/tickets/${smsTicket}/clarification`,
      json({ body: 'Mohon kirim nomor izin Anda.' }),
    );
    expect(asked.status, await asked.clone().text()).to.be.within(200, 201);
    const session = await openSession({ phone });
    await say(session, 'Nomor izin 503/123/2026');
    const chatTicket = await ticketOf(session);
    expect(chatTicket).to.not.equal(smsTicket);
    expect((await db()('tickets').where({ id: smsTicket }).first('status')).status).to.equal('pending_citizen');
  });

  it('outside office hours the session says closed, and a message is still a ticket', async () => {
    base = NIGHT;
    const session = await openSession();
    expect(session.open).to.equal(false);
    const hours = (session as unknown as { hours: { nextOpening: string } }).hours;
    expect(new Date(hours.nextOpening).getTime()).to.be.above(now().getTime());
    await say(session, 'Pesan malam hari');
    const ticketId = await ticketOf(session);
    expect((await db()('tickets').where({ id: ticketId }).first('channel')).channel).to.equal('webchat');
  });

  it('the transcript goes by mail to the session email', async () => {
    const email = `warga-${Date.now()}@example.id`;
    const session = await openSession({ email: email.toUpperCase(), language: 'en' });
    await say(session, 'Please send me this chat');
    const ticketId = await ticketOf(session);
    await reply(ticketId, 'Of course.');
    const response = await visitor(session.token, '/transcript', { method: 'POST', body: '{}' });
    expect(response.status, await response.clone().text()).to.equal(202);
    const mail = await waitFor('the transcript mail', () =>
      smtp.messages.find((message) => message.rcptTo.includes(email) && message.raw.includes('Of course.')),
    );
    expect(mail.raw).to.include('Please send me this chat');
    const noEmail = await openSession();
    await say(noEmail, 'Hi');
    expect((await visitor(noEmail.token, '/transcript', { method: 'POST', body: '{}' })).status).to.equal(422);
  });

  it('HTML in a message stays text in JSON', async () => {
    const session = await openSession();
    const text = '<script>alert(1)</script><b>tebal</b>';
    await say(session, text);
    await ticketOf(session);
    const response = await visitor(session.token, '/messages');
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    const page = (await response.json()) as { data: Array<{ text: string }> };
    expect(page.data[0]!.text).to.equal(text);
  });

  it('an agent typing reaches the stream; the visitor typing is seen by the agent', async () => {
    const session = await openSession();
    await say(session, 'Halo?');
    const ticketId = await ticketOf(session);
    const stream = await openEventStream(`${server.baseUrl}${CHAT}/stream?token=${session.token}`, {});
    try {
      await waitFor('connected', () => stream.comments > 0);
      const typing = await server.api(`/api/v1/tickets/${ticketId}/typing`, { method: 'POST' });
      expect(typing.status).to.equal(204);
      await waitFor('typing on the stream', () => stream.events.find((event) => event.event === 'typing'));
    } finally {
      await stream.close();
    }
    expect((await visitor(session.token, '/typing', { method: 'POST', body: '{}' })).status).to.equal(204);
    const seen = (await (await server.api(`/api/v1/tickets/${ticketId}/typing`)).json()) as {
      data: { visitor_typing: boolean };
    };
    expect(seen.data.visitor_typing).to.equal(true);
  });

  it('read marks move the agent reply to read; streams per session are bounded', async () => {
    const session = await openSession();
    await say(session, 'Baca ini');
    const ticketId = await ticketOf(session);
    const { message_id: messageId } = await reply(ticketId, 'Sudah');
    await waitFor(
      'delivered',
      async () =>
        (await db()('messages').where({ id: messageId }).first('delivery_status')).delivery_status === 'delivered',
    );
    const read = await visitor(session.token, '/read', { method: 'POST', body: JSON.stringify({ upTo: messageId }) });
    expect(read.status).to.equal(204);
    await waitFor(
      'read',
      async () => (await db()('messages').where({ id: messageId }).first('delivery_status')).delivery_status === 'read',
    );

    const open = [];
    try {
      for (let index = 0; index < 3; index += 1)
        open.push(
          await openEventStream(`${server.baseUrl}${CHAT}/stream`, { authorization: `Bearer ${session.token}` }),
        );
      const fourth = await fetch(`${server.baseUrl}${CHAT}/stream`, {
        headers: { authorization: `Bearer ${session.token}` },
      });
      expect(fourth.status).to.equal(429);
    } finally {
      for (const stream of open) await stream.close();
    }
  });
});
