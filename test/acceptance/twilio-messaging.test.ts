import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp, statusCallback } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const MESSAGING = '/webhooks/twilio/messaging';
const STATUS = '/webhooks/twilio/status';

interface TicketView {
  id: number;
  reference: string;
  status: string;
  channel: string;
  subject: string | null;
  contact: { id: number; identities?: Array<{ kind: string; value: string }> };
  messages: Array<{
    id: number;
    direction: string;
    channel: string;
    kind: string;
    body: string;
    delivery_status: string | null;
    provider_message_id: string | null;
    error_code: string | null;
    attachments: Array<{ url: string; content_type: string }>;
  }>;
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

describe('Twilio messaging: SMS and WhatsApp become tickets', () => {
  let server: TestServer;
  let phoneSeq = 0;
  // A fresh Indonesian mobile number per test, so tests never share a citizen.
  const newPhone = () => `+62812${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneSeq++ % 10)}`;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  async function ticketOf(messageSid: string): Promise<TicketView> {
    const ticketId = await waitFor(`inbox row ${messageSid} processed`, async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: messageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const response = await server.api(`/api/v1/tickets/${ticketId}`);
    expect(response.status).to.equal(200);
    return ((await response.json()) as { data: TicketView }).data;
  }

  async function acknowledged(ticketId: number): Promise<TicketView['messages'][number]> {
    return waitFor('acknowledgement sent', async () => {
      const view = ((await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as { data: TicketView }).data;
      const ack = view.messages.find((message) => message.kind === 'acknowledgement');
      return ack?.provider_message_id ? ack : undefined;
    });
  }

  it('turns an inbound SMS into a new ticket, answered with empty TwiML, and acknowledges it by SMS', async () => {
    const phone = newPhone();
    const sms = inboundSms(phone, 'Selamat pagi, bagaimana cara mengurus izin usaha (NIB)?');
    const response = await server.postTwilio(MESSAGING, sms);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/xml/);
    const twiml = new XMLParser().parse(await response.text());
    expect(twiml).to.have.property('Response');

    const ticket = await ticketOf(sms.MessageSid!);
    expect(ticket.status).to.equal('new');
    expect(ticket.channel).to.equal('sms');
    expect(ticket.reference).to.match(/^SP-\d{3}-\d{3}-\d{3}$/);
    expect(ticket.subject).to.equal('Selamat pagi, bagaimana cara mengurus izin usaha (NIB)?');
    expect(ticket.contact.identities).to.deep.equal([{ kind: 'phone', value: phone }]);
    expect(ticket.events.map((event) => event.type)).to.include.members(['ticket_created', 'message_received']);

    const ack = await acknowledged(ticket.id);
    expect(ack.channel).to.equal('sms');
    expect(ack.body).to.contain(ticket.reference).and.to.contain('Nomor tiket');
    // A SID minted by the Twilio mock from Twilio's own OpenAPI description.
    expect(ack.provider_message_id).to.match(/^(SM|MM)[0-9a-fA-F]{32}$/);
  });

  it('turns a WhatsApp message into a ticket on the whatsapp channel and acknowledges it on WhatsApp', async () => {
    const phone = newPhone();
    const message = inboundWhatsApp(phone, 'Halo, saya mau tanya syarat PBG');
    expect((await server.postTwilio(MESSAGING, message)).status).to.equal(200);
    const ticket = await ticketOf(message.MessageSid!);
    expect(ticket.channel).to.equal('whatsapp');
    const ack = await acknowledged(ticket.id);
    expect(ack.channel).to.equal('whatsapp');
    const contact = await server.runtime.db('contacts').where({ id: ticket.contact.id }).first('display_name');
    expect(contact.display_name).to.equal('Budi Santoso');
  });

  it('treats a Twilio retry or a replay of the same MessageSid as a no-op', async () => {
    const sms = inboundSms(newPhone(), 'Pesan yang dikirim ulang');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await server.postTwilio(MESSAGING, sms)).status).to.equal(200);
    }
    const ticket = await ticketOf(sms.MessageSid!);
    const db = server.runtime.db;
    const inboxRows = await db('inbox').where({ external_id: sms.MessageSid }).count({ n: '*' }).first();
    expect(Number(inboxRows?.n)).to.equal(1);
    expect(ticket.messages.filter((message) => message.direction === 'inbound')).to.have.length(1);
    await acknowledged(ticket.id);
    expect(ticket.messages.filter((message) => message.kind === 'acknowledgement').length).to.be.at.most(1);
    const tickets = await db('tickets').where({ contact_id: ticket.contact.id }).count({ n: '*' }).first();
    expect(Number(tickets?.n)).to.equal(1);
  });

  it('refuses a wrong or missing signature with 403 and records nothing', async () => {
    const sms = inboundSms(newPhone(), 'Tidak ditandatangani');
    const wrong = await server.postTwilio(MESSAGING, sms, 'bm90IGEgc2lnbmF0dXJl');
    expect(wrong.status).to.equal(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).to.equal('invalid_signature');
    expect((await server.postTwilio(MESSAGING, sms, null)).status).to.equal(403);
    // Signed for other parameters than the ones sent: a tampered body.
    const tampered = { ...sms, Body: 'diubah' };
    const signatureOfOriginal = (await import('twilio')).default.getExpectedTwilioSignature(
      'test-auth-token-5f0c2a9d41b7e3c8',
      `https://helpdesk.dpmptsp.example.go.id${MESSAGING}`,
      sms,
    );
    expect((await server.postTwilio(MESSAGING, tampered, signatureOfOriginal)).status).to.equal(403);
    expect(await server.runtime.db('inbox').where({ external_id: sms.MessageSid }).first()).to.equal(undefined);
  });

  it('answers a signed webhook without MessageSid or From with 400 naming the problem', async () => {
    const response = await server.postTwilio(MESSAGING, { Body: 'tanpa pengirim', AccountSid: 'AC1' });
    expect(response.status).to.equal(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('invalid_request');
    expect(body.error.message).to.contain('MessageSid');
  });

  it('knows one citizen across SMS and WhatsApp whatever the number format', async () => {
    const national = `0812${String(Date.now() % 100_000_000).padStart(8, '0')}`;
    const e164 = `+62${national.slice(1)}`;
    const sms = inboundSms(national, 'Lewat SMS');
    const whatsapp = inboundWhatsApp(e164, 'Lewat WhatsApp');
    await server.postTwilio(MESSAGING, sms);
    const smsTicket = await ticketOf(sms.MessageSid!);
    await server.postTwilio(MESSAGING, whatsapp);
    const whatsappTicket = await ticketOf(whatsapp.MessageSid!);
    expect(whatsappTicket.contact.id).to.equal(smsTicket.contact.id);
    // Different channels, no reference quoted: two tickets of one citizen.
    expect(whatsappTicket.id).to.not.equal(smsTicket.id);
    const identities = await server.runtime
      .db('contact_identities')
      .where({ contact_id: smsTicket.contact.id })
      .select('kind', 'value');
    expect(identities).to.deep.equal([{ kind: 'phone', value: e164 }]);
  });

  it('threads a follow-up SMS onto the open ticket of the same channel without a new acknowledgement', async () => {
    const phone = newPhone();
    const first = inboundSms(phone, 'Pertanyaan pertama');
    await server.postTwilio(MESSAGING, first);
    const ticket = await ticketOf(first.MessageSid!);
    const second = inboundSms(phone, 'Tambahan informasi');
    await server.postTwilio(MESSAGING, second);
    const same = await ticketOf(second.MessageSid!);
    expect(same.id).to.equal(ticket.id);
    expect(
      same.messages.filter((message) => message.direction === 'inbound').map((message) => message.body),
    ).to.deep.equal(['Pertanyaan pertama', 'Tambahan informasi']);
    expect(same.messages.filter((message) => message.kind === 'acknowledgement')).to.have.length(1);
  });

  it('puts a reply quoting a reference number on that ticket, even from another channel', async () => {
    const phone = newPhone();
    const first = inboundSms(phone, 'Izin saya belum terbit');
    await server.postTwilio(MESSAGING, first);
    const ticket = await ticketOf(first.MessageSid!);
    const reply = inboundWhatsApp(phone, `Menindaklanjuti laporan ${ticket.reference}, ini dokumen tambahannya`);
    await server.postTwilio(MESSAGING, reply);
    const threaded = await ticketOf(reply.MessageSid!);
    expect(threaded.id).to.equal(ticket.id);
    const received = threaded.events.filter((event) => event.type === 'message_received');
    expect(received.at(-1)!.data.threaded_by).to.equal('reference');
  });

  it('never matches a mistyped reference number to a ticket, and notes the typo', async () => {
    const first = inboundSms(newPhone(), 'Laporan awal');
    await server.postTwilio(MESSAGING, first);
    const ticket = await ticketOf(first.MessageSid!);
    const digits = ticket.reference.replace(/\D/g, '');
    // Swap two neighbouring digits that differ: the Damm check digit catches every such swap.
    const index = [...digits].findIndex((digit, i) => i < digits.length - 1 && digit !== digits[i + 1]);
    const typo = digits.slice(0, index) + digits[index + 1] + digits[index] + digits.slice(index + 2);

    const other = inboundWhatsApp(newPhone(), `Nomor tiket saya ${typo}`);
    await server.postTwilio(MESSAGING, other);
    const landed = await ticketOf(other.MessageSid!);
    expect(landed.id).to.not.equal(ticket.id);
    const typoEvent = landed.events.find((event) => event.type === 'reference_mistyped');
    expect(typoEvent?.data.quoted).to.deep.equal([typo]);
  });

  it('attaches a reference quoted by an unknown number, flagged for an agent to confirm', async () => {
    const first = inboundSms(newPhone(), 'Laporan pengaduan');
    await server.postTwilio(MESSAGING, first);
    const ticket = await ticketOf(first.MessageSid!);
    const stranger = inboundSms(newPhone(), `Saya keluarga pelapor ${ticket.reference}`);
    await server.postTwilio(MESSAGING, stranger);
    const landed = await ticketOf(stranger.MessageSid!);
    expect(landed.id).to.equal(ticket.id);
    expect(landed.events.map((event) => event.type)).to.include('sender_unverified');
  });

  it('keeps WhatsApp media as attachments on the message', async () => {
    const message = inboundWhatsApp(newPhone(), 'Foto KTP dan surat', {
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
      MediaContentType1: 'application/pdf',
    });
    await server.postTwilio(MESSAGING, message);
    const ticket = await ticketOf(message.MessageSid!);
    const inbound = ticket.messages.find((item) => item.direction === 'inbound')!;
    expect(inbound.attachments.map((attachment) => attachment.content_type)).to.deep.equal([
      'image/jpeg',
      'application/pdf',
    ]);
    expect(inbound.attachments[1]!.url).to.match(/ME2$/);
  });

  it('moves delivery status forward from status callbacks, ignores late ones, and records failures', async () => {
    const sms = inboundSms(newPhone(), 'Cek status pengiriman');
    await server.postTwilio(MESSAGING, sms);
    const ticket = await ticketOf(sms.MessageSid!);
    const ack = await acknowledged(ticket.id);
    const sid = ack.provider_message_id!;
    // The mock answers the send with a random status from Twilio's enum; real Twilio answers
    // 'queued' or 'accepted'. Start from there so that the sequence below is Twilio's.
    await server.runtime.db('messages').where({ id: ack.id }).update({ delivery_status: 'queued' });
    const statusOf = async () =>
      (await server.runtime.db('messages').where({ id: ack.id }).first('delivery_status', 'error_code')) as {
        delivery_status: string;
        error_code: string | null;
      };

    expect((await server.postTwilio(STATUS, statusCallback(sid, 'delivered'))).status).to.equal(200);
    expect((await statusOf()).delivery_status).to.equal('delivered');
    await server.postTwilio(STATUS, statusCallback(sid, 'sent')); // arrives late: ignored
    expect((await statusOf()).delivery_status).to.equal('delivered');
    await server.postTwilio(STATUS, statusCallback(sid, 'read'));
    expect((await statusOf()).delivery_status).to.equal('read');

    const whatsapp = inboundWhatsApp(newPhone(), 'Halo');
    await server.postTwilio(MESSAGING, whatsapp);
    const waTicket = await ticketOf(whatsapp.MessageSid!);
    const waAck = await acknowledged(waTicket.id);
    await server.runtime.db('messages').where({ id: waAck.id }).update({ delivery_status: 'sent' });
    await server.postTwilio(STATUS, statusCallback(waAck.provider_message_id!, 'failed', { ErrorCode: '63016' }));
    const failed = (await (await server.api(`/api/v1/tickets/${waTicket.id}`)).json()) as { data: TicketView };
    const failedAck = failed.data.messages.find((message) => message.id === waAck.id)!;
    expect(failedAck.delivery_status).to.equal('failed');
    expect(failedAck.error_code).to.equal('63016');
    const event = failed.data.events.find((item) => item.type === 'delivery_failed');
    expect(event?.data).to.include({ code: '63016', status: 'failed' });
    expect(String(event?.data.reason)).to.contain('24-hour');
  });

  it('refuses an unsigned status callback and rejects one without MessageStatus', async () => {
    expect((await server.postTwilio(STATUS, statusCallback('SMx', 'delivered'), null)).status).to.equal(403);
    expect((await server.postTwilio(STATUS, { MessageSid: 'SMx' })).status).to.equal(400);
  });
});
