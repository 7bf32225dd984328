import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { issueToken } from '../../src/auth/tokens.js';
import { buildOpenApiDocument } from '../../src/http/openapi/document.js';
import { ADMIN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, messageSid } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';
import { anyJson, deepJson, fromSchema, nastyString, pathSegment, queryValue } from './fuzz-arbitraries.js';
import {
  describeRequest,
  excerpt,
  FUZZ_SEED,
  FuzzTally,
  fuzz,
  send,
  type WireAnswer,
  type WireRequest,
} from './fuzz-driver.js';

/**
 * Every route of the OpenAPI document fuzzed over real HTTP against one running server (issue 12):
 * path parameters, query parameters and bodies drawn from the document's own schemas and pushed
 * out of them (wrong types, missing fields, out-of-range and huge numbers, long strings, NUL, lone
 * surrogates, malformed percent-escapes), then a fixed set of hostile bodies for each route
 * (10,000 levels of nesting, truncated and oversized JSON, wrong content types and charsets).
 *
 * Every answer must be below 500; every 4xx a JSON `{ error: { code, message } }` with a message
 * naming the problem. The webhooks are fuzzed in webhook-fuzz.test.ts (their answers are TwiML).
 *
 * The citizens' routes (/api/v1/public/...) are fuzzed past their gates: the chat's with a visitor
 * session's token (not a staff one), bodies drawn near a valid one (each drawn field over a valid
 * base, the report with fresh form marks), tracking with real references, and the Redis limits
 * raised so that the run does not end at 429. Each of them is first sent its valid request once,
 * which must be accepted: the proof that the fuzzing reaches the code behind the gate.
 * The seed is printed on failure; FUZZ_SEED=<seed> repeats a run, FUZZ_RUNS=<factor> lengthens it.
 */

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  'x-roles': string[];
}

const document = buildOpenApiDocument(PUBLIC_URL) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const components = document.components.schemas;
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const ROUTES = Object.entries(document.paths)
  .flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  )
  // Provider webhooks answer TwiML and check signatures: webhook-fuzz.test.ts.
  .filter((route) => !route.path.startsWith('/webhooks/'));

/** Requests per route drawn from the schemas (on top of the fixed hostile bodies). */
const RUNS_PER_ROUTE = 80;

const PUBLIC = '/api/v1/public/';
const CHAT = '/api/v1/public/chat/';
/** The citizen the fixtures write as (SMS), whose tickets tracking may find. */
const CITIZEN_PHONE = '+6281399990001';
/** The limits a citizen's routes would otherwise answer 429 past, out of the way. */
const UNLIMITED = '1000000';

/**
 * A valid body for each citizen's route that takes one: drawn fields go over it, so that many
 * fuzzed requests get past the first check. Tracking's reference is filled in once known.
 */
const VALID_BODIES: Record<string, () => Record<string, unknown>> = {
  'POST /api/v1/public/submissions': () => ({
    name: 'Warga Uji',
    phone: '0812 3456 7890',
    kind: 'complaint',
    complaint_type: 'undue_delay',
    text: 'Izin usaha saya belum terbit sudah tiga bulan.',
  }),
  'POST /api/v1/public/chat/sessions': () => ({ name: 'Warga', phone: '081234567890', email: 'warga@example.id' }),
  'POST /api/v1/public/chat/messages': () => ({ clientId: randomUUID(), text: 'Halo, mohon info' }),
  'POST /api/v1/public/chat/read': () => ({ upTo: 1 }),
  'POST /api/v1/public/chat/typing': () => ({}),
  'POST /api/v1/public/chat/transcript': () => ({}),
  'POST /api/v1/public/track': () => ({ phoneLast4: CITIZEN_PHONE.slice(-4) }),
  'POST /api/v1/public/track/subscribe': () => ({ phoneLast4: CITIZEN_PHONE.slice(-4) }),
};

/** A long poll waits by design: a drawn `wait` of 2 to 25 seconds is sent as 0, so the run stays short. */
function withoutLongWaits(query: string): string {
  return query.replace(/([?&])wait=([^&]*)/g, (whole, separator: string, value: string) => {
    let seconds: number;
    try {
      seconds = Number(decodeURIComponent(value));
    } catch {
      return whole;
    }
    return Number.isInteger(seconds) && seconds >= 2 && seconds <= 25 ? `${separator}wait=0` : whole;
  });
}

/** Fields as a browser's form posts them, multipart, each value as text. */
function multipartBody(fields: Record<string, unknown>): { type: string; data: string } {
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n${
        typeof value === 'string' ? value : JSON.stringify(value)
      }\r\n`,
  );
  return { type: `multipart/form-data; boundary=${boundary}`, data: `${parts.join('')}--${boundary}--\r\n` };
}

describe('security: every API route fuzzed over HTTP (no 5xx, every 4xx a JSON error)', function () {
  this.timeout(300_000);
  let server: TestServer;
  let adminId: number;
  let token: string;
  /** Ids that exist, so that some requests get past the 404 to the code behind it. */
  const known: Record<string, string[]> = { id: ['1', '2'], year: ['2027'], date: ['2027-06-14'] };
  const tally = new FuzzTally();
  const problems: string[] = [];

  /** A chat visitor's token (the chat's routes take no staff token), and the fixtures' references. */
  let visitorToken = '';
  const references: string[] = [];

  before(async () => {
    server = await startTestServer({
      WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: UNLIMITED,
      WEBCHAT_MESSAGES_PER_SESSION_MINUTE: UNLIMITED,
      WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE: UNLIMITED,
      WEBCHAT_MESSAGES_PER_OFFICE_MINUTE: UNLIMITED,
      WEBCHAT_TRANSCRIPTS_PER_SESSION_HOUR: UNLIMITED,
      TRACK_LOOKUPS_PER_ADDRESS: UNLIMITED,
      TRACK_FAILURES_PER_REFERENCE: UNLIMITED,
      WEB_SUBMISSIONS_PER_ADDRESS: UNLIMITED,
      WEB_SUBMISSIONS_PER_ADDRESS_NO_JS: UNLIMITED,
      WEB_SUBMISSIONS_PER_OFFICE: UNLIMITED,
      WEB_FORM_MIN_FILL_SECONDS: '0', // the marks are fetched a moment before each report
      WEB_RECEIPT_WAIT_MS: '0', // answer once recorded, without waiting for the reference
    });
    adminId = Number((await server.runtime.db('agents').where({ email: ADMIN.email }).first('id')).id);
    token = (await issueToken(server.runtime.db, adminId, 12, new Date())).token;
    for (const text of ['Mohon info izin usaha', 'Izin saya belum terbit, NIK 3174012345678901']) {
      const sid = messageSid();
      await server.postTwilio('/webhooks/twilio/messaging', inboundSms(CITIZEN_PHONE, text, { MessageSid: sid }));
      const id = await waitFor('the fixture ticket', async () => {
        const row = await server.runtime.db('messages').where({ provider_message_id: sid }).first('ticket_id');
        return row?.ticket_id ? String(row.ticket_id) : undefined;
      });
      known.id!.push(id);
      references.push(String((await server.runtime.db('tickets').where({ id }).first('reference')).reference));
    }
    // A visitor who gave an email (a contact of their own, so the transcript may go), with a ticket.
    const opened = await fetch(`${server.baseUrl}/api/v1/public/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Pengunjung', email: 'pengunjung@example.id' }),
    });
    const session = ((await opened.json()) as { data: { token: string; sessionId: string } }).data;
    visitorToken = session.token;
    const said = await fetch(`${server.baseUrl}/api/v1/public/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visitorToken}` },
      body: JSON.stringify({ clientId: randomUUID(), text: 'Halo dari obrolan' }),
    });
    expect(said.status).to.equal(202);
    await waitFor('the chat ticketed', () =>
      server.runtime.db('messages').where({ address: session.sessionId, direction: 'inbound' }).first('id'),
    );
  });

  /** A report's fresh marks, as GET /api/v1/public/submissions/form gives them. */
  async function formMarks(): Promise<{ key: string; form_token: string }> {
    const answer = await send(server.baseUrl, { method: 'GET', target: `${PUBLIC}submissions/form`, headers: {} });
    const { data } = JSON.parse(answer.text) as { data: { idempotencyKey: string; formToken: string } };
    return { key: data.idempotencyKey, form_token: data.formToken };
  }

  /** A valid base's fields as they are sent: tracking's reference, a report's marks filled in. */
  async function completed(area: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (area.startsWith('POST /api/v1/public/track') && !('reference' in fields))
      return { ...fields, reference: references[0] };
    if (area === 'POST /api/v1/public/submissions') return { ...(await formMarks()), ...fields };
    return fields;
  }
  after(async () => {
    console.log(tally.summary('API fuzzing'));
    await server?.stop();
  });

  /** The admin as they were, with a valid token: fuzzed requests log out, demote and disable. */
  async function restoreAdmin(): Promise<void> {
    await server.runtime.db('agents').where({ id: adminId }).update({ active: true, role: 'admin' });
    token = (await issueToken(server.runtime.db, adminId, 12, new Date())).token;
  }

  /** Who asks: the admin, or on the chat's routes the visitor; sometimes nobody, or a forged token. */
  const authorization = (usual: 'admin' | 'visitor') =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(usual) },
      { weight: 1, arbitrary: fc.constant('none') },
      { weight: 1, arbitrary: nastyString.map((text) => `Bearer ${text.replace(/[^\x21-\x7e]/g, 'x')}`) },
    );

  function pathArbitrary(path: string): fc.Arbitrary<string> {
    const parts = path.split(/(\{\w+\})/);
    return fc
      .tuple(
        ...parts.map((part) => {
          const name = /^\{(\w+)\}$/.exec(part)?.[1];
          if (!name) return fc.constant(part);
          const valid = fc.constantFrom(...(known[name] ?? ['1']));
          return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: pathSegment });
        }),
      )
      .map((segments) => segments.join(''));
  }

  function queryArbitrary(parameters: Parameter[]): fc.Arbitrary<string> {
    const named = parameters.filter((parameter) => parameter.in === 'query');
    const pair = fc.oneof(
      ...named.map((parameter) =>
        fc
          .oneof(
            fromSchema(parameter.schema ?? {}, components).map((value) =>
              encodeURIComponent(
                typeof value === 'string' ? value.replace(/[\ud800-\udfff]/g, '?') : (JSON.stringify(value) ?? ''),
              ),
            ),
            queryValue,
          )
          .map((value) => `${parameter.name}=${value}`),
      ),
      fc.tuple(queryValue, queryValue).map(([key, value]) => `${key}=${value}`),
      fc.constantFrom('limit[]=1', 'limit[a]=2', '__proto__=1', 'constructor[prototype]=x', 'a'),
    );
    return fc.array(pair, { maxLength: 5 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
  }

  /** A drawn body; `fields` (JSON or a form's, over a valid base) are completed when sent. */
  type DrawnBody = { type?: string; data?: string; fields?: Record<string, unknown>; form?: boolean } | undefined;

  function bodyArbitrary(area: string, operation: Operation): fc.Arbitrary<DrawnBody> {
    const content = operation.requestBody?.content ?? {};
    const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
    const json = (schema ? fromSchema(schema, components) : anyJson).map((value) => ({
      type: 'application/json',
      data: JSON.stringify(value) ?? 'null',
    }));
    const valid = VALID_BODIES[area];
    // Each drawn field, one time in three, over the valid base: most requests get past the first check.
    const nearValid = valid
      ? fc
          .tuple(
            schema ? fromSchema(schema, components) : anyJson,
            fc.array(fc.boolean(), { maxLength: 16 }),
            fc.boolean(),
          )
          .map(([drawn, picks, form]) => {
            const fields = valid();
            if (drawn && typeof drawn === 'object' && !Array.isArray(drawn))
              for (const [index, [name, value]] of Object.entries(drawn).entries())
                if (picks[index] && picks[(index + 1) % picks.length]) fields[name] = value;
            return { fields, form: form && area === 'POST /api/v1/public/submissions' };
          })
      : undefined;
    return fc.oneof(
      { weight: schema ? 8 : 1, arbitrary: json },
      ...(nearValid ? [{ weight: 8, arbitrary: nearValid }] : []),
      { weight: schema ? 1 : 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded'), fc.string())
          .map(([type, data]) => ({ type, data })),
      },
    );
  }

  /** Fixed hostile bodies every route gets once (besides the drawn ones). */
  function hostileRequests(
    method: string,
    path: string,
  ): Array<{ type?: string; data: string | Buffer; encoding?: string }> {
    if (method === 'GET' || method === 'DELETE') return [{ type: 'application/json', data: deepJson(10_000, 'array') }];
    return [
      { type: 'application/json', data: deepJson(10_000, 'array') },
      { type: 'application/json', data: deepJson(10_000, 'object') },
      { type: 'application/json', data: '{"body": "Mohon info", "note": "tr' },
      { type: 'application/json', data: '{' },
      { type: 'application/json', data: '' },
      { type: 'application/json', data: 'null' },
      { type: 'application/json', data: '"a string"' },
      { type: 'application/json', data: '[1,2,3]' },
      { type: 'application/json', data: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
      {
        type: 'application/json',
        data: `{"body": "${'x'.repeat(path.endsWith('/replies') ? 21 * 1024 * 1024 : 1024 * 1024)}"}`,
      },
      {
        type: 'application/json',
        data: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
      },
      { type: 'application/json; charset=utf-16', data: '{"a":1}' },
      { type: 'application/json; charset=latin1', data: '{"a":1}' },
      { type: 'application/json', data: '{"a":1}', encoding: 'gzip' },
      { type: 'application/json', data: '{"a":1}', encoding: 'br-nonsense' },
      { type: 'text/plain', data: '{"body":"Mohon info"}' },
      {
        type: 'multipart/form-data; boundary=x',
        data: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
      },
      { type: 'application/x-www-form-urlencoded', data: 'body=Mohon+info&note=%ZZ' },
      { data: '{"body":"no content type"}' },
    ];
  }

  /** What is wrong with one answer, or nothing. */
  function judge(answer: WireAnswer): string | undefined {
    if (answer.status >= 500) return `${answer.status}: ${excerpt(answer.text)}`;
    if (answer.status < 400) return undefined;
    if (!answer.contentType?.startsWith('application/json'))
      return `${answer.status} with content type ${answer.contentType}: ${excerpt(answer.text)}`;
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = (JSON.parse(answer.text) as { error?: typeof error }).error;
    } catch {
      return `${answer.status} with a body that is not JSON: ${excerpt(answer.text)}`;
    }
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message.length < 3)
      return `${answer.status} without an error naming the problem: ${excerpt(answer.text)}`;
    return undefined;
  }

  async function attempt(area: string, request: WireRequest, auth: string): Promise<string | undefined> {
    if (auth === 'admin') request.headers.authorization = `Bearer ${token}`;
    else if (auth === 'visitor') request.headers.authorization = `Bearer ${visitorToken}`;
    else if (auth !== 'none') request.headers.authorization = auth;
    let answer: WireAnswer;
    try {
      answer = await send(server.baseUrl, request);
    } catch (error) {
      tally.count(area, 'other');
      return `${describeRequest(request)} → no answer: ${(error as Error).message}`;
    }
    if (auth === 'admin' && (answer.status === 401 || answer.status === 403 || answer.status < 300))
      await restoreAdmin(); // a logout, a demotion or a disabled admin must not end the run
    const problem = judge(answer);
    tally.count(area, problem ? (answer.status >= 500 ? 'server_error' : 'other') : 'ok', answer.status);
    return problem && `${describeRequest(request)} → ${problem}`;
  }

  for (const [index, { method, path, operation }] of ROUTES.entries()) {
    const area = `${method} ${path}`;
    const usual = path.startsWith(CHAT) && path !== `${CHAT}sessions` ? 'visitor' : 'admin';
    it(area, async () => {
      const found: string[] = [];
      if (path.startsWith(PUBLIC)) {
        // The valid request first: it must get past the gate, or the fuzzing below tests only the gate.
        const fields = VALID_BODIES[area] ? await completed(area, VALID_BODIES[area]()) : undefined;
        const headers: Record<string, string> = fields ? { 'content-type': 'application/json' } : {};
        const answer = await send(server.baseUrl, {
          method,
          target: path,
          headers: { ...headers, ...(usual === 'visitor' ? { authorization: `Bearer ${visitorToken}` } : {}) },
          body: fields && JSON.stringify(fields),
        });
        expect(answer.status, `the valid request: ${excerpt(answer.text)}`).to.be.below(300);
      }
      for (const hostile of hostileRequests(method, path)) {
        const headers: Record<string, string> = {};
        if (hostile.type) headers['content-type'] = hostile.type;
        if (hostile.encoding) headers['content-encoding'] = hostile.encoding;
        const target = path.replace(/\{(\w+)\}/g, (_match, name: string) => known[name]?.[0] ?? '1');
        const problem = await attempt(area, { method, target, headers, body: hostile.data }, usual);
        if (problem) found.push(problem);
      }
      const drawn = fc.record({
        path: pathArbitrary(path),
        query: queryArbitrary(operation.parameters ?? []).map(withoutLongWaits),
        body: bodyArbitrary(area, operation),
        auth: authorization(usual),
      });
      found.push(
        ...(await fuzz(
          drawn,
          RUNS_PER_ROUTE,
          async (input) => {
            let body = input.body;
            if (body?.fields) {
              const fields = await completed(area, body.fields);
              body = body.form ? multipartBody(fields) : { type: 'application/json', data: JSON.stringify(fields) };
            }
            const headers: Record<string, string> = {};
            if (body?.type) headers['content-type'] = body.type;
            const data = method === 'GET' || method === 'HEAD' ? undefined : body?.data;
            return attempt(area, { method, target: input.path + input.query, headers, body: data }, input.auth);
          },
          index,
        )),
      );
      problems.push(...found);
      if (found.length > 0)
        expect.fail(`${found.length} bad answers (seed ${FUZZ_SEED}):\n${[...new Set(found)].slice(0, 10).join('\n')}`);
    });
  }
});
