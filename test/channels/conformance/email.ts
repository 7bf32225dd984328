import type { ChannelAdapter, InboundEnvelope, RawMessageAdapter } from '../../../channels/adapter.js';
import { createEmailAdapter } from '../../../channels/email/adapter.js';
import { freePort } from '../../support/free-port.js';
import { composeMail, mailFixture, mailFixtures } from '../../support/mail-fixtures.js';
import { startSmtpCapture, type ScriptedRefusal, type SmtpCapture } from '../../support/smtp-capture.js';
import type { AdapterFactory, FailureCase, InboundFixture, ProviderEndpoint, StatusFixture } from './contract.js';

const RECEIVED_AT = new Date('2026-11-22T06:20:51.000Z');
const OURS = 'helpdesk@dpmptsp.example.go.id';
const FROM = `DPMPTSP Kota <${OURS}>`;

/** The SMTP listener's way in: the whole mail to parseRaw. */
const parsed = (adapter: ChannelAdapter, raw: Buffer) => (adapter as RawMessageAdapter).parseRaw(raw, RECEIVED_AT);
const envelopesOf = async (adapter: ChannelAdapter, raw: Buffer) => (await parsed(adapter, raw)).envelopes;

/** An endpoint that is a real SMTP server (smtp-server), capturing or refusing as scripted. */
type SmtpEndpoint = ProviderEndpoint & { capture: SmtpCapture };

async function smtpServer(script: ScriptedRefusal[] = []): Promise<SmtpEndpoint> {
  const capture = await startSmtpCapture(script);
  return { url: capture.url, close: capture.close, capture };
}

function create(endpoint?: ProviderEndpoint): ChannelAdapter {
  return createEmailAdapter({ inboundAddresses: [OURS], from: FROM, smtpUrl: endpoint?.url });
}

const citizenMail = composeMail(
  {
    From: 'Budi Santoso <budi@example.com>',
    To: OURS,
    Subject: 'Re: [SP-123-456-789] Izin usaha',
    'Message-ID': '<CAF00d-citizen-2@mail.example.com>',
    'In-Reply-To': '<sp.5.17.0123@dpmptsp.example.go.id>',
  },
  'Halo,\nizin saya belum terbit.',
);

// Published mail of other systems (test/fixtures/email): each is one contact, an auto-reply flagged so.
// mailparser-mixed.eml names no sender (a malformed case below); delivery-status.eml is a bounce.
const THIRD_PARTY: InboundFixture[] = [
  ...mailFixtures('mime').filter(
    ({ name }) => !['mailparser-mixed.eml', 'mailparser-delivery-status.eml'].includes(name),
  ),
  ...mailFixtures('auto-replies'),
].map(({ name, raw }) => ({
  name,
  read: (adapter) => envelopesOf(adapter, raw),
  expected: [
    {
      channel: 'email',
      provider: 'smtp',
      kind: 'message',
      autoReply: name.startsWith('sisimai-rfc3834') || name === 'mailparser-large_text.eml',
    } satisfies Partial<InboundEnvelope>,
  ],
}));

const bounce = (name: string, providerMessageId: string, errorCode: string): StatusFixture => ({
  name: `a bounce: ${name}`,
  read: async (adapter) => (await parsed(adapter, mailFixture('bounces', name))).statuses,
  expected: [{ providerMessageId, status: 'failed', errorCode }],
});

const refusedBy = (refusal: ScriptedRefusal) => () => smtpServer([refusal]);

const SMTP_FAILURES: FailureCase[] = [
  {
    name: 'unknown mailbox (550 5.1.1)',
    permanent: true,
    code: '550',
    provider: refusedBy({ at: 'rcpt', code: 550, message: '5.1.1 Mailbox does not exist' }),
  },
  {
    name: 'refused as spam after DATA (554)',
    permanent: true,
    code: '554',
    provider: refusedBy({ at: 'data', code: 554, message: '5.7.1 Message rejected' }),
  },
  {
    name: 'greylisted (451 4.7.1)',
    permanent: false,
    code: '451',
    provider: refusedBy({ at: 'rcpt', code: 451, message: '4.7.1 Greylisted, please try again later' }),
  },
  {
    name: 'mailbox full (452)',
    permanent: false,
    code: '452',
    provider: refusedBy({ at: 'rcpt', code: 452, message: '4.2.2 Mailbox full' }),
  },
  {
    name: 'relay unreachable (connection refused)',
    permanent: false,
    provider: async () => ({ url: `smtp://127.0.0.1:${await freePort()}`, close: async () => undefined }),
  },
];

/** Email (channels/email): mail arrives whole over SMTP or IMAP and leaves through an SMTP relay. */
export const emailFactory: AdapterFactory = {
  name: 'channels/email',
  provider: 'smtp',
  create,
  fixtures: [
    {
      name: "a citizen's reply to our mail",
      read: (adapter) => envelopesOf(adapter, citizenMail),
      expected: [
        {
          channel: 'email',
          provider: 'smtp',
          externalId: 'CAF00d-citizen-2@mail.example.com',
          kind: 'message',
          from: { email: 'budi@example.com', name: 'Budi Santoso' },
          to: OURS,
          subject: 'Re: [SP-123-456-789] Izin usaha',
          text: 'Halo,\nizin saya belum terbit.',
          attachments: [],
          thread: { inReplyTo: 'sp.5.17.0123@dpmptsp.example.go.id' },
          autoReply: false,
          receivedAt: RECEIVED_AT.toISOString(),
        },
      ],
    },
    ...THIRD_PARTY,
    {
      name: `no bounce is a contact (${mailFixtures('bounces').length} bounces of real MTAs)`,
      read: async (adapter) =>
        (await Promise.all(mailFixtures('bounces').map(({ raw }) => envelopesOf(adapter, raw)))).flat(),
      expected: [],
    },
  ],
  statuses: [
    bounce('sisimai-lhost-gmail-01.eml', 'D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com', '5.1.1'),
    bounce('sisimai-lhost-postfix-03.eml', '20140701000000.000000000000@e1.example.ne.jp', '5.0.0'),
    bounce('sisimai-rfc3464-01.eml', 'E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org', '5.1.1'),
  ],
  malformed: [
    {
      name: 'mailparser-mixed.eml: a mail that names no sender',
      read: (adapter) => parsed(adapter, mailFixture('mime', 'mailparser-mixed.eml')),
    },
    {
      name: 'a sender address longer than any valid one',
      read: (adapter) => parsed(adapter, composeMail({ From: `${'a'.repeat(320)}@example.com`, To: OURS }, 'Halo')),
    },
  ],
  send: {
    provider: () => smtpServer(),
    attempt: async (adapter) => {
      const result = await adapter.send({
        channel: 'email',
        to: 'warga@example.com',
        subject: '[SP-123-456-789] Pengaduan Anda',
        body: 'Pesan Anda sudah kami terima.',
      });
      return { providerId: result.providerMessageId, status: result.status };
    },
    // A Message-ID without its angle brackets: what bounces and replies quote.
    idPattern: /^[^<>\s@]+@[^<>\s@]+$/,
    received: (endpoint, providerId) => {
      const mails = (endpoint as SmtpEndpoint).capture.messages;
      if (!mails.some((mail) => mail.header('Message-ID') === `<${providerId}>`)) {
        throw new Error(`the SMTP server received no mail with Message-ID <${providerId}>`);
      }
    },
  },
  refused: [],
  failures: SMTP_FAILURES,
};
