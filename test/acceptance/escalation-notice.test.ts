import { expect } from 'chai';
import { fromJson } from '../../src/db/rows.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { ADMIN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Who an SLA escalation tells, and what it tells them, through the running server: the webhook,
 * the API, the sweep and the mail relay (a real SMTP server capturing every mail). Times are WITA.
 */
describe('SLA escalation: who is told, and what', () => {
  let server: TestServer;
  let smtp: SmtpCapture;
  let current = new Date('2026-12-02T01:00:00Z');
  const setNow = (local: string) => (current = new Date(`${local}+08:00`));
  let phone = 0;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const send = async (method: string, path: string, body?: unknown, token?: string) => {
    const init = json(method, body);
    const response = token
      ? await fetch(server.baseUrl + path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } })
      : await server.api(path, init);
    return { status: response.status, body: (await response.json().catch(() => undefined)) as Answer };
  };
  /** The fields of the answers read here. */
  type Answer = {
    data: { id: number; escalation_team_id?: number; breaches?: number; events?: Array<{ type: string }> };
    warnings: Array<{ code: string; message: string }>;
    token?: string;
  };
  const db = () => server.runtime.db;
  let watchTeam: number;
  let emptyTeam: number;
  const staff: Record<string, { id: number; token: string }> = {};

  async function staffMember(email: string, role: string, teams: number[]) {
    const created = await send('POST', '/api/v1/agents', {
      email,
      name: email,
      role,
      password: 'sandi-rahasia-9',
      teams,
    });
    expect(created.status).to.equal(201);
    const login = await send('POST', '/api/v1/auth/login', { email, password: 'sandi-rahasia-9' }, 'none');
    staff[email] = { id: Number(created.body.data.id), token: String(login.body.token) };
  }

  async function ticketFrom(body: string): Promise<number> {
    const message = inboundSms(`+6281800000${String(10 + phone++)}`, body);
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('ticket', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  const escalationMails = (ticketId: number) =>
    db()('messages').where({ ticket_id: ticketId, kind: 'escalation' }).orderBy('id').select('address', 'body');

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer(
      { SMTP_URL: smtp.url, ROUTING_PASS_INTERVAL_MS: '600000', SLA_SWEEP_INTERVAL_MS: '600000' },
      { now: () => new Date(current) },
    );
    watchTeam = Number(
      (await send('POST', '/api/v1/teams', { slug: 'pengawasan', name: 'Tim Pengawasan' })).body.data.id,
    );
    emptyTeam = Number((await send('POST', '/api/v1/teams', { slug: 'kosong', name: 'Tim Kosong' })).body.data.id);
    await staffMember('kepala.loket@example.go.id', 'supervisor', [1]);
    await staffMember('kepala.pengawasan@example.go.id', 'supervisor', [watchTeam]);
    await staffMember('pengawas@example.go.id', 'agent', [watchTeam]);
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('answers the save of a policy escalating to a team without active members with a warning, and saves it', async () => {
    const empty = await send('POST', '/api/v1/sla-policies', {
      name: 'Mendesak ke tim kosong',
      position: 1,
      priorities: ['urgent'],
      targets: { first_response: { minutes: 30 } },
      escalation_team_id: emptyTeam,
    });
    expect(empty.status).to.equal(201);
    expect(empty.body.warnings).to.have.length(1);
    expect(empty.body.warnings[0]).to.include({ code: 'team_without_members' });
    expect(empty.body.warnings[0]!.message).to.contain('no active members');
    expect((await send('GET', `/api/v1/sla-policies/${empty.body.data.id}`)).body.data).to.include({
      escalation_team_id: emptyTeam,
    });

    const staffed = await send('POST', '/api/v1/sla-policies', {
      name: 'Tinggi ke pengawasan',
      position: 1,
      priorities: ['high'],
      targets: { first_response: { minutes: 30 } },
      escalation_team_id: watchTeam,
    });
    expect(staffed.status).to.equal(201);
    expect(staffed.body.warnings).to.deep.equal([]);
    // A change of anything else still tells of the team's state.
    const renamed = await send('PATCH', `/api/v1/sla-policies/${empty.body.data.id}`, { name: 'Mendesak' });
    expect(renamed.status).to.equal(200);
    expect(renamed.body.warnings.map((warning: { code: string }) => warning.code)).to.deep.equal([
      'team_without_members',
    ]);
  });

  it("mails a confidential ticket's breach only to supervisors who may open it, without its words, all in Bahasa Indonesia", async () => {
    setNow('2026-12-02T09:00:00'); // Wednesday
    const words = 'Kepala seksi meminta uang pelicin untuk izin';
    const ticketId = await ticketFrom(words);
    expect(
      (await send('PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'high', confidential: true })).status,
    ).to.equal(200);
    setNow('2026-12-02T09:45:00');
    expect((await server.runtime.slaSweep!.runOnce()).breaches).to.be.at.least(1);
    await server.runtime.slaSweep!.runOnce();

    const ticket = await db()('tickets').where({ id: ticketId }).first('team_id', 'reference');
    expect(Number(ticket.team_id)).to.equal(watchTeam);
    const mails = await escalationMails(ticketId);
    expect(mails.map((mail) => mail.address)).to.deep.equal(['kepala.pengawasan@example.go.id']);
    const [{ body }] = mails;
    expect(body).to.not.contain(words).and.not.contain('uang pelicin');
    expect(body).to.contain('(rahasia)').and.contain(`${PUBLIC_URL}/console/tickets/${ticketId}`);
    expect(body).to.contain('melewati batas waktu tanggapan pertama').and.contain('Tindakan sistem');
    expect(body).to.contain('- dipindahkan ke tim Tim Pengawasan');
    expect(body).to.not.match(/moved|priority|What the system|Open the ticket/);
    const escalated = await db()('ticket_events').where({ ticket_id: ticketId, type: 'sla_escalated' }).first('data');
    expect(fromJson<{ notified: number[] }>(escalated.data).notified).to.deep.equal([
      staff['kepala.pengawasan@example.go.id']!.id,
    ]);

    // Over the wire: to the supervisor alone, the subject the reference only.
    const wire = await waitFor('the mail at the relay', async () =>
      smtp.messages.find((mail) => mail.rcptTo.includes('kepala.pengawasan@example.go.id')),
    );
    expect(wire.header('subject')).to.match(/^SLA: \[[^\]]+\]$/);
    expect(wire.raw).to.not.contain('pelicin');
    expect(smtp.messages.some((mail) => mail.rcptTo.includes('kepala.loket@example.go.id'))).to.equal(false);

    // The one told opens the ticket and finds the breach in their summary.
    const supervisor = staff['kepala.pengawasan@example.go.id']!;
    expect((await send('GET', `/api/v1/tickets/${ticketId}`, undefined, supervisor.token)).status).to.equal(200);
    const summary = await send(
      'GET',
      '/api/v1/metrics/summary?from=2026-12-01&to=2026-12-03',
      undefined,
      supervisor.token,
    );
    expect(summary.status).to.equal(200);
    expect(summary.body.data.breaches).to.be.at.least(1);
  });

  it('tells the admins, on the timeline and by mail, when a breach escalates to a team without active members', async () => {
    setNow('2026-12-02T10:00:00');
    const ticketId = await ticketFrom('Mohon tindak lanjut pengaduan saya');
    expect((await send('PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'urgent' })).status).to.equal(200);
    setNow('2026-12-02T10:45:00');
    expect((await server.runtime.slaSweep!.runOnce()).breaches).to.be.at.least(1);
    await server.runtime.slaSweep!.runOnce();

    const warning = await db()('ticket_events')
      .where({ ticket_id: ticketId, type: 'escalation_team_unavailable' })
      .select('data');
    expect(warning).to.have.length(1);
    const admin = await db()('agents').where({ email: ADMIN.email }).first('id');
    expect(fromJson<Record<string, unknown>>(warning[0].data)).to.deep.include({
      team_id: emptyTeam,
      problem: 'team_without_members',
      notified: [Number(admin.id)],
    });
    const mails = await escalationMails(ticketId);
    const toAdmin = mails.filter((mail) => mail.address === ADMIN.email);
    expect(toAdmin).to.have.length(1);
    expect(toAdmin[0]!.body).to.contain('tim eskalasi Tim Kosong tidak memiliki anggota aktif');
    await waitFor('the warning at the relay', async () =>
      smtp.messages.find((mail) => mail.rcptTo.includes(ADMIN.email)),
    );
    const view = await send('GET', `/api/v1/tickets/${ticketId}`);
    expect(view.body.data.events!.map((event: { type: string }) => event.type)).to.include(
      'escalation_team_unavailable',
    );
  });
});
