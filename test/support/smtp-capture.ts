import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail the capturing server accepted, as it came over the wire. */
export interface CapturedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  /** The first value of a top-level header (case-insensitive name), unfolded; undefined if absent. */
  header(name: string): string | undefined;
}

/** A refusal the server answers with instead of accepting, in order, one per delivery attempt. */
export interface ScriptedRefusal {
  at: 'rcpt' | 'data';
  code: number;
  message: string;
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string;
  port: number;
  messages: CapturedMail[];
  /** Delivery attempts, accepted or refused. */
  attempts: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the smtp-server package) standing in for the relay: it captures
 * every mail whole, or refuses the next attempts as scripted (451, 550...). No STARTTLS or AUTH,
 * so that a plain smtp:// URL reaches it.
 */
export async function startSmtpCapture(script: ScriptedRefusal[] = []): Promise<SmtpCapture> {
  const refusals = [...script];
  const capture: SmtpCapture = { url: '', port: 0, messages: [], attempts: 0, close: async () => undefined };
  const refusal = (stage: ScriptedRefusal['at']): Error | undefined => {
    if (refusals[0]?.at !== stage) return undefined;
    const { code, message } = refusals.shift()!;
    return Object.assign(new Error(message), { responseCode: code });
  };

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100, // pooled client connections would otherwise hold close() for 30 s
    onMailFrom(_address, _session, callback) {
      capture.attempts += 1;
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt') ?? null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refused = refusal('data');
        if (refused) return callback(refused);
        const raw = Buffer.concat(chunks).toString('utf8');
        capture.messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw,
          header: (name) => headerOf(raw, name),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  capture.port = (server.server.address() as AddressInfo).port;
  capture.url = `smtp://127.0.0.1:${capture.port}`;
  capture.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return capture;
}

/** A top-level header of a raw RFC 5322 message, unfolded. */
export function headerOf(raw: string, name: string): string | undefined {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? raw.slice(0, end) : raw).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}
