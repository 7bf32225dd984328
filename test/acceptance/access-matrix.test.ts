import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import twilio from 'twilio';
import { AttachmentStore } from '../../src/messages/attachment-store.js';
import { pdf } from '../support/attachment-samples.js';
import { operationOf, responseChecker, type OpenApiDocument } from '../support/openapi-responses.js';
import { appOf, documentedRoutes, listRoutes, routeKey } from '../support/route-listing.js';
import { openEventStream } from '../support/sse-client.js';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp, messageSid, statusCallback } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';
import { solved, tokenFrom } from '../web/report-form-support.js';
import {
  VOICE_NUMBER,
  callForm as voiceForm,
  callSid,
  recordingSid,
  transcriptionSid,
} from '../support/twilio-voice-payloads.js';

/**
 * The role-by-route access matrix (issue 3): every route of the API against every kind of caller,
 * each cell a real HTTP request against one server, with a request that is otherwise valid, so
 * that the status says what the caller may do:
 *
 *   401  no token                       403  the caller's role may not do this
 *   404  a ticket (agent, canned response) the caller may not see: existence does not leak
 *   200/201/204  allowed (each cell gets fresh fixtures, so allowed requests succeed)
 *
 * The callers: anonymous (no token); an agent of another team (an agency, OPD); an agent of the
 * ticket's team (the front desk); a supervisor of the ticket's team; an admin. Rows about a
 * confidential ticket add a sixth caller: the agent of the team it is assigned to. A confidential
 * ticket is visible only to its assignee, supervisors and admins.
 *
 * The table is checked against the OpenAPI document and the running server's router too: it must
 * have a row for every documented route and every route the express app answers (and only those),
 * a role the document's `x-roles` leaves out must get 403 and no other role may, and every answer
 * must have a status, content type and body the document gives.
 */

type Caller = 'anonymous' | 'otherTeamAgent' | 'teamAgent' | 'supervisor' | 'admin' | 'assignee';
const COLUMNS = [
  'anonymous',
  'otherTeamAgent',
  'teamAgent',
  'supervisor',
  'admin',
  'assignee',
] as const satisfies readonly Caller[];
const CALLER_WORDS: Record<Caller, string> = {
  anonymous: 'anonymous (no token)',
  otherTeamAgent: 'an agent of another team',
  teamAgent: "an agent of the ticket's team",
  supervisor: "a supervisor of the ticket's team",
  admin: 'an admin',
  assignee: "the assignee (an agent of the ticket's team)",
};
const ROLE: Record<Caller, string> = {
  anonymous: 'anonymous',
  otherTeamAgent: 'agent',
  teamAgent: 'agent',
  assignee: 'agent',
  supervisor: 'supervisor',
  admin: 'admin',
};

/** An allowed answer that depends on the queue's contents rather than on the caller. */
const TAKEN_OR_NONE = [200, 204] as const;
type Expected = number | readonly number[];
/** [anonymous, another team's agent, the team's agent, the team's supervisor, admin, (the assignee)] */
type Cells =
  | [Expected, Expected, Expected, Expected, Expected]
  | [Expected, Expected, Expected, Expected, Expected, Expected];

interface Call {
  method: string;
  path: string;
  json?: unknown;
  /** A webhook form, signed as Twilio signs it. */
  form?: Record<string, string>;
  /** text/event-stream: read the status, then hang up. */
  stream?: boolean;
  /** A token of the caller's own for this request (logging out revokes it), not the shared one. */
  token?: string;
}

interface Row {
  /** The route as the OpenAPI document names it. */
  route: string;
  /** What the request is about, when the route has more than one row. */
  on?: string;
  cells: Cells;
  /** Builds the request for one caller, with fresh fixtures when the request changes something. */
  call(caller: Caller): Promise<Call> | Call;
  /** Beyond the status: what the caller must (not) see in the answer. */
  check?(caller: Caller, body: unknown): string | undefined;
}

interface Ticket {
  id: number;
  phone: string;
}

describe('Access matrix: every route against every kind of caller', function () {
  this.timeout(120_000);
  let server: TestServer;
  let document: OpenApiDocument;
  let checkResponse: ReturnType<typeof responseChecker>;
  let frontDesk: number;
  let agency: number;
  const tokens: Partial<Record<Caller, string>> = {};
  const ids: Partial<Record<Caller, number>> = {};
  const passwords: Partial<Record<Caller, { email: string; password: string }>> = {};
  let shared: Ticket;
  let confidential: Ticket;
  let confidentialWord: string;
  let teamCanned: number;
  let dataDir: string;

  const unique = () => randomBytes(4).toString('hex');
  let phoneCounter = 0;
  /** A fresh Indonesian mobile number per ticket (the database is new): each a new citizen with a new ticket. */
  const freshPhone = () => `+62813${String(10_000_000 + ++phoneCounter)}`;
  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  async function admin<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    status = 200,
  ): Promise<T> {
    const response = await server.api(path, json(method, body));
    const payload = (await response.json().catch(() => undefined)) as { data: T } | undefined;
    expect(response.status, `fixture: ${method} ${path} → ${JSON.stringify(payload)}`).to.equal(status);
    return payload?.data as T;
  }

  /** A ticket as a citizen opens it: a signed Twilio webhook, then the inbound worker. */
  async function ticket(
    options: {
      phone?: string;
      channel?: 'sms' | 'whatsapp';
      text?: string;
      confidential?: boolean;
      assignee?: Caller;
      resolved?: boolean;
    } = {},
  ): Promise<Ticket> {
    const phone = options.phone ?? freshPhone();
    const sid = messageSid();
    const text = options.text ?? `Mohon informasi izin usaha ${unique()}`;
    const form =
      options.channel === 'whatsapp'
        ? inboundWhatsApp(phone, text, { MessageSid: sid })
        : inboundSms(phone, text, { MessageSid: sid });
    const accepted = await server.postTwilio('/webhooks/twilio/messaging', form);
    expect(accepted.status, 'fixture: webhook').to.equal(200);
    const id = await waitFor(`the ticket of ${sid}`, async () => {
      const row = await server.runtime.db('messages').where({ provider_message_id: sid }).first('ticket_id');
      return row?.ticket_id ? Number(row.ticket_id) : undefined;
    });
    if (options.confidential) await admin('PATCH', `/api/v1/tickets/${id}`, { confidential: true });
    if (options.assignee) await admin('POST', `/api/v1/tickets/${id}/assign`, { agent_id: ids[options.assignee] });
    if (options.resolved) await admin('POST', `/api/v1/tickets/${id}/resolve`, {});
    return { id, phone };
  }
  /** A confidential ticket of the front desk, assigned to the assignee. */
  const secret = (options: { resolved?: boolean } = {}) =>
    ticket({ confidential: true, assignee: 'assignee', ...options });
  /** Two tickets of one citizen: an SMS ticket and a WhatsApp one from the same number. */
  async function duplicates(options: { confidential?: boolean } = {}): Promise<{ target: Ticket; source: Ticket }> {
    const target = await ticket(options.confidential ? { confidential: true, assignee: 'assignee' } : {});
    const source = await ticket({ phone: target.phone, channel: 'whatsapp' });
    expect(source.id, 'fixture: a second ticket for the same citizen').to.not.equal(target.id);
    return { target, source };
  }

  async function agent(caller: Caller, role: string, teams: number[]): Promise<void> {
    const email = `${caller.toLowerCase()}-${unique()}@dpmptsp.example.go.id`;
    const password = `sandi-${caller}-${unique()}`;
    ids[caller] = (
      await admin<{ id: number }>(
        'POST',
        '/api/v1/agents',
        { email, name: CALLER_WORDS[caller], role, password, teams },
        201,
      )
    ).id;
    passwords[caller] = { email, password };
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', { email, password }));
    tokens[caller] = ((await login.json()) as { token: string }).token;
  }

  /** A new token of the caller's, for a request that revokes it. */
  async function freshToken(caller: Caller): Promise<string> {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', passwords[caller]));
    expect(login.status, 'fixture: login').to.equal(200);
    return ((await login.json()) as { token: string }).token;
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-matrix-'));
    server = await startTestServer({
      TWILIO_VOICE_FROM: VOICE_NUMBER,
      DATA_DIR: dataDir,
      // Every chat row opens fresh sessions from this one address.
      WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: '1000',
      WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE: '1000',
    });
    document = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
    checkResponse = responseChecker(document);
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    agency = (await admin<{ id: number }>('POST', '/api/v1/teams', { slug: 'dinas-pupr', name: 'Dinas PUPR' }, 201)).id;
    // Agents are offline when created: routing offers nothing to anyone, so tickets wait for the cells.
    await agent('teamAgent', 'agent', [frontDesk]);
    await agent('assignee', 'agent', [frontDesk]);
    await agent('otherTeamAgent', 'agent', [agency]);
    await agent('supervisor', 'supervisor', [frontDesk]);
    ids.admin = Number((await server.runtime.db('agents').where({ role: 'admin' }).first('id')).id);
    const adminLogin = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'admin@dpmptsp.example.go.id', password: 'correct horse battery staple' }),
    );
    tokens.admin = ((await adminLogin.json()) as { token: string }).token;
    passwords.admin = { email: 'admin@dpmptsp.example.go.id', password: 'correct horse battery staple' };

    shared = await ticket();
    confidentialWord = `rahasia${unique()}`;
    confidential = await ticket({ text: `Laporan ${confidentialWord}`, confidential: true, assignee: 'assignee' });
    teamCanned = (
      await admin<{ id: number }>(
        'POST',
        '/api/v1/canned-responses',
        {
          name: 'Salam loket',
          language: 'id',
          body: 'Halo {{citizen_name}}, tiket {{reference}}.',
          team_id: frontDesk,
        },
        201,
      )
    ).id;
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string) => (): Call => ({ method: 'GET', path });
  /** A ticket of the front desk categorised as an information request: its resolution clock runs. */
  const informationRequest = async (): Promise<Ticket> => {
    const made = await ticket();
    await admin('PATCH', `/api/v1/tickets/${made.id}`, { category: 'information_request' });
    return made;
  };
  /** A stranger's message quoting a ticket's reference, held on that ticket for an agent; its message id. */
  async function heldOn(make: () => Promise<Ticket>): Promise<number> {
    const target = await make();
    const { reference } = await server.runtime.db('tickets').where({ id: target.id }).first('reference');
    const sid = messageSid();
    const accepted = await server.postTwilio(
      '/webhooks/twilio/messaging',
      inboundSms(freshPhone(), `Tiket ${reference}`, { MessageSid: sid }),
    );
    expect(accepted.status, 'fixture: webhook').to.equal(200);
    return waitFor(`the held message ${sid}`, async () => {
      const row = await server.runtime.db('messages').where({ provider_message_id: sid }).first('id', 'hold_status');
      return row?.hold_status === 'held' ? Number(row.id) : undefined;
    });
  }
  let sharedHeld = 0;
  const onHeld = (make: () => Promise<Ticket>, decision: string) => async (): Promise<Call> => ({
    method: 'POST',
    path: `/api/v1/held-messages/${await heldOn(make)}/${decision}`,
  });
  const onTicket = (make: () => Promise<Ticket>, action: string, json?: unknown) => async (): Promise<Call> => ({
    method: 'POST',
    path: `/api/v1/tickets/${(await make()).id}/${action}`,
    json,
  });
  const sees = (id: () => number, who: Caller[]) => (caller: Caller, body: unknown) => {
    const found = ((body as { data?: Array<{ id: number }> }).data ?? []).some((entry) => entry.id === id());
    return found === who.includes(caller) ? undefined : `the list ${found ? 'shows' : 'lacks'} ticket ${id()}`;
  };
  const SECRET_KEEPERS: Caller[] = ['assignee', 'supervisor', 'admin'];
  /** A contact search answer: does it list the ticket (under its citizen) exactly for `who`? */
  const findsTicket = (id: () => number, who: Caller[]) => (caller: Caller, body: unknown) => {
    const contacts = (body as { data?: Array<{ tickets: Array<{ id: number }> }> }).data ?? [];
    const found = contacts.some((contact) => contact.tickets.some((entry) => entry.id === id()));
    return found === who.includes(caller) ? undefined : `the search ${found ? 'shows' : 'lacks'} ticket ${id()}`;
  };
  /** A PDF kept by the attachment store on the ticket's first message, as the mail channel keeps one; its id. */
  async function attachmentOn(target: Ticket): Promise<number> {
    const store = new AttachmentStore({ dataDir, maxBytes: 1024 * 1024 });
    const kept = await store.storeOutgoing({ filename: 'surat.pdf', content: pdf(`Surat ${unique()}`) });
    if ('refused' in kept) throw new Error(`fixture: ${kept.refused}`);
    const message = await server.runtime.db('messages').where({ ticket_id: target.id }).orderBy('id').first('id');
    const [row] = await server.runtime
      .db('attachments')
      .insert({
        message_id: message.id,
        storage: kept.storage,
        url: kept.url,
        content_type: kept.contentType,
        filename: kept.filename,
        size_bytes: kept.sizeBytes,
        sha256: kept.sha256,
        created_at: new Date(),
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }
  /** One of the phone line's webhooks for a fresh call, signed as Twilio signs it. */
  const voiceHook =
    (path: string, extra: Record<string, string> = {}) =>
    (): Call => ({
      method: 'POST',
      path: `/webhooks/twilio/voice${path}`,
      form: voiceForm(callSid(), freshPhone(), extra),
    });
  /** A call-back task of the front desk: a citizen hangs up in the menu, the call reaches its ticket, the call-back pass makes the task. */
  async function voiceTask(): Promise<number> {
    const sid = callSid();
    expect(
      (
        await server.postTwilio(
          '/webhooks/twilio/voice/status',
          voiceForm(sid, freshPhone(), { CallStatus: 'completed', CallDuration: '14' }),
        )
      ).status,
      'fixture: call status',
    ).to.equal(200);
    return waitFor(`the call-back of ${sid}`, async () => {
      await server.runtime.callbacks!.runOnce();
      const call = await server.runtime.db('calls').where({ call_sid: sid }).first('task_id');
      return call?.task_id ? Number(call.task_id) : undefined;
    });
  }
  /** A fresh task, with every caller given a phone to be rung first. */
  async function callableTask(): Promise<number> {
    await server.runtime.db('agents').update({ phone: '+6281300000777' });
    return voiceTask();
  }
  /** A fresh task whose call-back call was placed by the caller (by an agent of its team for those who cannot place one). */
  async function placedTask(caller: Caller): Promise<number> {
    const taskId = await callableTask();
    const placer = caller === 'anonymous' || caller === 'otherTeamAgent' ? 'teamAgent' : caller;
    const placed = await fetch(`${server.baseUrl}/api/v1/tasks/${taskId}/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[placer]}` },
    });
    expect(placed.status, 'fixture: the call-back call placed').to.equal(200);
    return taskId;
  }
  let sharedTask = 0;
  /** One task for every cell that only reads it, made on first use. */
  async function sharedVoiceTask(): Promise<number> {
    if (!sharedTask) sharedTask = await voiceTask();
    return sharedTask;
  }
  const onTask = (path: string) => async (): Promise<Call> => ({
    method: 'GET',
    path: `/api/v1/tasks/${await sharedVoiceTask()}${path}`,
  });
  /** A fresh calendar (for each cell), optionally with a 2027 holiday or exception to remove. */
  async function calendar(options: { holiday?: string; exception?: string } = {}): Promise<number> {
    const { id } = await admin<{ id: number }>(
      'POST',
      '/api/v1/calendars',
      { slug: `kalender-${unique()}`, name: 'Kalender dinas' },
      201,
    );
    if (options.holiday)
      await admin('PUT', `/api/v1/calendars/${id}/holidays/2027/${options.holiday}`, { name: 'Hari jadi kota' }, 201);
    if (options.exception)
      await admin('PUT', `/api/v1/calendars/${id}/exceptions/${options.exception}`, { hours: [] }, 201);
    return id;
  }
  const onCalendar =
    (method: string, path: string, json?: unknown, options?: { holiday?: string; exception?: string }) =>
    async (): Promise<Call> => ({ method, path: `/api/v1/calendars/${await calendar(options)}${path}`, json });

  /** A chat visitor's session (the widget's), with a first message made a ticket if asked. */
  async function chatSession(options: { email?: string; message?: boolean } = {}) {
    const opened = await fetch(`${server.baseUrl}/api/v1/public/chat/sessions`, json('POST', { email: options.email }));
    expect(opened.status, 'fixture: chat session').to.equal(201);
    const { token, sessionId } = ((await opened.json()) as { data: { token: string; sessionId: string } }).data;
    let ticketId: number | undefined;
    if (options.message) {
      const sent = await fetch(`${server.baseUrl}/api/v1/public/chat/messages`, {
        ...json('POST', { clientId: randomBytes(8).toString('hex'), text: `Halo ${unique()}` }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      expect(sent.status, 'fixture: chat message').to.equal(202);
      ticketId = await waitFor('the chat ticketed', async () => {
        const row = await server.runtime.db('messages').where({ address: sessionId }).first('ticket_id');
        return row ? Number(row.ticket_id) : undefined;
      });
    }
    return { token, sessionId, ticketId: ticketId ?? 0 };
  }
  /** A visitor's request: the session token whoever the caller (the chat takes no staff token). */
  const visitorCall =
    (
      method: string,
      path: string,
      body?: unknown,
      options: { email?: string; message?: boolean; stream?: boolean } = {},
    ) =>
    async (): Promise<Call> => {
      const { token } = await chatSession(options);
      return { method, path: `/api/v1/public/chat${path}`, json: body, token, stream: options.stream };
    };
  /** The fields of a new web report, as the /lapor page's script would send them. */
  async function webReport(): Promise<Record<string, unknown>> {
    const form = await fetch(`${server.baseUrl}/api/v1/public/submissions/form`);
    const { data } = (await form.json()) as { data: { idempotencyKey: string; challenge: unknown } };
    return {
      key: data.idempotencyKey,
      form_token: await tokenFrom(server.runtime.db, data.idempotencyKey, 10),
      altcha: await solved(JSON.stringify(data.challenge)),
      phone: `+62812${String(Date.now()).slice(-7)}`,
      kind: 'information_request',
      text: 'Syarat izin usaha apa saja?',
    };
  }

  /** An inbox row set aside after failures (src/inbox/dead-letter.ts): a copy of a processed row's contact. */
  async function deadLetter(): Promise<number> {
    const db = server.runtime.db;
    await ticket();
    const model = await db('inbox').whereNotNull('processed_at').orderBy('id', 'desc').first('envelope');
    const envelope = typeof model.envelope === 'string' ? JSON.parse(model.envelope) : model.envelope;
    const externalId = `SM${randomBytes(16).toString('hex')}`;
    const [row] = await db('inbox')
      .insert({
        provider: envelope.provider,
        external_id: externalId,
        channel: envelope.channel,
        envelope: JSON.stringify({ ...envelope, externalId }),
        received_at: new Date(),
        attempts: 10,
        last_error: 'Error: fixture',
        dead_lettered_at: new Date(),
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  // prettier-ignore
  const TABLE: Row[] = [
    //                                                                       anonymous  other team  team agent  supervisor  admin  (assignee)
    { route: 'GET /healthz', cells: [200, 200, 200, 200, 200], call: get('/healthz') },
    { route: 'GET /readyz', cells: [200, 200, 200, 200, 200], call: get('/readyz') },
    { route: 'GET /api/openapi.json', cells: [200, 200, 200, 200, 200], call: get('/api/openapi.json') },
    {
      route: 'GET /metrics',
      on: "with API tokens (the scraper's METRICS_TOKEN is tested in prometheus-metrics.test.ts)",
      cells: [401, 403, 403, 403, 200],
      call: get('/metrics'),
    },
    {
      route: 'GET /api/v1/admin/dead-letters',
      cells: [401, 403, 403, 403, 200],
      call: get('/api/v1/admin/dead-letters'),
    },
    {
      route: 'POST /api/v1/admin/dead-letters/{id}/retry',
      cells: [401, 403, 403, 403, 202],
      call: async () => ({ method: 'POST', path: `/api/v1/admin/dead-letters/${await deadLetter()}/retry` }),
    },
    {
      route: 'POST /webhooks/twilio/messaging',
      cells: [200, 200, 200, 200, 200],
      call: () => ({ method: 'POST', path: '/webhooks/twilio/messaging', form: inboundSms(freshPhone(), 'Halo') }),
    },
    {
      route: 'POST /webhooks/twilio/status',
      cells: [200, 200, 200, 200, 200],
      call: () => ({
        method: 'POST',
        path: '/webhooks/twilio/status',
        form: statusCallback(messageSid(), 'delivered'),
      }),
    },
    { route: 'POST /webhooks/twilio/voice', cells: [200, 200, 200, 200, 200], call: voiceHook('') },
    {
      route: 'POST /webhooks/twilio/voice/menu',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/menu', { Digits: '1' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/reference',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/reference', { Digits: '123456789' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/offer',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/offer', { Digits: '3' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/dial',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/dial', { DialCallStatus: 'no-answer' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/recording',
      cells: [200, 200, 200, 200, 200],
      call: () =>
        voiceHook('/recording?purpose=complaint', {
          RecordingSid: recordingSid(),
          RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
          RecordingDuration: '21',
        })(),
    },
    {
      route: 'POST /webhooks/twilio/voice/transcription',
      cells: [200, 200, 200, 200, 200],
      call: () =>
        voiceHook('/transcription', {
          TranscriptionSid: transcriptionSid(),
          TranscriptionText: 'Izin saya belum terbit',
          TranscriptionStatus: 'completed',
          RecordingSid: recordingSid(),
        })(),
    },
    {
      route: 'POST /webhooks/twilio/voice/status',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/status', { CallStatus: 'completed', CallDuration: '30' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/callback/answer',
      on: 'a task that does not exist (hang up)',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/callback/answer?task=999999'),
    },
    {
      route: 'POST /webhooks/twilio/voice/callback/dial',
      on: 'a task that does not exist (nothing to record)',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/callback/dial?task=999999', { DialCallStatus: 'busy' }),
    },
    {
      route: 'POST /webhooks/twilio/voice/callback/status',
      on: 'a task that does not exist',
      cells: [200, 200, 200, 200, 200],
      call: voiceHook('/callback/status?task=999999', { CallStatus: 'no-answer' }),
    },
    {
      route: 'POST /api/v1/auth/login',
      on: "the caller's own email and password (anonymous: an agent's)",
      cells: [200, 200, 200, 200, 200],
      call: (caller) => ({
        method: 'POST',
        path: '/api/v1/auth/login',
        json: passwords[caller === 'anonymous' ? 'teamAgent' : caller],
      }),
    },
    {
      route: 'POST /api/v1/public/track',
      on: "the front desk's ticket, by its reference and the last four digits of its citizen's phone",
      cells: [200, 200, 200, 200, 200],
      call: async () => {
        const { reference } = await server.runtime.db('tickets').where({ id: shared.id }).first('reference');
        return {
          method: 'POST',
          path: '/api/v1/public/track',
          json: { reference, phoneLast4: shared.phone.slice(-4) },
        };
      },
    },
    {
      route: 'POST /api/v1/public/track',
      on: 'the same reference with a wrong phone: the one "not found"',
      cells: [404, 404, 404, 404, 404],
      call: async () => {
        const { reference } = await server.runtime.db('tickets').where({ id: shared.id }).first('reference');
        const wrong = String((Number(shared.phone.slice(-4)) + 1) % 10000).padStart(4, '0');
        return { method: 'POST', path: '/api/v1/public/track', json: { reference, phoneLast4: wrong } };
      },
    },
    {
      route: 'POST /api/v1/public/track/subscribe',
      on: "the front desk's ticket, by its reference and the last four digits of its citizen's phone",
      cells: [200, 200, 200, 200, 200],
      call: async () => {
        const { reference } = await server.runtime.db('tickets').where({ id: shared.id }).first('reference');
        return {
          method: 'POST',
          path: '/api/v1/public/track/subscribe',
          json: { reference, phoneLast4: shared.phone.slice(-4) },
        };
      },
    },
    {
      route: 'GET /api/v1/public/submissions/form',
      cells: [200, 200, 200, 200, 200],
      call: get('/api/v1/public/submissions/form'),
    },
    {
      route: 'POST /api/v1/public/submissions',
      on: 'a fresh report with its proof-of-work solved (the web form is public: a token changes nothing)',
      cells: [202, 202, 202, 202, 202],
      call: async () => ({ method: 'POST', path: '/api/v1/public/submissions', json: await webReport() }),
    },
    {
      route: 'POST /api/v1/auth/logout',
      on: 'a fresh token of the caller, revoked',
      cells: [401, 204, 204, 204, 204],
      call: async (caller) => ({
        method: 'POST',
        path: '/api/v1/auth/logout',
        token: caller === 'anonymous' ? undefined : await freshToken(caller),
      }),
    },

    {
      route: 'GET /api/v1/tickets',
      on: 'a search that finds the confidential ticket',
      cells: [401, 200, 200, 200, 200, 200],
      call: () => ({ method: 'GET', path: `/api/v1/tickets?q=${confidentialWord}` }),
      check: sees(() => confidential.id, SECRET_KEEPERS),
    },
    {
      route: 'GET /api/v1/tickets',
      on: "the confidential ticket's citizen, by phone (contact filter)",
      cells: [401, 200, 200, 200, 200, 200],
      call: () => ({ method: 'GET', path: `/api/v1/tickets?contact=${encodeURIComponent(confidential.phone)}` }),
      check: sees(() => confidential.id, SECRET_KEEPERS),
    },
    {
      route: 'GET /api/v1/contacts',
      on: "the front desk's citizen, by phone",
      cells: [401, 200, 200, 200, 200],
      call: () => ({ method: 'GET', path: `/api/v1/contacts?q=${encodeURIComponent(shared.phone)}` }),
      check: findsTicket(() => shared.id, ['teamAgent', 'supervisor', 'admin']),
    },
    {
      route: 'GET /api/v1/contacts',
      on: "the confidential ticket's citizen, by phone",
      cells: [401, 200, 200, 200, 200, 200],
      call: () => ({ method: 'GET', path: `/api/v1/contacts?q=${encodeURIComponent(confidential.phone)}` }),
      check: findsTicket(() => confidential.id, SECRET_KEEPERS),
    },
    {
      route: 'GET /api/v1/attachments/{id}',
      on: "a file on a front-desk ticket's message",
      cells: [401, 404, 200, 200, 200],
      call: async () => ({ method: 'GET', path: `/api/v1/attachments/${await attachmentOn(shared)}` }),
    },
    {
      route: 'GET /api/v1/attachments/{id}',
      on: "a file on the confidential ticket's message",
      cells: [401, 404, 404, 200, 200, 200],
      call: async () => ({ method: 'GET', path: `/api/v1/attachments/${await attachmentOn(confidential)}` }),
    },
    {
      route: 'GET /api/v1/tickets/vocabulary',
      cells: [401, 200, 200, 200, 200],
      call: get('/api/v1/tickets/vocabulary'),
    },
    {
      route: 'GET /api/v1/tickets/{id}',
      cells: [401, 404, 200, 200, 200],
      call: () => get(`/api/v1/tickets/${shared.id}`)(),
    },
    {
      route: 'GET /api/v1/tickets/{id}',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: () => get(`/api/v1/tickets/${confidential.id}`)(),
    },
    {
      route: 'PATCH /api/v1/tickets/{id}',
      cells: [401, 404, 200, 200, 200],
      call: async () => ({
        method: 'PATCH',
        path: `/api/v1/tickets/${(await ticket()).id}`,
        json: { priority: 'high', category: 'complaint' },
      }),
    },
    {
      route: 'PATCH /api/v1/tickets/{id}',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: async () => ({
        method: 'PATCH',
        path: `/api/v1/tickets/${(await secret()).id}`,
        json: { priority: 'high' },
      }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/replies',
      cells: [401, 404, 201, 201, 201],
      call: onTicket(() => ticket(), 'replies', { body: 'Terima kasih, kami proses.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/replies',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 201, 201, 201],
      call: onTicket(() => secret(), 'replies', { body: 'Terima kasih, kami proses.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/reply-preview',
      cells: [401, 404, 200, 200, 200],
      call: async () => onTicket(() => ticket(), 'reply-preview', { canned_response_id: teamCanned })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/reply-preview',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: async () => onTicket(() => secret(), 'reply-preview', { canned_response_id: teamCanned })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/viewers',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(() => ticket(), 'viewers', { activity: 'replying' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/viewers',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: onTicket(() => secret(), 'viewers', { activity: 'viewing' }),
    },
    {
      route: 'DELETE /api/v1/tickets/{id}/viewers',
      cells: [401, 404, 204, 204, 204],
      call: async () => ({ method: 'DELETE', path: `/api/v1/tickets/${(await ticket()).id}/viewers` }),
    },
    {
      route: 'DELETE /api/v1/tickets/{id}/viewers',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 204, 204, 204],
      call: async () => ({ method: 'DELETE', path: `/api/v1/tickets/${(await secret()).id}/viewers` }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/clarification',
      cells: [401, 404, 201, 201, 201],
      call: onTicket(() => ticket(), 'clarification', { body: 'Mohon kirim foto KTP.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/clarification',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 201, 201, 201],
      call: onTicket(() => secret(), 'clarification', { body: 'Mohon kirim foto KTP.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/notes',
      cells: [401, 404, 201, 201, 201],
      call: onTicket(() => ticket(), 'notes', { body: 'Cek berkas.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/notes',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 201, 201, 201],
      call: onTicket(() => secret(), 'notes', { body: 'Cek berkas.' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/transfer',
      cells: [401, 404, 200, 200, 200],
      call: async () => onTicket(() => ticket(), 'transfer', { team_id: agency, note: 'Mohon ditindaklanjuti' })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/transfer',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: async () => onTicket(() => secret(), 'transfer', { team_id: agency, note: 'Mohon ditindaklanjuti' })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/merge',
      on: 'two tickets of one citizen',
      cells: [401, 404, 200, 200, 200],
      call: async () => {
        const { target, source } = await duplicates();
        return { method: 'POST', path: `/api/v1/tickets/${target.id}/merge`, json: { source_ticket_ids: [source.id] } };
      },
    },
    {
      route: 'POST /api/v1/tickets/{id}/merge',
      on: 'a confidential ticket and a duplicate',
      cells: [401, 404, 404, 200, 200, 200],
      call: async () => {
        const { target, source } = await duplicates({ confidential: true });
        return { method: 'POST', path: `/api/v1/tickets/${target.id}/merge`, json: { source_ticket_ids: [source.id] } };
      },
    },
    {
      route: 'GET /api/v1/held-messages',
      on: 'a message held on a front-desk ticket among them',
      cells: [401, 200, 200, 200, 200],
      call: async () => {
        sharedHeld ||= await heldOn(() => ticket());
        return { method: 'GET', path: '/api/v1/held-messages?limit=200' };
      },
      check: sees(() => sharedHeld, ['teamAgent', 'supervisor', 'admin']),
    },
    {
      route: 'POST /api/v1/held-messages/{id}/confirm',
      cells: [401, 404, 200, 200, 200],
      call: onHeld(() => ticket(), 'confirm'),
    },
    {
      route: 'POST /api/v1/held-messages/{id}/confirm',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: onHeld(() => secret(), 'confirm'),
    },
    {
      route: 'POST /api/v1/held-messages/{id}/split',
      cells: [401, 404, 201, 201, 201],
      call: onHeld(() => ticket(), 'split'),
    },
    {
      route: 'POST /api/v1/held-messages/{id}/split',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 201, 201, 201],
      call: onHeld(() => secret(), 'split'),
    },
    {
      route: 'POST /api/v1/tickets/{id}/resolve',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(() => ticket(), 'resolve', { note: 'Izin terbit' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/resolve',
      on: 'a confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: onTicket(() => secret(), 'resolve', { note: 'Izin terbit' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/close',
      on: 'a resolved ticket',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(() => ticket({ resolved: true }), 'close'),
    },
    {
      route: 'POST /api/v1/tickets/{id}/close',
      on: 'a resolved confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: onTicket(() => secret({ resolved: true }), 'close'),
    },
    {
      route: 'POST /api/v1/tickets/{id}/reopen',
      on: 'a resolved ticket',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(() => ticket({ resolved: true }), 'reopen', { note: 'Warga belum menerima' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/reopen',
      on: 'a resolved confidential ticket',
      cells: [401, 404, 404, 200, 200, 200],
      call: onTicket(() => secret({ resolved: true }), 'reopen'),
    },
    {
      route: 'POST /api/v1/tickets/{id}/sla/extend',
      on: 'an information request (UU KIP: extendable once)',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(informationRequest, 'sla/extend', { reason: 'Dokumen harus diminta dari arsip OPD' }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/assign',
      on: 'giving it to an agent of its team',
      cells: [401, 403, 403, 200, 200],
      call: async () => onTicket(() => ticket(), 'assign', { agent_id: ids.assignee })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/assign',
      on: 'a confidential ticket, to another agent of its team',
      cells: [401, 403, 403, 200, 200, 403],
      call: async () => onTicket(() => secret(), 'assign', { agent_id: ids.teamAgent })(),
    },
    {
      route: 'POST /api/v1/tickets/{id}/claim',
      on: 'a waiting ticket of the team',
      cells: [401, 404, 200, 200, 200],
      call: onTicket(() => ticket(), 'claim'),
    },
    {
      route: 'POST /api/v1/tickets/{id}/claim',
      on: 'a waiting confidential ticket (no assignee: agents do not see it)',
      cells: [401, 404, 404, 200, 200],
      call: onTicket(() => ticket({ confidential: true }), 'claim'),
    },

    { route: 'GET /api/v1/queue/mine', cells: [401, 200, 200, 200, 200], call: get('/api/v1/queue/mine') },
    {
      route: 'GET /api/v1/queue/waiting',
      cells: [401, 200, 200, 200, 200],
      call: get('/api/v1/queue/waiting?limit=200'),
    },
    {
      route: 'GET /api/v1/tasks',
      on: 'a call-back of the front desk among them',
      cells: [401, 200, 200, 200, 200],
      call: async () => {
        sharedTask ||= await voiceTask();
        return { method: 'GET', path: '/api/v1/tasks?limit=200' };
      },
      check: sees(() => sharedTask, ['teamAgent', 'supervisor', 'admin']),
    },
    {
      route: 'GET /api/v1/tasks/{id}',
      on: 'a call-back of the front desk',
      cells: [401, 404, 200, 200, 200],
      call: onTask(''),
    },
    {
      route: 'POST /api/v1/tasks/{id}/call',
      on: 'an open call-back, the caller having a phone',
      cells: [401, 404, 200, 200, 200],
      call: async () => ({ method: 'POST', path: `/api/v1/tasks/${await callableTask()}/call` }),
    },
    {
      route: 'POST /api/v1/tasks/{id}/outcome',
      on: 'a call-back being called by the caller, reached',
      cells: [401, 404, 200, 200, 200],
      call: async (caller) => ({
        method: 'POST',
        path: `/api/v1/tasks/${await placedTask(caller)}/outcome`,
        json: { outcome: 'reached', note: 'Sudah dijelaskan' },
      }),
    },
    {
      route: 'POST /api/v1/queue/next',
      cells: [401, TAKEN_OR_NONE, TAKEN_OR_NONE, TAKEN_OR_NONE, TAKEN_OR_NONE],
      call: () => ({ method: 'POST', path: '/api/v1/queue/next' }),
    },

    { route: 'GET /api/v1/agents', cells: [401, 403, 403, 200, 200], call: get('/api/v1/agents') },
    {
      route: 'POST /api/v1/agents',
      cells: [401, 403, 403, 403, 201],
      call: () => ({
        method: 'POST',
        path: '/api/v1/agents',
        json: {
          email: `baru-${unique()}@dpmptsp.example.go.id`,
          name: 'Petugas baru',
          role: 'agent',
          password: 'sandi-baru-1234',
          teams: [frontDesk],
        },
      }),
    },
    { route: 'GET /api/v1/agents/me', cells: [401, 200, 200, 200, 200], call: get('/api/v1/agents/me') },
    {
      route: 'PUT /api/v1/agents/me/presence',
      on: "away (available would let routing take the cells' tickets)",
      cells: [401, 200, 200, 200, 200],
      call: () => ({ method: 'PUT', path: '/api/v1/agents/me/presence', json: { presence: 'away' } }),
    },
    {
      route: 'GET /api/v1/agents/{id}',
      on: 'an agent of the team (the assignee)',
      cells: [401, 404, 404, 200, 200, 200],
      call: () => get(`/api/v1/agents/${ids.assignee}`)(),
    },
    {
      route: 'PATCH /api/v1/agents/{id}',
      on: 'an agent of the team (the assignee)',
      cells: [401, 403, 403, 403, 200, 403],
      call: () => ({ method: 'PATCH', path: `/api/v1/agents/${ids.assignee}`, json: { phone: '+6281300000999' } }),
    },

    { route: 'GET /api/v1/teams', cells: [401, 200, 200, 200, 200], call: get('/api/v1/teams') },
    {
      route: 'POST /api/v1/teams',
      cells: [401, 403, 403, 403, 201],
      call: () => ({ method: 'POST', path: '/api/v1/teams', json: { slug: `dinas-${unique()}`, name: 'Dinas baru' } }),
    },
    {
      route: 'GET /api/v1/teams/{id}',
      cells: [401, 200, 200, 200, 200],
      call: () => get(`/api/v1/teams/${frontDesk}`)(),
    },
    {
      route: 'PATCH /api/v1/teams/{id}',
      on: 'the agency',
      cells: [401, 403, 403, 403, 200],
      call: () => ({
        method: 'PATCH',
        path: `/api/v1/teams/${agency}`,
        json: { description: 'Pekerjaan umum dan penataan ruang' },
      }),
    },

    { route: 'GET /api/v1/calendars', cells: [401, 200, 200, 200, 200], call: get('/api/v1/calendars') },
    {
      route: 'POST /api/v1/calendars',
      cells: [401, 403, 403, 403, 201],
      call: () => ({
        method: 'POST',
        path: '/api/v1/calendars',
        json: { slug: `kalender-${unique()}`, name: 'Kalender baru', time_zone: 'Asia/Jakarta' },
      }),
    },
    { route: 'GET /api/v1/calendars/{id}', cells: [401, 200, 200, 200, 200], call: onCalendar('GET', '') },
    {
      route: 'PATCH /api/v1/calendars/{id}',
      cells: [401, 403, 403, 403, 200],
      call: onCalendar('PATCH', '', { name: 'Kalender diubah' }),
    },
    { route: 'DELETE /api/v1/calendars/{id}', cells: [401, 403, 403, 403, 204], call: onCalendar('DELETE', '') },
    {
      route: 'GET /api/v1/calendars/{id}/deadline',
      cells: [401, 200, 200, 200, 200],
      call: onCalendar('GET', '/deadline?from=2027-06-10T10%3A00%3A00%2B08%3A00&working_days=3'),
    },
    {
      route: 'GET /api/v1/calendars/{id}/holidays',
      cells: [401, 200, 200, 200, 200],
      call: onCalendar('GET', '/holidays?year=2026'),
    },
    {
      route: 'PUT /api/v1/calendars/{id}/holidays/{year}',
      cells: [401, 403, 403, 403, 200],
      call: onCalendar('PUT', '/holidays/2027', [
        { date: '2027-08-17', name: 'Proklamasi Kemerdekaan', kind: 'national' },
      ]),
    },
    {
      route: 'PUT /api/v1/calendars/{id}/holidays/{year}/{date}',
      cells: [401, 403, 403, 403, 201],
      call: onCalendar('PUT', '/holidays/2027/2027-06-14', { name: 'Hari jadi kota' }),
    },
    {
      route: 'DELETE /api/v1/calendars/{id}/holidays/{year}/{date}',
      cells: [401, 403, 403, 403, 204],
      call: onCalendar('DELETE', '/holidays/2027/2027-06-14', undefined, { holiday: '2027-06-14' }),
    },
    {
      route: 'GET /api/v1/calendars/{id}/exceptions',
      cells: [401, 200, 200, 200, 200],
      call: onCalendar('GET', '/exceptions?from=2027-01-01'),
    },
    {
      route: 'PUT /api/v1/calendars/{id}/exceptions',
      on: 'a month of Ramadan hours',
      cells: [401, 403, 403, 403, 200],
      call: onCalendar('PUT', '/exceptions', {
        from: '2027-02-08',
        to: '2027-03-09',
        weekly_hours: {
          mon: [['08:00', '15:00']],
          fri: [
            ['08:00', '11:30'],
            ['13:00', '15:30'],
          ],
        },
      }),
    },
    {
      route: 'PUT /api/v1/calendars/{id}/exceptions/{date}',
      on: 'a regional day off',
      cells: [401, 403, 403, 403, 201],
      call: onCalendar('PUT', '/exceptions/2027-05-04', { hours: [], note: 'Libur daerah' }),
    },
    {
      route: 'DELETE /api/v1/calendars/{id}/exceptions/{date}',
      cells: [401, 403, 403, 403, 204],
      call: onCalendar('DELETE', '/exceptions/2027-05-04', undefined, { exception: '2027-05-04' }),
    },

    { route: 'GET /api/v1/sla-policies', cells: [401, 403, 403, 200, 200], call: get('/api/v1/sla-policies') },
    {
      route: 'POST /api/v1/sla-policies',
      cells: [401, 403, 403, 403, 201],
      call: () => ({
        method: 'POST',
        path: '/api/v1/sla-policies',
        json: {
          name: `Mendesak ${unique()}`,
          position: 1,
          priorities: ['urgent'],
          targets: { first_response: { minutes: 15 } },
        },
      }),
    },
    { route: 'GET /api/v1/sla-policies/{id}', cells: [401, 403, 403, 200, 200], call: get('/api/v1/sla-policies/1') },
    {
      route: 'PATCH /api/v1/sla-policies/{id}',
      cells: [401, 403, 403, 403, 200],
      call: () => ({ method: 'PATCH', path: '/api/v1/sla-policies/4', json: { warning_ratio: 0.75 } }),
    },
    {
      route: 'DELETE /api/v1/sla-policies/{id}',
      cells: [401, 403, 403, 403, 204],
      call: async () => ({
        method: 'DELETE',
        path: `/api/v1/sla-policies/${(await admin<{ id: number }>('POST', '/api/v1/sla-policies', { name: `Hapus ${unique()}`, position: 999, channels: ['voice'], active: false, targets: { resolution: { days: 2 } } }, 201)).id}`,
      }),
    },
    {
      route: 'GET /api/v1/canned-responses',
      on: "the front desk's canned response among them",
      cells: [401, 200, 200, 200, 200],
      call: get('/api/v1/canned-responses'),
      check: sees(() => teamCanned, ['teamAgent', 'supervisor', 'admin']),
    },
    {
      route: 'POST /api/v1/canned-responses',
      cells: [401, 403, 403, 403, 201],
      call: () => ({
        method: 'POST',
        path: '/api/v1/canned-responses',
        json: { name: `Salam ${unique()}`, language: 'en', body: 'Dear {{citizen_name}}, ticket {{reference}}.' },
      }),
    },
    {
      route: 'GET /api/v1/canned-responses/{id}',
      on: "the front desk's canned response",
      cells: [401, 404, 200, 200, 200],
      call: () => get(`/api/v1/canned-responses/${teamCanned}`)(),
    },
    {
      route: 'PATCH /api/v1/canned-responses/{id}',
      on: "the front desk's canned response",
      cells: [401, 403, 403, 403, 200],
      call: () => ({
        method: 'PATCH',
        path: `/api/v1/canned-responses/${teamCanned}`,
        json: { body: 'Halo {{citizen_name}}, tiket {{reference}} kami terima.' },
      }),
    },
    {
      route: 'DELETE /api/v1/canned-responses/{id}',
      cells: [401, 403, 403, 403, 204],
      call: async () => ({
        method: 'DELETE',
        path: `/api/v1/canned-responses/${(await admin<{ id: number }>('POST', '/api/v1/canned-responses', { name: `Hapus ${unique()}`, language: 'id', body: 'Sementara' }, 201)).id}`,
      }),
    },

    // The chat widget: a visitor session token, not a staff one, so every caller is the visitor here (test/webchat/).
    {
      route: 'POST /api/v1/public/chat/sessions',
      cells: [201, 201, 201, 201, 201],
      call: () => ({ method: 'POST', path: '/api/v1/public/chat/sessions', json: { language: 'en' } }),
    },
    {
      route: 'GET /api/v1/public/chat/session',
      cells: [200, 200, 200, 200, 200],
      call: visitorCall('GET', '/session'),
    },
    {
      route: 'POST /api/v1/public/chat/messages',
      cells: [202, 202, 202, 202, 202],
      call: visitorCall('POST', '/messages', { clientId: 'c0ffee-0001', text: 'Halo' }),
    },
    {
      route: 'GET /api/v1/public/chat/messages',
      cells: [200, 200, 200, 200, 200],
      call: visitorCall('GET', '/messages'),
    },
    {
      route: 'GET /api/v1/public/chat/stream',
      cells: [200, 200, 200, 200, 200],
      call: visitorCall('GET', '/stream', undefined, { stream: true }),
    },
    {
      route: 'POST /api/v1/public/chat/typing',
      cells: [204, 204, 204, 204, 204],
      call: visitorCall('POST', '/typing'),
    },
    {
      route: 'POST /api/v1/public/chat/read',
      cells: [204, 204, 204, 204, 204],
      call: visitorCall('POST', '/read', { upTo: 1 }),
    },
    {
      route: 'POST /api/v1/public/chat/transcript',
      cells: [202, 202, 202, 202, 202],
      call: visitorCall('POST', '/transcript', undefined, { email: `warga-${unique()}@example.id`, message: true }),
    },
    {
      route: 'POST /api/v1/tickets/{id}/typing',
      cells: [401, 404, 204, 204, 204],
      call: async () => ({
        method: 'POST',
        path: `/api/v1/tickets/${(await chatSession({ message: true })).ticketId}/typing`,
      }),
    },
    {
      route: 'GET /api/v1/tickets/{id}/typing',
      cells: [401, 404, 200, 200, 200],
      call: async () => ({
        method: 'GET',
        path: `/api/v1/tickets/${(await chatSession({ message: true })).ticketId}/typing`,
      }),
    },
    {
      route: 'GET /api/v1/events/stream',
      cells: [401, 200, 200, 200, 200],
      call: () => ({ method: 'GET', path: '/api/v1/events/stream', stream: true }),
    },

    // The supervisor's view: supervisors (their teams) and admins; another team's figures are a 403 (test/acceptance/metrics-*.test.ts).
    { route: 'GET /api/v1/metrics/live', cells: [401, 403, 403, 200, 200], call: get('/api/v1/metrics/live') },
    { route: 'GET /api/v1/metrics/summary', cells: [401, 403, 403, 200, 200], call: get('/api/v1/metrics/summary') },
    {
      route: 'GET /api/v1/metrics/summary.csv',
      cells: [401, 403, 403, 200, 200],
      call: get('/api/v1/metrics/summary.csv'),
    },
    {
      route: 'GET /api/v1/metrics/stream',
      cells: [401, 403, 403, 200, 200],
      call: () => ({ method: 'GET', path: '/api/v1/metrics/stream', stream: true }),
    },
    {
      route: 'GET /api/v1/tickets/export.csv',
      cells: [401, 403, 403, 200, 200],
      call: get('/api/v1/tickets/export.csv'),
    },
  ];

  /** One real request as the caller. */
  async function perform(
    caller: Caller,
    call: Call,
  ): Promise<{ status: number; contentType: string | null; body: unknown }> {
    const headers: Record<string, string> = {};
    const token = call.token ?? tokens[caller];
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | URLSearchParams | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    if (call.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + call.path, call.form);
      body = new URLSearchParams(call.form);
    }
    const controller = new AbortController();
    const response = await fetch(server.baseUrl + call.path, {
      method: call.method,
      headers,
      body,
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type');
    if (call.stream && response.ok) {
      controller.abort(); // an event stream never ends by itself
      return { status: response.status, contentType, body: undefined };
    }
    const text = await response.text();
    const parsed = contentType?.includes('json') && text ? (JSON.parse(text) as unknown) : text || undefined;
    return { status: response.status, contentType, body: parsed };
  }

  const label = (row: Row) => `${row.route}${row.on ? ` (${row.on})` : ''}`;
  const callersOf = (row: Row): Caller[] => COLUMNS.slice(0, row.cells.length);
  const allowed = (expected: Expected) => [expected].flat();

  it('has a row for every route of the OpenAPI document, and none for a route it lacks', () => {
    const documented = documentedRoutes(document as unknown as { paths: Record<string, Record<string, unknown>> });
    const inTable = new Set(TABLE.map((row) => row.route));
    expect(
      documented.filter((route) => !inTable.has(route)),
      'documented routes without a row in the access matrix',
    ).to.deep.equal([]);
    expect(
      [...inTable].filter((route) => !documented.includes(route)),
      'rows for routes the document lacks',
    ).to.deep.equal([]);
  });

  // The document could lag behind the app (openapi.test.ts checks it does not): the router of the
  // running server is asked too, so a route added to the app without a row here fails here.
  it('has a row for every route the running server answers (its express router)', () => {
    const answered = listRoutes(appOf(server.runtime.server!)).map(routeKey);
    expect(answered.length, 'routes found in the router').to.be.above(50);
    const inTable = new Set(TABLE.map((row) => row.route));
    expect(
      answered.filter((route) => !inTable.has(route)),
      'routes the server answers without a row in the access matrix',
    ).to.deep.equal([]);
  });

  it("agrees with the document's x-roles: a role it leaves out gets 401 or 403, a role it lists never does", () => {
    const disagreements: string[] = [];
    for (const row of TABLE) {
      const roles = operationOf(document, row.route)?.['x-roles'] ?? [];
      callersOf(row).forEach((caller, column) => {
        const listed = roles.includes('anonymous') || roles.includes(ROLE[caller]);
        const refused = allowed(row.cells[column]!).every((status) => status === (caller === 'anonymous' ? 401 : 403));
        if (listed === refused)
          disagreements.push(
            `${label(row)} as ${CALLER_WORDS[caller]}: x-roles [${roles.join(', ')}] but the table expects ${row.cells[column]}`,
          );
      });
    }
    expect(disagreements, disagreements.join('\n')).to.deep.equal([]);
  });

  for (const row of TABLE) {
    it(label(row), async () => {
      const callers = callersOf(row);
      // Each cell its own fixtures (made together), then the requests one by one.
      const calls = await Promise.all(callers.map((caller) => row.call(caller)));
      const failures: string[] = [];
      const wrongCells = new Set<Caller>();
      for (const [column, caller] of callers.entries()) {
        const call = calls[column]!;
        const expected = allowed(row.cells[column]!);
        const answer = await perform(caller, call);
        const where = `${label(row)} as ${CALLER_WORDS[caller]} [${call.method} ${call.path}]`;
        const problems: string[] = [];
        if (!expected.includes(answer.status)) {
          problems.push(
            `expected ${expected.join(' or ')}, got ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300) ?? ''}`,
          );
        } else {
          problems.push(
            ...checkResponse(row.route, answer.status, answer.contentType, answer.body).map(
              (problem) => `not as documented: ${problem}`,
            ),
          );
          const seen = answer.status < 300 ? row.check?.(caller, answer.body) : undefined;
          if (seen) problems.push(seen);
        }
        if (problems.length > 0) wrongCells.add(caller);
        failures.push(...problems.map((problem) => `${where}: ${problem}`));
      }
      if (failures.length > 0)
        expect.fail(
          `${wrongCells.size} of ${callers.length} cells of ${label(row)} are wrong:\n${failures.join('\n')}`,
        );
    });
  }

  // The stream re-checks its token before sending (src/http/api/v1/events.ts): a disabled agent's
  // open console stops receiving events, as every other route answers 401.
  it('ends the open event stream of an agent who is disabled meanwhile (issue 3: "a disabled agent loses access at once")', async () => {
    await agent('assignee', 'supervisor', [frontDesk]); // a fresh supervisor, disabled below
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${tokens.assignee}`,
    });
    expect(stream.status).to.equal(200);
    await admin('PATCH', `/api/v1/agents/${ids.assignee}`, { active: false });
    expect((await perform('assignee', { method: 'GET', path: '/api/v1/agents/me' })).status).to.equal(401);
    const seen = stream.events.length;
    await ticket(); // a citizen writes to the front desk: its events must not reach the disabled supervisor
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stream.close();
    // No ticket event after the agent was disabled: only the notice that ends the stream.
    expect(
      stream.events.slice(seen).map((event) => event.event),
      'events sent after the agent was disabled',
    ).to.deep.equal(['unauthorized']);
  });
});
