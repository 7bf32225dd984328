import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, openConsole, seriousViolations, signIn } from './console-support.js';

/** An agent as GET /api/v1/agents answers it (the fields checked here). */
interface AgentView {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  phone: string | null;
  teams: Array<{ id: number }>;
  skills: string[];
  capacities: Record<string, number>;
}

/**
 * The administrator's pages for people (issue 14), in Chromium against the real server: a team and
 * an agent in it made in the browser, the agent signing in and being disabled; what a non-admin
 * finds at an admin page's address; every admin page under axe-core; the English switch.
 */
describe("Console: the administrator's agents and teams", function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;
  const problems: string[] = [];

  before(async () => {
    await buildConsole();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    // The language choice is kept in the browser's storage: each test starts in Indonesian.
    for (const open of browser.context.pages()) {
      if (open.url().startsWith(server.baseUrl)) await open.evaluate(() => localStorage.clear());
      await open.close();
    }
    expect(problems, 'no script error, no CSP refusal').to.deep.equal([]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const adminMenu = (page: Page) => page.getByRole('navigation', { name: 'Administrasi' });
  async function openAdmin(page: Page, entry: string, heading = entry): Promise<void> {
    await adminMenu(page).getByRole('link', { name: entry, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }
  /** The element that has the focus: its closest row's data attribute and its class. */
  const focused = (page: Page, attribute: string) =>
    page.evaluate((name) => {
      const element = document.activeElement as HTMLElement | null;
      return { row: element?.closest('tr')?.getAttribute(name) ?? null, class: element?.className ?? '' };
    }, attribute);

  it('makes a team and an agent in it with a capacity; the agent signs in, and once disabled is refused', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Tim');
    const teamForm = page.getByRole('form', { name: 'Tambah tim' });
    await teamForm.getByLabel('Kode (slug)').fill('dinas-perizinan');
    await teamForm.getByLabel('Nama', { exact: true }).fill('Dinas Perizinan');
    await teamForm.getByLabel('Keterangan').fill('Perizinan usaha dan bangunan');
    await teamForm.getByLabel('Cara pembagian tiket').selectOption({ label: 'Bergiliran' });
    await teamForm.getByRole('button', { name: 'Tambahkan tim' }).click();
    await page.getByText('Tim ditambahkan.').waitFor();
    const team = await server.runtime.db('teams').where({ slug: 'dinas-perizinan' }).first();
    expect(team).to.include({ name: 'Dinas Perizinan', routing_strategy: 'round_robin' });
    // The focus moves to the saved team's row.
    expect(await focused(page, 'data-team-id')).to.deep.equal({ row: String(team.id), class: 'link edit' });
    expect(await seriousViolations(page), 'the teams page').to.deep.equal([]);

    await openAdmin(page, 'Agen');
    const form = page.getByRole('form', { name: 'Tambah agen' });
    const tono = { email: 'tono@dpmptsp.example.go.id', password: 'tono-password-123' };
    await form.getByLabel('Nama', { exact: true }).fill('Tono Petugas');
    await form.getByRole('textbox', { name: 'Email' }).fill(tono.email);
    await form.getByLabel('Peran').selectOption({ label: 'Agen' });
    await form.getByLabel('Kata sandi', { exact: true }).fill(tono.password);
    await form.getByLabel('Nomor telepon').fill('+6281255550101');
    await form.getByLabel('Dinas Perizinan').check();
    await form.getByLabel('Keahlian').fill('id, perizinan');
    await form.getByRole('spinbutton', { name: 'WhatsApp' }).fill('2');
    await form.getByRole('button', { name: 'Tambahkan agen' }).click();
    await page.getByText('Agen ditambahkan.').waitFor();
    const agents = await adminCall<{ data: AgentView[] }>(server, 'GET', '/api/v1/agents', undefined, 200);
    const created = agents.data.find((agent) => agent.email === tono.email)!;
    expect(created).to.deep.include({ name: 'Tono Petugas', role: 'agent', active: true, phone: '+6281255550101' });
    expect(created.teams.map((entry) => entry.id)).to.deep.equal([Number(team.id)]);
    expect(created.skills).to.deep.equal(['id', 'perizinan']);
    expect(created.capacities.whatsapp).to.equal(2);
    const row = page.locator(`[data-agent-id="${created.id}"]`);
    expect(await row.locator('td').nth(2).textContent()).to.equal('Dinas Perizinan');
    expect(await focused(page, 'data-agent-id')).to.deep.equal({ row: String(created.id), class: 'link edit' });
    expect(await seriousViolations(page), 'the agents page').to.deep.equal([]);

    // The new agent signs in, in a tab of their own, and works the queue; no admin menu.
    const agentTab = await openConsole(browser, server, problems);
    await signIn(agentTab, tono);
    expect(await adminMenu(agentTab).count()).to.equal(0);

    // Disabled: the open session ends, and signing in again is refused.
    await row.getByRole('button', { name: 'Nonaktifkan: Tono Petugas' }).click();
    await page.getByText('Agen dinonaktifkan: ia tidak dapat masuk lagi dan sesinya berakhir.').waitFor();
    await row.locator('[data-active="false"]').waitFor();
    await agentTab.getByRole('button', { name: 'Semua tiket' }).click(); // its next request is refused
    await agentTab.getByText('Sesi Anda telah berakhir. Silakan masuk kembali.').waitFor();
    await agentTab.getByLabel('Email').fill(tono.email);
    await agentTab.getByLabel('Kata sandi').fill(tono.password);
    await agentTab.getByRole('button', { name: 'Masuk', exact: true }).click();
    await agentTab
      .getByRole('alert')
      .getByText(/^Ditolak: Email or password is wrong/)
      .waitFor();

    // Edited in place: a new phone and password; enabled again, the new password signs in.
    await row.getByRole('button', { name: 'Ubah: Tono Petugas' }).click();
    const edit = page.getByRole('form', { name: 'Ubah agen: Tono Petugas' });
    await page.waitForFunction((id) => document.activeElement?.id === id, 'agent-name'); // focus follows the render
    expect(await edit.getByRole('spinbutton', { name: 'WhatsApp' }).inputValue()).to.equal('2');
    expect(await edit.getByLabel('Dinas Perizinan').isChecked()).to.equal(true);
    await edit.getByLabel('Nomor telepon').fill('+6281255550102');
    await edit.getByLabel('Kata sandi baru').fill('tono-new-password-456');
    await edit.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.getByText('Perubahan agen disimpan.').waitFor();
    expect(await focused(page, 'data-agent-id')).to.deep.equal({ row: String(created.id), class: 'link edit' });
    await row.getByRole('button', { name: 'Aktifkan: Tono Petugas' }).click();
    await row.locator('[data-active="true"]').waitFor();
    expect((await server.runtime.db('agents').where({ id: created.id }).first()).phone).to.equal('+6281255550102');
    await signIn(agentTab, { email: tono.email, password: 'tono-new-password-456' });
  });

  it("shows a refusal in the console's words with the API's own message: an email taken", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Agen');
    const form = page.getByRole('form', { name: 'Tambah agen' });
    await form.getByLabel('Nama', { exact: true }).fill('Admin Kedua');
    await form.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await form.getByLabel('Kata sandi', { exact: true }).fill('another-password-1');
    await form.getByRole('button', { name: 'Tambahkan agen' }).click();
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).to.equal('email_taken');
    expect(await refusal.textContent()).to.equal(
      `Ditolak: Sudah ada agen dengan email itu. (Pesan server: An agent with the email ${ADMIN.email} exists already)`,
    );
  });

  it('shows an agent no admin menu, and at an admin address a refusal, not data', async () => {
    const sari = { email: 'sari@dpmptsp.example.go.id', password: 'sari-password-123' };
    await adminCall(server, 'POST', '/api/v1/agents', { ...sari, name: 'Sari Dewi', role: 'agent' }, 201);
    const page = await openConsole(browser, server, problems);
    await signIn(page, sari);
    expect(await adminMenu(page).count()).to.equal(0);
    // The server answers every /console address with the page: a reload of an admin page opens it.
    const html = await fetch(`${server.baseUrl}/console/admin/agents`);
    expect(html.headers.get('content-type')).to.match(/text\/html/);
    await page.goto(`${server.baseUrl}/console/admin/agents`);
    await page.getByRole('alert').getByText('Ditolak: Halaman ini hanya untuk administrator.').waitFor();
    expect(await page.locator('table').count()).to.equal(0);
    expect(await page.getByText(ADMIN.email).count()).to.equal(0);
    expect(await seriousViolations(page), 'the refusal').to.deep.equal([]);
  });

  it("shows the API's own refusal to an admin whose role was taken away since signing in", async () => {
    const wati = { email: 'wati@dpmptsp.example.go.id', password: 'wati-password-123' };
    const created = await adminCall<{ data: { id: number } }>(
      server,
      'POST',
      '/api/v1/agents',
      { ...wati, name: 'Wati Admin', role: 'admin' },
      201,
    );
    const page = await openConsole(browser, server, problems);
    await signIn(page, wati);
    await adminCall(server, 'PATCH', `/api/v1/agents/${created.data.id}`, { role: 'agent' }, 200);
    await openAdmin(page, 'Agen');
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.equal(
      'Ditolak: Anda tidak berhak melakukan tindakan ini. (Pesan server: Only supervisors and admins list agents)',
    );
    expect(await page.locator('table').count()).to.equal(0);
  });

  it('has no serious accessibility violation on any admin page, each opened again by its address', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const pages: Array<[string, string]> = [
      ['Agen', '/console/admin/agents'],
      ['Tim', '/console/admin/teams'],
      ['Kalender kerja', '/console/admin/calendars'],
      ['Kebijakan SLA', '/console/admin/sla-policies'],
      ['Jawaban siap pakai', '/console/admin/canned-responses'],
    ];
    for (const [entry, path] of pages) {
      await openAdmin(page, entry);
      expect(new URL(page.url()).pathname).to.equal(path);
      expect(
        await adminMenu(page).getByRole('link', { name: entry, exact: true }).getAttribute('aria-current'),
      ).to.equal('page');
      await page.locator('main table').first().waitFor();
      expect(await seriousViolations(page), entry).to.deep.equal([]);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: entry }).waitFor();
    }
    // With a calendar opened, its hours, holidays, exceptions and preview.
    await openAdmin(page, 'Kalender kerja');
    await page
      .getByRole('button', { name: /^Kelola: / })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Hari libur \d{4}$/ }).waitFor();
    expect(await seriousViolations(page), 'a calendar opened').to.deep.equal([]);
  });

  it("switches the admin page's strings to English", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Agen');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    const menu = page.getByRole('navigation', { name: 'Administration' });
    for (const entry of ['Agents', 'Teams', 'Working calendars', 'SLA policies', 'Canned responses'])
      expect(await menu.getByRole('link', { name: entry, exact: true }).count(), entry).to.equal(1);
    const form = page.getByRole('form', { name: 'New agent' });
    for (const label of ['Name', 'Password', 'Phone number', 'Skills'])
      expect(await form.getByLabel(label, { exact: true }).count(), label).to.equal(1);
    expect(await form.getByRole('combobox', { name: /^Role/ }).count(), 'the role').to.equal(1);
    for (const header of ['Name', 'Role', 'Teams', 'Capacity per channel', 'State', 'Actions'])
      expect(await page.getByRole('columnheader', { name: header, exact: true }).count(), header).to.equal(1);
    expect(await page.getByRole('button', { name: 'Add agent' }).count()).to.equal(1);
    for (const text of ['Tambahkan agen', 'Nama', 'Peran', 'Keahlian', 'Administrasi', 'Nonaktifkan'])
      expect(await page.getByText(text, { exact: true }).count(), text).to.equal(0);
    await openAdminEnglish(page);
  });

  async function openAdminEnglish(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
    expect(await page.getByRole('form', { name: 'New team' }).getByLabel('Routing strategy').count()).to.equal(1);
    expect(await seriousViolations(page), 'the teams page in English').to.deep.equal([]);
  }
});
