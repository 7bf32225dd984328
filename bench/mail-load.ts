import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { percentile } from './stats.js';

export const MAIL_TO = 'helpdesk@bench.example';
/** The attachment's size: base64 on the wire, with the text and headers, about 50 KB a mail. */
const ATTACHMENT_BYTES = 35 * 1024;
const TEXT =
  'Selamat siang. Saya ingin menanyakan status permohonan izin usaha saya yang sudah diajukan bulan lalu. '.repeat(20);

export interface MailLoadResult {
  accepted: number;
  failed: number;
  seconds: number;
  perSecond: number;
  /** SMTP transaction time per mail (MAIL FROM … 250 after the data), ms. */
  p50: number;
  p99: number;
  /** When the first mail was accepted (ms since epoch): the start of the worker's clock. */
  firstAcceptedAt: number;
  /** Bytes of one mail on the wire. */
  bytes: number;
}

/**
 * `amount` mails built before the clock starts (so the load generator spends its CPU on SMTP
 * only), each from a new citizen and with its own attachment (the server stores attachments by
 * sha256, so one shared file would be written once and cost the rest nothing). Each is a text of
 * about 2 KB and a 35 KB PDF, about 50 KB on the wire.
 */
export async function buildMails(amount: number): Promise<Array<{ from: string; raw: Buffer }>> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const run = randomBytes(3).toString('hex');
  const mails: Array<{ from: string; raw: Buffer }> = [];
  for (let index = 0; index < amount; index += 1) {
    const from = `warga${index}.${run}@bench.example`;
    const info = await composer.sendMail({
      from: `Warga ${index} <${from}>`,
      to: MAIL_TO,
      subject: `Permohonan izin usaha nomor ${index}`,
      text: TEXT,
      attachments: [
        { filename: `lampiran-${index}.pdf`, content: randomBytes(ATTACHMENT_BYTES), contentType: 'application/pdf' },
      ],
    });
    mails.push({ from, raw: info.message as Buffer });
  }
  return mails;
}

/**
 * Sends the mails over real SMTP, `connections` pooled sessions, one mail in flight on each (so a
 * latency is the server's SMTP transaction, not time queued in the client's pool).
 */
export async function fireMail(
  port: number,
  mails: Array<{ from: string; raw: Buffer }>,
  options: { connections: number },
): Promise<MailLoadResult> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: options.connections,
    maxMessages: Infinity,
  });
  const latencies: number[] = [];
  let failed = 0;
  let firstAcceptedAt = 0;
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < mails.length) {
      const mail = mails[next++]!;
      const sentAt = performance.now();
      try {
        await transport.sendMail({ envelope: { from: mail.from, to: [MAIL_TO] }, raw: mail.raw });
        latencies.push(performance.now() - sentAt);
        firstAcceptedAt ||= Date.now();
      } catch {
        failed += 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, sender));
  } finally {
    transport.close();
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    accepted: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    firstAcceptedAt,
    bytes: mails[0]?.raw.length ?? 0,
  };
}

/** The HTTP API answers before the SMTP listener is bound: wait for the port itself. */
export async function waitForSmtp(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.end('QUIT\r\n');
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`SMTP listener not up on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
