import { expect } from 'chai';
import fc from 'fast-check';
import twilio from 'twilio';
import { buildOpenApiDocument } from '../../src/http/openapi/document.js';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, messageSid, statusCallback } from '../support/twilio-payloads.js';
import { callForm, callSid, VOICE_NUMBER } from '../support/twilio-voice-payloads.js';
import { deepJson, nastyString, numericText } from './fuzz-arbitraries.js';
import { describeRequest, excerpt, FUZZ_SEED, FuzzTally, fuzz, send, type WireRequest } from './fuzz-driver.js';

/**
 * Every provider webhook of the OpenAPI document fuzzed over real HTTP (issue 12): Twilio SMS and
 * WhatsApp, delivery status callbacks, and every voice webhook.
 *
 * Unsigned, or signed wrongly (another URL, another token, garbage): 403 with a JSON error, and
 * nothing written: no inbox row, ticket, message or call. Signed as Twilio signs, with forms of
 * garbage (Twilio's field names with wrong values, NUL, lone surrogates, huge values, fields
 * missing), wrong content types and hostile bodies: never a 5xx, never a stall.
 */

const document = buildOpenApiDocument(PUBLIC_URL) as unknown as { paths: Record<string, Record<string, unknown>> };
const WEBHOOKS = Object.keys(document.paths).filter((path) => path.startsWith('/webhooks/'));
/** Query strings some voice webhooks read (signed with the URL). */
const QUERIES: Record<string, string[]> = {
  '/webhooks/twilio/voice/recording': ['?purpose=complaint', '?purpose=voicemail', '?purpose=x', ''],
  '/webhooks/twilio/voice/callback/answer': [
    '?task=1',
    '?task=2147483648',
    '?task=99999999999999999999',
    '?task=x',
    '',
  ],
  '/webhooks/twilio/voice/callback/dial': ['?task=1', '?task=99999999999999999999', ''],
  '/webhooks/twilio/voice/callback/status': ['?task=1', '?task=1e400', ''],
};
const RUNS_PER_WEBHOOK = 60;
/** The tables a webhook writes: none may gain a row from an unsigned request. */
const WRITTEN = ['inbox', 'tickets', 'messages', 'calls', 'contacts'];

const TWILIO_FIELDS = [
  'AccountSid',
  'MessageSid',
  'SmsSid',
  'From',
  'To',
  'Body',
  'NumMedia',
  'MediaUrl0',
  'MediaContentType0',
  'MessageStatus',
  'ErrorCode',
  'CallSid',
  'CallStatus',
  'CallDuration',
  'Digits',
  'DialCallStatus',
  'DialCallDuration',
  'RecordingSid',
  'RecordingUrl',
  'RecordingDuration',
  'TranscriptionSid',
  'TranscriptionText',
  'TranscriptionStatus',
  'ProfileName',
  'WaId',
];

/** A form: a plausible call or message with some fields replaced, dropped or added. */
const garbageForm = fc
  .tuple(
    fc.constantFrom('sms', 'whatsapp', 'status', 'call'),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...TWILIO_FIELDS), nastyString),
      fc.oneof(
        nastyString,
        numericText,
        fc.constant('x'.repeat(100_000)),
        fc.constantFrom('+6281234567890', 'whatsapp:+62', ''),
      ),
      { maxKeys: 6 },
    ),
    fc.array(fc.constantFrom(...TWILIO_FIELDS), { maxLength: 4 }),
  )
  .map(([kind, replaced, dropped]) => {
    const base =
      kind === 'sms'
        ? inboundSms('+6281355550001', 'Halo', { MessageSid: messageSid() })
        : kind === 'whatsapp'
          ? inboundSms('whatsapp:+6281355550002', 'Halo', { MessageSid: messageSid(), To: 'whatsapp:+6281100000001' })
          : kind === 'status'
            ? statusCallback(messageSid(), 'delivered')
            : callForm(callSid(), '+6281355550003', { To: VOICE_NUMBER });
    const form: Record<string, string> = { ...base, ...replaced };
    for (const field of dropped) delete form[field];
    return form;
  });

/** The form as the server will read it back: URL-encoding turns lone surrogates into U+FFFD. */
const encode = (form: Record<string, string>) => new URLSearchParams(form).toString();
const decoded = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('security: every webhook fuzzed over HTTP (403 and nothing written unsigned; no 5xx signed)', function () {
  this.timeout(300_000);
  let server: TestServer;
  const tally = new FuzzTally();

  before(async () => {
    server = await startTestServer({ TWILIO_VOICE_FROM: VOICE_NUMBER });
  });
  after(async () => {
    console.log(tally.summary('Webhook fuzzing'));
    await server?.stop();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        WRITTEN.map(async (table) => [table, Number((await server.runtime.db(table).count({ n: '*' }))[0]!.n)]),
      ),
    );

  // Unsigned first, on a server nothing has been accepted by yet: no row can be on its way in
  // from an earlier (signed) request while the tables are counted.
  for (const [index, path] of WEBHOOKS.entries()) {
    describe(`${path}, unsigned`, () => {
      const queries = QUERIES[path] ?? [''];

      it('unsigned or wrongly signed: 403 with a JSON error (413 when over the size limit), and no row written', async () => {
        const area = `${path} (unsigned)`;
        const before = await counts();
        const signature = fc.oneof(
          fc.constant(undefined),
          nastyString.map((text) => text.replace(/[^\x21-\x7e]/g, 'x')),
          fc.constant('signed for another URL'),
          fc.constant('signed with another token'),
        );
        const problems = await fuzz(
          fc.tuple(garbageForm, signature, fc.constantFrom(...queries)),
          RUNS_PER_WEBHOOK,
          async ([form, kind, query]) => {
            const body = encode(form);
            const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
            if (kind === 'signed for another URL')
              headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
                AUTH_TOKEN,
                `${PUBLIC_URL}/elsewhere`,
                decoded(body),
              );
            else if (kind === 'signed with another token')
              headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
                'another-token',
                PUBLIC_URL + path + query,
                decoded(body),
              );
            else if (kind !== undefined) headers['x-twilio-signature'] = kind;
            const request: WireRequest = { method: 'POST', target: path + query, headers, body };
            const answer = await send(server.baseUrl, request);
            let code: unknown;
            try {
              code = (JSON.parse(answer.text) as { error?: { code?: unknown } }).error?.code;
            } catch {
              code = undefined;
            }
            // A body over the parser's limit is refused (413) before its signature can be read.
            const ok =
              answer.contentType?.startsWith('application/json') &&
              ((answer.status === 403 && code === 'invalid_signature') ||
                (answer.status === 413 && code !== undefined));
            tally.count(area, ok ? 'ok' : answer.status >= 500 ? 'server_error' : 'other', answer.status);
            return ok ? undefined : `${describeRequest(request)} → ${answer.status} ${excerpt(answer.text)}`;
          },
          index,
        );
        expect(await counts(), 'rows written by unsigned requests').to.deep.equal(before);
        if (problems.length > 0)
          expect.fail(`${problems.length} bad answers (seed ${FUZZ_SEED}):\n${problems.slice(0, 10).join('\n')}`);
      });
    });
  }
  for (const [index, path] of WEBHOOKS.entries()) {
    describe(`${path}, signed`, () => {
      const queries = QUERIES[path] ?? [''];

      it('signed, with garbage forms and hostile bodies: never a 5xx', async () => {
        const area = `${path} (signed)`;
        const attempt = async (request: WireRequest) => {
          const answer = await send(server.baseUrl, request);
          tally.count(area, answer.status >= 500 ? 'server_error' : 'ok', answer.status);
          return answer.status >= 500
            ? `${describeRequest(request)} → ${answer.status} ${excerpt(answer.text)}`
            : undefined;
        };
        const signedFor = (target: string, params: Record<string, string>) =>
          twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + target, params);
        const problems: string[] = [];
        // Bodies that are not a form at all, each signed over what the server will read (nothing).
        for (const [type, body] of [
          ['application/json', '{"From":"+6281355550009","Body":"Halo"}'],
          ['application/json', deepJson(10_000, 'array')],
          ['text/xml', '<Response/>'],
          ['application/x-www-form-urlencoded', 'From=%ZZ&Body=%'],
          ['application/x-www-form-urlencoded; charset=utf-16', 'From=1'],
          ['application/x-www-form-urlencoded', `Body=${'x'.repeat(300 * 1024)}`],
          ['application/x-www-form-urlencoded', 'a[b][c][d][e]=1&__proto__[x]=1'],
        ] as const) {
          const target = path + queries[0]!;
          const params = type.includes('urlencoded') && !type.includes('utf-16') ? decoded(body) : {};
          const problem = await attempt({
            method: 'POST',
            target,
            headers: { 'content-type': type, 'x-twilio-signature': signedFor(target, params) },
            body,
          });
          if (problem) problems.push(problem);
        }
        problems.push(
          ...(await fuzz(
            fc.tuple(garbageForm, fc.constantFrom(...queries)),
            RUNS_PER_WEBHOOK,
            async ([form, query]) => {
              const body = encode(form);
              const target = path + query;
              return attempt({
                method: 'POST',
                target,
                headers: {
                  'content-type': 'application/x-www-form-urlencoded',
                  'x-twilio-signature': signedFor(target, decoded(body)),
                },
                body,
              });
            },
            1000 + index,
          )),
        );
        if (problems.length > 0)
          expect.fail(`${problems.length} bad answers (seed ${FUZZ_SEED}):\n${problems.slice(0, 10).join('\n')}`);
      });
    });
  }
});
