import { expect } from 'chai';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { InboxWriter } from '../../src/inbox/inbox-writer.js';
import { has, parseExposition, sampleValue, type Sample } from '../support/prometheus-text.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SMS_NUMBER, inboundSms, messageSid } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const METRICS_TOKEN = 'scraper-token-7c1e9a40b2d35f68';
const WEBHOOK = { method: 'POST', route: '/webhooks/twilio/messaging', status: '200' };

describe('GET /metrics (Prometheus, issue 4)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let agentToken: string;
  let supervisorToken: string;

  const scrapeAs = (authorization?: string) =>
    fetch(`${server.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });
  async function scrape(): Promise<Sample[]> {
    const response = await scrapeAs(`Bearer ${METRICS_TOKEN}`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  }
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  /** A new agent of the role, logged in: their API token. */
  async function tokenOf(role: 'agent' | 'supervisor'): Promise<string> {
    const email = `${role}@dpmptsp.example.go.id`;
    const password = `sandi-${role}-1234`;
    const created = await server.api('/api/v1/agents', json('POST', { email, name: role, role, password, teams: [] }));
    expect(created.status).to.equal(201);
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', { email, password }));
    return ((await login.json()) as { token: string }).token;
  }

  before(async () => {
    server = await startTestServer({ METRICS_TOKEN });
    agentToken = await tokenOf('agent');
    supervisorToken = await tokenOf('supervisor');
  });
  after(async () => server?.stop());

  it('counts signed SMS webhooks through the pipeline: recorded, ingested, acknowledged, timed', async () => {
    const before = await scrape();
    const count = 4;
    const forms = Array.from({ length: count }, (_, index) =>
      inboundSms(`+62812555000${index}`, `Mohon info izin reklame ${index}`, { MessageSid: messageSid() }),
    );
    for (const form of forms)
      expect((await server.postTwilio('/webhooks/twilio/messaging', form)).status).to.equal(200);
    // Twilio retries the first one: recorded once, counted as a duplicate.
    expect((await server.postTwilio('/webhooks/twilio/messaging', forms[0]!)).status).to.equal(200);

    const delta = (after: Sample[], name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    const after = await waitFor('the acknowledgements sent and their jobs completed', async () => {
      const samples = await scrape();
      // Each job's completion is counted after its work (the 'completed' event): wait for both queues.
      const done = ['inbound', 'outbound'].every(
        (queue) => delta(samples, 'satupintu_job_latency_seconds_count', { queue }) >= count,
      );
      return done ? samples : undefined;
    });
    expect(delta(after, 'satupintu_inbox_recorded_total', { provider: 'twilio', outcome: 'new' })).to.equal(count);
    expect(delta(after, 'satupintu_inbox_recorded_total', { provider: 'twilio', outcome: 'duplicate' })).to.equal(1);
    expect(delta(after, 'satupintu_contacts_ingested_total', { channel: 'sms' })).to.equal(count);
    expect(delta(after, 'satupintu_outbound_sends_total', { channel: 'sms', outcome: 'sent' })).to.equal(count);
    expect(delta(after, 'satupintu_job_latency_seconds_count', { queue: 'inbound' })).to.equal(count);
    expect(delta(after, 'satupintu_job_processing_seconds_count', { queue: 'inbound' })).to.equal(count);
    expect(delta(after, 'satupintu_http_request_duration_seconds_count', WEBHOOK)).to.equal(count + 1);
    expect(sampleValue(after, 'satupintu_http_request_duration_seconds_bucket', { ...WEBHOOK, le: '+Inf' })).to.equal(
      sampleValue(after, 'satupintu_http_request_duration_seconds_count', WEBHOOK),
    );

    // Nobody is available: the four tickets wait in the front desk's queue.
    const waiting = await server.runtime
      .db('tickets')
      .whereNull('assignee_id')
      .whereIn('status', ['new', 'open', 'pending_agency'])
      .count({ n: '*' })
      .first();
    expect(sampleValue(after, 'satupintu_tickets_waiting', { team: 'front-desk' }))
      .to.equal(Number(waiting?.n))
      .and.to.be.at.least(count);
  });

  it("reports every queue's depth by state with the satupintu_ prefix, and the process metrics under their standard names", async () => {
    const samples = await scrape();
    for (const queue of ['inbound', 'outbound', 'routing', 'sla']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'])
        expect(has(samples, 'satupintu_queue_jobs', { queue, state }), `${queue} ${state}`).to.equal(true);
    }
    expect(sampleValue(samples, 'satupintu_queue_jobs', { queue: 'inbound', state: 'completed' })).to.be.at.least(4);
    // The names stock Node.js dashboards and alerts look for, unprefixed.
    for (const name of [
      'process_cpu_seconds_total',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_version_info',
    ])
      expect(has(samples, name), name).to.equal(true);
    expect(samples.filter((sample) => sample.name.startsWith('satupintu_process_'))).to.deep.equal([]);
    // Everything else is the project's own and carries its prefix.
    expect(
      samples.filter((sample) => !/^(satupintu|process|nodejs)_/.test(sample.name)).map((sample) => sample.name),
    ).to.deep.equal([]);
  });

  it('labels requests by route pattern, never by the raw URL, errors and unknown paths included', async () => {
    const ticket = await server.runtime.db('tickets').first('id');
    expect((await server.api(`/api/v1/tickets/${ticket.id}`)).status).to.equal(200);
    expect((await server.api('/api/v1/teams/not-a-number')).status).to.equal(400); // thrown inside the router
    expect((await server.api('/api/v1/tickets/987654321')).status).to.equal(404);
    expect((await fetch(`${server.baseUrl}/no/such/path/12345`)).status).to.equal(404);
    const samples = (await scrape()).filter(
      (sample) => sample.name === 'satupintu_http_request_duration_seconds_count',
    );
    expect(
      sampleValue(samples, 'satupintu_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/tickets/:id',
        status: '200',
      }),
    ).to.be.at.least(1);
    expect(
      sampleValue(samples, 'satupintu_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/tickets/:id',
        status: '404',
      }),
    ).to.equal(1);
    expect(
      sampleValue(samples, 'satupintu_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/teams/:id',
        status: '400',
      }),
    ).to.equal(1);
    expect(
      sampleValue(samples, 'satupintu_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).to.equal(1);
    const routes = samples.map((sample) => sample.labels.route!);
    expect(
      routes.filter((route) => /\d{3,}|not-a-number/.test(route)),
      'raw URLs as labels',
    ).to.deep.equal([]);
  });

  it('reads SLA breaches from the clocks: ever breached and still running, by kind', async () => {
    const before = await scrape();
    const ticket = await server.runtime.db('tickets').first('id');
    const at = new Date();
    const clock = {
      ticket_id: ticket.id,
      target_unit: 'minutes',
      target_value: 60,
      started_at: at,
      due_at: at,
      breached_at: at,
      updated_at: at,
    };
    await server.runtime.db('sla_clocks').insert([
      { ...clock, kind: 'resolution', stopped_at: at, outcome: 'breached' },
      { ...clock, kind: 'agency_followup' },
    ]);
    const after = await scrape();
    const delta = (name: string, kind: string) =>
      sampleValue(after, name, { kind }) - sampleValue(before, name, { kind });
    expect(delta('satupintu_sla_breached_clocks', 'resolution')).to.equal(1);
    expect(delta('satupintu_sla_breached_clocks', 'agency_followup')).to.equal(1);
    expect(delta('satupintu_sla_breaches_in_progress', 'resolution')).to.equal(0);
    expect(delta('satupintu_sla_breaches_in_progress', 'agency_followup')).to.equal(1);
  });

  it("needs METRICS_TOKEN or an admin's token: 401 JSON without, 403 for an agent and a supervisor", async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0000000000', `Basic ${METRICS_TOKEN}`]) {
      const response = await scrapeAs(authorization);
      expect(response.status, String(authorization)).to.equal(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
    }
    // The waiting counts of every team are in the exposition: a supervisor sees their own teams' only.
    for (const [who, token] of [
      ['agent', agentToken],
      ['supervisor', supervisorToken],
    ] as const) {
      const refused = await scrapeAs(`Bearer ${token}`);
      expect(refused.status, who).to.equal(403);
      const body = await refused.text();
      expect(JSON.parse(body) as { error: { code: string } }, who).to.deep.include({
        error: { code: 'forbidden', message: 'The metrics need an admin, or METRICS_TOKEN' },
      });
      expect(body, who).to.not.include('satupintu_');
    }
    expect((await server.api('/metrics')).status).to.equal(200);
  });
});

describe('GET /metrics of a worker process (ROLE=worker, METRICS_PORT)', function () {
  this.timeout(60_000);
  let worker: TestServer;

  before(async () => {
    worker = await startTestServer({ ROLE: 'worker', METRICS_PORT: '0', METRICS_TOKEN });
  });
  after(async () => worker?.stop());

  it('serves the counters of the workers it runs, and nothing of the API', async () => {
    // What an API process does with a webhook: the inbox row and the inbound job.
    const envelope: InboundEnvelope = {
      channel: 'sms',
      provider: 'twilio',
      externalId: messageSid(),
      kind: 'message',
      from: { phone: '+6281255500099' },
      to: SMS_NUMBER,
      text: 'Mohon info izin usaha',
      attachments: [],
      receivedAt: new Date().toISOString(),
      raw: {},
    };
    await new InboxWriter(worker.runtime.db, worker.runtime.queues, worker.runtime.logger).record([envelope]);
    const samples = await waitFor('the worker to ingest the contact', async () => {
      const response = await fetch(`${worker.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).to.equal(200);
      const parsed = parseExposition(await response.text());
      // The job's completion is counted after the contact's ingestion: wait for it.
      return sampleValue(parsed, 'satupintu_job_latency_seconds_count', { queue: 'inbound' }) === 1
        ? parsed
        : undefined;
    });
    expect(sampleValue(samples, 'satupintu_contacts_ingested_total', { channel: 'sms' })).to.equal(1);
    expect(has(samples, 'satupintu_queue_jobs', { queue: 'outbound', state: 'waiting' })).to.equal(true);
    expect((await fetch(`${worker.baseUrl}/metrics`)).status).to.equal(401);
    expect((await fetch(`${worker.baseUrl}/healthz`)).status).to.equal(200);
    expect((await fetch(`${worker.baseUrl}/api/v1/tickets`)).status).to.equal(404);
  });
});
