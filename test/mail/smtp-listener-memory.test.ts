import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { createEmailAdapter } from '../../channels/email/adapter.js';
import { AttachmentStore } from '../../src/messages/attachment-store.js';
import { TEXT_MEMORY_FACTOR } from '../../src/mail/mail-memory.js';
import { startSmtpListener, type SmtpListener } from '../../src/mail/smtp-listener.js';
import type { InboxWriter } from '../../src/inbox/inbox-writer.js';
import { createLogger } from '../../src/logger.js';
import { mailSender } from '../support/mail-sender.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const PROBE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/mail-memory-probe.ts');
const MiB = 1024 * 1024;

/** Two scanned documents of 7 MiB each: a mail of about 19.6 MB once base64-encoded. */
const documents = () =>
  [1, 2].map((index) => ({
    filename: `dokumen-${index}.pdf`,
    contentType: 'application/pdf',
    content: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(7 * MiB)]),
  }));
const mailOf = (from: string, attachments = documents()) => ({
  from,
  to: HELPDESK,
  subject: 'Berkas izin',
  text: 'Terlampir berkas saya.',
  attachments,
});
const sizeOf = async (mail: ReturnType<typeof mailOf>) => {
  const { createTransport } = await import('nodemailer');
  const built = await createTransport({ streamTransport: true, buffer: true }).sendMail(mail);
  return (built.message as Buffer).length;
};

/** The listener in a process of its own (test/support/mail-memory-probe.ts); its peak RSS growth over `send`. */
async function measured(memoryMaxBytes: number, send: (port: number) => Promise<unknown>): Promise<number> {
  const child = fork(PROBE, [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, PROBE_MEMORY_MAX_BYTES: String(memoryMaxBytes) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        resolve(message[key] as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the probe exited with ${code}`)));
    });
  try {
    const port = await next<number>('port');
    child.send({ start: true });
    await next('started');
    await send(port);
    child.send({ stop: true });
    return await next<number>('growth');
  } finally {
    child.kill();
  }
}

/**
 * Issue 12, item 9: mail in memory. A mail arrives into a spool file, its attachments stream to
 * files as they are parsed, and EMAIL_MEMORY_MAX_BYTES counts what a parse holds while it runs.
 */
describe('src/mail smtp-listener: mail in memory', function () {
  this.timeout(60_000);

  describe('the budget', () => {
    let dataDir: string;
    let listener: SmtpListener | undefined;
    let held: Array<() => void> = [];

    beforeEach(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-budget-'));
      held = [];
      listener = await startSmtpListener(
        {
          db: {} as Knex,
          inbox: {
            // Each record waits for the test: the mail's parse keeps its count until it is recorded.
            record: (envelopes: InboundEnvelope[]) =>
              new Promise((resolve) => held.push(() => resolve(envelopes.map(() => ({ id: 1, duplicate: false }))))),
          } as unknown as InboxWriter,
          adapter: createEmailAdapter({ inboundAddresses: [HELPDESK], from: `Satu Pintu <${HELPDESK}>` }),
          store: new AttachmentStore({ dataDir, maxBytes: MiB }),
          logger: createLogger('silent'),
          now: () => new Date(),
        },
        {
          host: '127.0.0.1',
          port: 0,
          maxBytes: MiB,
          memoryMaxBytes: 400_000,
          inboundAddresses: [HELPDESK],
          replyDomains: [],
          spoolDir: path.join(dataDir, 'spool'),
        },
      );
    });
    afterEach(async () => {
      for (const release of held) release();
      await listener?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('defers a mail with 452 4.3.1 while another parse holds EMAIL_MEMORY_MAX_BYTES, and takes it once that is recorded', async () => {
      const client = mailSender(listener!.port);
      const text = `${'Mohon informasi izin usaha. '.repeat(35)}\n`.repeat(40); // 40 KB of text: 360 KB counted
      const first = client.send({ from: 'pertama@example.com', to: HELPDESK, subject: 'Satu', text });
      await waitFor('the first mail parsed, its record pending', () => held.length === 1);

      const refusal = await client.refusal(
        client.send({ from: 'kedua@example.com', to: HELPDESK, subject: 'Dua', text }),
      );
      expect(refusal.responseCode).to.equal(452);
      expect(refusal.response).to.match(/4\.3\.1/);
      expect(fs.readdirSync(path.join(dataDir, 'spool')), 'the deferred mail spooled no more').to.have.length(1);

      held[0]!();
      expect(await first).to.match(/^250/);
      const second = client.send({ from: 'kedua@example.com', to: HELPDESK, subject: 'Dua', text });
      await waitFor('the second mail parsed', () => held.length === 2);
      held[1]!();
      expect(await second).to.match(/^250/);
      expect(fs.readdirSync(path.join(dataDir, 'spool')), 'spool files once answered').to.deep.equal([]);
      client.close();
    });
  });

  describe('resident memory, measured in a process of its own', () => {
    it('holds a mail of large attachments at less than 3.5 times its size (whole in memory: 5.7 times)', async () => {
      const mail = mailOf('warga@example.com');
      const size = await sizeOf(mail);
      const growth = await measured(200 * MiB, async (port) => {
        const client = mailSender(port);
        expect(await client.send(mail)).to.match(/^250/);
        client.close();
      });
      console.log(
        `      figures: ${JSON.stringify({ mailMB: +(size / 1e6).toFixed(1), growthMB: +(growth / 1e6).toFixed(1), ratio: +(growth / size).toFixed(2) })}`,
      );
      expect(growth / size).to.be.below(3.5);
    });

    it('keeps four such mails at once within 1.5 times EMAIL_MEMORY_MAX_BYTES, deferring what it cannot hold', async () => {
      const budget = 100 * MiB;
      const mails = [1, 2, 3, 4].map((index) => mailOf(`warga${index}@example.com`));
      const answers: string[] = [];
      const growth = await measured(budget, async (port) => {
        const client = mailSender(port);
        const replies = await Promise.all(
          mails.map((mail) =>
            client.send(mail).catch((error: { responseCode?: number }) => String(error.responseCode)),
          ),
        );
        answers.push(...replies.map((reply) => reply.slice(0, 3)));
        client.close();
      });
      console.log(
        `      figures: ${JSON.stringify({ budgetMB: +(budget / 1e6).toFixed(1), growthMB: +(growth / 1e6).toFixed(1), answers })}`,
      );
      expect(answers).to.include('250');
      for (const answer of answers) expect(['250', '452']).to.include(answer);
      expect(growth).to.be.at.most(1.5 * budget);
    });

    it(`counts a mail of text for what its parse holds: its peak is within ${TEXT_MEMORY_FACTOR} times its size, and a quarter`, async () => {
      const line = `${'Mohon bantuan untuk izin usaha saya yang belum selesai diproses sejak bulan lalu. '.repeat(12)}\n`;
      const mail = { from: 'panjang@example.com', to: HELPDESK, subject: 'Surat panjang', text: line.repeat(20_000) };
      const size = await sizeOf(mail as ReturnType<typeof mailOf>);
      const growth = await measured(400 * MiB, async (port) => {
        const client = mailSender(port);
        expect(await client.send(mail)).to.match(/^250/);
        client.close();
      });
      console.log(
        `      figures: ${JSON.stringify({ mailMB: +(size / 1e6).toFixed(1), growthMB: +(growth / 1e6).toFixed(1), ratio: +(growth / size).toFixed(2) })}`,
      );
      expect(growth).to.be.at.most(1.25 * TEXT_MEMORY_FACTOR * size);
    });
  });
});
