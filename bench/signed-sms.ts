import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type autocannon from 'autocannon';

/** What Twilio signs against and with: the bench plays Twilio for the server under test. */
export const BENCH_ACCOUNT_SID = `AC${'be'.repeat(16)}`;
export const BENCH_AUTH_TOKEN = 'bench-auth-token-7c1e4d02a9f35b68';
export const BENCH_PUBLIC_URL = 'https://bench.satu-pintu.invalid';
export const BENCH_SMS_NUMBER = '+6281100000000';
export const MESSAGING_PATH = '/webhooks/twilio/messaging';

const BODIES = [
  'Selamat pagi, bagaimana cara mengurus izin usaha (NIB) untuk warung makan?',
  'Berkas PBG saya sudah 3 minggu belum ada kabar, mohon info.',
  'Apakah syarat SIUP perlu surat keterangan domisili?',
  'Terima kasih, pelayanan di MPP sangat cepat.',
];

/**
 * Each run draws its own block of Indonesian mobile numbers (+62 812 + 8 digits), so that every
 * webhook is a new citizen (a new contact and a new ticket: the worker's most expensive case) and
 * two runs against one database never collide.
 */
export class SmsSequence {
  private next = 0;
  private readonly base = Math.floor(Math.random() * 80_000_000);

  /** The form Twilio posts for one inbound SMS, with a fresh MessageSid. */
  nextForm(): Record<string, string> {
    const index = this.next++;
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const from = `+62812${String(this.base + index).padStart(8, '0')}`;
    return {
      ToCountry: 'ID',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: BODIES[index % BODIES.length]!,
      FromCountry: 'ID',
      To: BENCH_SMS_NUMBER,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: BENCH_ACCOUNT_SID,
      From: from,
      ApiVersion: '2010-04-01',
    };
  }

  get issued(): number {
    return this.next;
  }
}

/** The signature Twilio's SDK expects; computed with its own helper so the bench cannot drift. */
export function signTwilio(form: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL + MESSAGING_PATH, form);
}

/**
 * An autocannon request whose setupRequest hook builds a fresh form and signature for every send
 * (autocannon would otherwise replay one byte buffer, and every replay would be a duplicate).
 * `onFirstAccepted` fires once, on the first 2xx: the start of the worker's clock.
 */
export function signedSmsRequest(sequence: SmsSequence, onFirstAccepted?: () => void): autocannon.Request {
  let accepted = false;
  return {
    method: 'POST',
    path: MESSAGING_PATH,
    setupRequest(request) {
      const form = sequence.nextForm();
      return {
        ...request,
        headers: {
          ...request.headers,
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilio(form),
        },
        body: new URLSearchParams(form).toString(),
      };
    },
    onResponse(status) {
      if (!accepted && status >= 200 && status < 300) {
        accepted = true;
        onFirstAccepted?.();
      }
    },
  };
}
