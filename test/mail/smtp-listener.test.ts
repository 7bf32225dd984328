import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTransport } from 'nodemailer';
import {
  MalformedPayloadError,
  type InboundEnvelope,
  type ParsedRaw,
  type RawMessageAdapter,
} from '../../channels/adapter.js';
import { AttachmentStore } from '../../src/messages/attachment-store.js';
import { startSmtpListener, type SmtpListener, type SmtpListenerSettings } from '../../src/mail/smtp-listener.js';
import type { InboxWriter } from '../../src/inbox/inbox-writer.js';
import { createLogger } from '../../src/logger.js';
import { mailSender } from '../support/mail-sender.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const ENVELOPE: InboundEnvelope = {
  channel: 'email',
  provider: 'smtp',
  externalId: 'm@x',
  kind: 'message',
  from: { email: 'a@example.com' },
  to: HELPDESK,
  text: 'isi',
  attachments: [],
  receivedAt: new Date().toISOString(),
  raw: {},
};

/** The listener alone, with the parser and the inbox replaced by what each test needs. */
describe('src/mail smtp-listener', () => {
  let dataDir: string;
  let listener: SmtpListener | undefined;
  let parse: (raw: Buffer) => Promise<ParsedRaw>;
  let record: (envelopes: InboundEnvelope[]) => Promise<Array<{ id: number; duplicate: boolean }>>;

  async function start(extra: Partial<SmtpListenerSettings> = {}): Promise<ReturnType<typeof mailSender>> {
    const adapter = {
      provider: 'smtp',
      kinds: ['email'],
      send: async () => ({ providerMessageId: '', status: 'sent' }),
      // The listener hands over its spool file as a stream.
      parseRaw: async (raw: Buffer | Readable) =>
        parse(Buffer.isBuffer(raw) ? raw : Buffer.concat(await raw.toArray())),
    } as RawMessageAdapter;
    listener = await startSmtpListener(
      {
        db: {} as Knex,
        inbox: { record: (envelopes: InboundEnvelope[]) => record(envelopes) } as unknown as InboxWriter,
        adapter,
        store: new AttachmentStore({ dataDir, maxBytes: 1024 }),
        logger: createLogger('silent'),
        now: () => new Date(),
      },
      {
        host: '127.0.0.1',
        port: 0,
        maxBytes: 10_000,
        inboundAddresses: [HELPDESK],
        replyDomains: [],
        spoolDir: path.join(dataDir, 'spool'),
        ...extra,
      },
    );
    return mailSender(listener.port);
  }
  const send = (client: ReturnType<typeof mailSender>) =>
    client.send({ from: 'a@example.com', to: HELPDESK, subject: 'x', text: 'x' });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-listener-'));
    parse = async () => ({ envelopes: [ENVELOPE], statuses: [] });
    record = async (envelopes) => envelopes.map((_, index) => ({ id: index + 1, duplicate: false }));
  });
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 250 only once the inbox has committed the mail, with our trace headers on top', async () => {
    let release!: () => void;
    let seen: Buffer | undefined;
    parse = async (raw) => {
      seen = raw;
      return { envelopes: [ENVELOPE], statuses: [] };
    };
    record = (envelopes) =>
      new Promise((resolve) => (release = () => resolve(envelopes.map(() => ({ id: 1, duplicate: false })))));
    const client = await start();
    let answered = false;
    const sending = send(client).then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered, 'no 250 before the commit').to.equal(false);
    release();
    expect(await sending).to.match(/^250/);
    expect(seen!.toString()).to.match(new RegExp(`^Return-Path: <a@example.com>\r\nDelivered-To: ${HELPDESK}\r\n`));
    client.close();
  });

  it('answers 451 when recording fails, so that the sending MTA retries, and keeps serving', async () => {
    const client = await start();
    record = async () => Promise.reject(new Error('database is down'));
    expect((await client.refusal(send(client))).responseCode).to.equal(451);
    parse = async () => ({ envelopes: [ENVELOPE], statuses: [] });
    record = async () => [{ id: 7, duplicate: false }];
    expect(await send(client)).to.match(/^250/);
    client.close();
  });

  it('refuses for good (550) a mail that can never be recorded', async () => {
    parse = async () => Promise.reject(new MalformedPayloadError('The mail names no sender'));
    const client = await start();
    expect((await client.refusal(send(client))).responseCode).to.equal(550);
    client.close();
  });

  it('refuses for good (550) a mail the parser fails on, since a retry would fail the same way', async () => {
    parse = async () => Promise.reject(new TypeError('parser crashed'));
    const client = await start();
    const refusal = await client.refusal(send(client));
    expect(refusal.responseCode).to.equal(550);
    expect(refusal.response).to.match(/5\.6\.0 The mail could not be parsed/);
    client.close();
  });

  it('offers STARTTLS when a key and certificate are configured, and not otherwise', async () => {
    // A throwaway certificate from the openssl command (Debian's base system has it).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        path.join(dataDir, 'key.pem'),
        '-out',
        path.join(dataDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const certificate = {
      key: fs.readFileSync(path.join(dataDir, 'key.pem')),
      cert: fs.readFileSync(path.join(dataDir, 'cert.pem')),
    };
    const plain = await start();
    const port = listener!.port;
    const requireTls = (target: number) =>
      createTransport({ host: '127.0.0.1', port: target, requireTLS: true, tls: { rejectUnauthorized: false } });
    const refused = await plain.refusal(requireTls(port).sendMail({ from: 'a@example.com', to: HELPDESK, text: 'x' }));
    expect(refused.message).to.match(/STARTTLS/i);
    plain.close();
    await listener!.close();

    await start({ tls: certificate });
    const secure = requireTls(listener!.port);
    const info = await secure.sendMail({ from: 'a@example.com', to: HELPDESK, text: 'x' });
    expect(String(info.response)).to.match(/^250/);
    secure.close();
  });
});
