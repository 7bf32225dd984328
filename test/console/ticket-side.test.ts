import { expect } from 'chai';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, inboundTicket, openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * The ticket page's side (issue 14): a supervisor hands a ticket to an agent of its team, and an
 * agent sees the citizen's other tickets one click away, in Chromium against the real server.
 */
describe("Console: the ticket page's assignment and the citizen's other tickets", function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  let frontDesk: number;
  let sariId: number;
  const problems: string[] = [];
  const rina = { email: 'rina.side@dpmptsp.example.go.id', password: 'rina-password-123' };
  const sari = { email: 'sari.side@dpmptsp.example.go.id', password: 'sari-password-123' };

  before(async () => {
    await buildConsole();
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...rina, name: 'Rina Supervisor', role: 'supervisor', teams: [frontDesk] },
      201,
    );
    const created = await adminCall<{ data: { id: number } }>(
      server,
      'POST',
      '/api/v1/agents',
      { ...sari, name: 'Sari Petugas', role: 'agent', teams: [frontDesk] },
      201,
    );
    sariId = created.data.id;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets a supervisor assign a ticket to an agent of its team, who then has it', async () => {
    const { id, reference } = await inboundTicket(server, '+6281500000451', 'Mohon dibantu izin lokasi');
    const page = await openConsole(browser, server, problems);
    await signIn(page, rina);
    await page.goto(`${server.baseUrl}/console/tickets/${id}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: reference }).waitFor();
    const form = page.getByRole('form', { name: 'Serahkan ke petugas' });
    await form.getByLabel('Petugas').selectOption({ label: 'Sari Petugas' });
    await form.getByRole('button', { name: 'Serahkan' }).click();
    await form.getByRole('status').filter({ hasText: 'Tiket diserahkan.' }).waitFor();
    await page.locator('[data-assignee]').filter({ hasText: 'Sari Petugas' }).waitFor();
    const row = await server.runtime.db('tickets').where({ id }).first('assignee_id');
    expect(Number(row.assignee_id)).to.equal(sariId);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("shows an agent the citizen's other tickets, one click away; an agent has no assignment form", async () => {
    const first = await inboundTicket(server, '+6281500000452', 'Izin usaha saya belum terbit');
    for (const step of ['resolve', 'close'])
      await adminCall(server, 'POST', `/api/v1/tickets/${first.id}/${step}`, {}, 200);
    const second = await inboundTicket(server, '+6281500000452', 'Pertanyaan baru soal retribusi');
    expect(second.id).to.not.equal(first.id);

    const page = await openConsole(browser, server, problems);
    await signIn(page, sari);
    await page.goto(`${server.baseUrl}/console/tickets/${second.id}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: second.reference }).waitFor();
    const others = page.getByRole('region', { name: 'Tiket lain dari warga ini' });
    await others.getByRole('link', { name: first.reference }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: first.reference }).waitFor();
    await waitFor('the address of the first ticket', () => page.url().endsWith(`/console/tickets/${first.id}`));
    await page
      .getByRole('region', { name: 'Tiket lain dari warga ini' })
      .getByRole('link', { name: second.reference })
      .waitFor();
    expect(await page.getByRole('form', { name: 'Serahkan ke petugas' }).count()).to.equal(0);
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
