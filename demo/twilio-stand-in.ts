import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { messageSid, statusCallback } from '../test/support/twilio-payloads.js';

/** One message the help desk sent through the stand-in, as Twilio would have received it. */
export interface SentMessage {
  sid: string;
  channel: 'sms' | 'whatsapp';
  /** E.164, without Twilio's `whatsapp:` prefix. */
  to: string;
  from: string;
  body: string;
  at: Date;
}

export interface TwilioStandIn {
  /** For TWILIO_API_BASE_URL. */
  url: string;
  /** Every message created so far, in order. */
  messages: SentMessage[];
  close(): Promise<void>;
}

export interface TwilioStandInOptions {
  accountSid: string;
  authToken: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

/**
 * Twilio's Messages API on loopback, for the demo: `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * with HTTP Basic credentials answers 201 with a Message resource in Twilio's own shape, and then,
 * as Twilio does, reports `sent` and `delivered` to the message's StatusCallback, signed with the
 * auth token. Wrong credentials get Twilio's 401 (20003), a missing To/From its 400 (21604/21603).
 * (bench/twilio-api-stub.ts is the throughput-minded sibling: it keeps nothing but a count.)
 */
export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  const messages: SentMessage[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  const server = http.createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      raw += chunk;
    });
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
      const match = request.method === 'POST' ? MESSAGES_PATH.exec(path) : null;
      if (!match) return answer(response, 404, twilioError(20404, 'The requested resource was not found', 404));
      if (request.headers.authorization !== expectedAuth || match[1] !== options.accountSid)
        return answer(response, 401, twilioError(20003, 'Authenticate', 401));
      const form = new URLSearchParams(raw);
      const to = form.get('To');
      const from = form.get('From');
      if (!to) return answer(response, 400, twilioError(21604, "A 'To' phone number is required.", 400));
      if (!from) return answer(response, 400, twilioError(21603, "A 'From' phone number is required.", 400));
      const body = form.get('Body') ?? (form.get('ContentSid') ? `[template ${form.get('ContentSid')}]` : '');
      const sid = messageSid();
      const at = new Date();
      messages.push({
        sid,
        channel: to.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
        to: to.replace(/^whatsapp:/, ''),
        from: from.replace(/^whatsapp:/, ''),
        body,
        at,
      });
      answer(response, 201, messageResource(options.accountSid, sid, { to, from, body, at }));
      const callback = form.get('StatusCallback');
      if (callback) void reportDelivery(callback, options.authToken, sid, to, from);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Twilio's error body. */
function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Twilio's dates are RFC 2822: "Tue, 01 Dec 2026 02:00:00 +0000". */
const rfc2822 = (at: Date) => at.toUTCString().replace('GMT', '+0000');

/** A Message resource as Twilio's API answers a create (api.v2010.account.message). */
function messageResource(
  accountSid: string,
  sid: string,
  message: { to: string; from: string; body: string; at: Date },
) {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  // GSM-7 text: 160 characters in one segment, 153 in each of several.
  const segments = message.body.length <= 160 ? 1 : Math.ceil(message.body.length / 153);
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: rfc2822(message.at),
    date_sent: null,
    date_updated: rfc2822(message.at),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(segments),
    price: null,
    price_unit: 'USD',
    sid,
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

/** The delivery reports Twilio posts to a message's StatusCallback, signed as Twilio signs webhooks. */
async function reportDelivery(url: string, authToken: string, sid: string, to: string, from: string): Promise<void> {
  for (const status of ['sent', 'delivered']) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const params = statusCallback(sid, status, { To: to, From: from });
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
      },
      body: new URLSearchParams(params),
    }).catch(() => undefined); // the help desk may be stopping; Twilio would not retry either
  }
}
