import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, inboundTicket, openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * The supervisor's pages (issue 14), in Chromium against the real server: the live board follows
 * the supervisors' stream as a ticket arrives and breaches, its breached tickets one click away;
 * the summary of a period with its charts, tables and CSV; agents see neither.
 */
describe("Console: the supervisor's board and summary", function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;
  let frontDesk: number;
  const problems: string[] = [];
  const rina = { email: 'rina@dpmptsp.example.go.id', password: 'rina-password-123' };
  const budi = { email: 'budi@dpmptsp.example.go.id', password: 'budi-password-123' };
  let phone = 6281299970000;
  const nextPhone = () => `+${++phone}`;

  before(async () => {
    await buildConsole();
    server = await startTestServer();
    browser = await launchBrowser();
    // Open round the clock, no holiday: the deadlines run whatever the hour the suite runs at.
    const calendar = await server.runtime.db('calendars').where({ slug: 'default' }).first('id');
    await server.runtime.db('calendar_holidays').where({ calendar_id: calendar.id }).delete();
    const allDay = [['00:00', '24:00']];
    await adminCall(
      server,
      'PATCH',
      `/api/v1/calendars/${calendar.id}`,
      { weekly_hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay])) },
      200,
    );
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...rina, name: 'Rina Supervisor', role: 'supervisor', teams: [frontDesk] },
      201,
    );
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...budi, name: 'Budi Agen', role: 'agent', teams: [frontDesk] },
      201,
    );
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

  /** A figure of the board: a team's channel row (or 'total') and a column. */
  const figure = (page: Page, channel: string, name: string) =>
    page.locator(`[data-team="${frontDesk}"] tr[data-channel="${channel}"] td[data-figure="${name}"]`);
  const number = async (page: Page, channel: string, name: string) => {
    const cell = figure(page, channel, name);
    return (await cell.count()) === 0 ? 0 : Number(await cell.textContent());
  };
  const waitForFigure = (page: Page, channel: string, name: string, value: number, timeout = 10_000) =>
    page.waitForFunction(
      ([selector, expected]) => document.querySelector(selector as string)?.textContent === String(expected),
      [`[data-team="${frontDesk}"] tr[data-channel="${channel}"] td[data-figure="${name}"]`, value] as const,
      { timeout },
    );

  it('changes its numbers live when a ticket arrives and when it breaches, the breached ones a click away', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page, rina);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Papan pantau' }).click();
    await page.getByRole('heading', { name: 'Papan pantau langsung' }).waitFor();
    await page.locator(`[data-team="${frontDesk}"] tr[data-channel="total"]`).waitFor();
    const before = {
      active: (await number(page, 'total', 'waiting')) + (await number(page, 'total', 'assigned')),
      breached: await number(page, 'total', 'breached'),
    };
    await page.evaluate(() => {
      (window as unknown as { samePage: boolean }).samePage = true;
    });

    // A signed SMS webhook: the ticket counts on the board without a reload.
    const ticket = await inboundTicket(server, nextPhone(), 'Izin usaha saya belum terbit.');
    await page.locator(`[data-team="${frontDesk}"] tr[data-channel="sms"]`).waitFor();
    // (No function declared inside the page's function: tsx would name it with a helper the page lacks.)
    await page.waitForFunction(
      ([team, expected]) =>
        ['waiting', 'assigned']
          .map((name) =>
            Number(
              document.querySelector(`[data-team="${team}"] tr[data-channel="total"] [data-figure="${name}"]`)
                ?.textContent ?? 0,
            ),
          )
          .reduce((sum, count) => sum + count, 0) === expected,
      [frontDesk, before.active + 1] as const,
    );
    expect(await figure(page, 'sms', 'breached').textContent()).to.equal('0');
    expect(await seriousViolations(page), 'the board').to.deep.equal([]);

    // The deadline moves near (as if the hour had passed) and passes; the SLA sweep fires the breach,
    // as in the SLA tests (its escalation mails the team's supervisor: me).
    const due = new Date(Date.now() + 2_000);
    const warn = new Date(Date.now() - 1_000);
    await server.runtime
      .db('sla_clocks')
      .where({ ticket_id: ticket.id, kind: 'first_response' })
      .update({ due_at: due, warn_at: warn });
    await server.runtime.db('tickets').where({ id: ticket.id }).update({ sla_due_at: due, sla_warn_at: warn });
    await new Promise((resolve) => setTimeout(resolve, due.getTime() - Date.now() + 200));
    await server.runtime.slaSweep!.runOnce();
    await server.runtime.slaSweep!.runOnce();
    await waitForFigure(page, 'total', 'breached', before.breached + 1, 25_000);
    expect(await figure(page, 'total', 'breached').getAttribute('class')).to.equal('alarm');
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).to.equal(true);
    // The escalations addressed to me: my team's tickets past their deadline.
    await page.locator(`.escalations [data-ticket-id="${ticket.id}"]`).waitFor();
    // The breach mailed me (the team's supervisor): the stream's sla_escalated event names me.
    await page.locator(`.escalations [data-ticket-id="${ticket.id}"] .to-me`).waitFor({ timeout: 15_000 });
    expect(await page.locator('.escalations li').first().getAttribute('data-ticket-id')).to.equal(String(ticket.id));
    expect(await seriousViolations(page), 'the board with a breach').to.deep.equal([]);

    // One click: the queue of the team's overdue tickets.
    await page.getByRole('link', { name: new RegExp(`^Tiket terlambat di .+: ${before.breached + 1}$`) }).click();
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
    await page.locator(`[data-ticket-id="${ticket.id}"] .sla[data-sla="breached"]`).waitFor();
    expect(await page.getByLabel('Hanya yang terlambat').isChecked()).to.equal(true);
    expect(new URL(page.url()).search).to.equal(`?view=all&overdue=true&team=${frontDesk}`);

    // In English, on a phone's width.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await page.getByRole('link', { name: 'Live board' }).click();
    await page.getByRole('heading', { name: 'Live board' }).waitFor();
    await page.getByRole('columnheader', { name: 'Longest wait' }).first().waitFor();
    expect(await seriousViolations(page), 'the board in English on a phone').to.deep.equal([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'nothing wider than the phone',
    ).to.equal(true);
  });

  it('draws the summary of a period with its tables and hands out the CSV exports', async () => {
    const asked = await inboundTicket(server, nextPhone(), 'Bagaimana mengurus NIB?');
    // Answered: the period has a first-response time to draw.
    await adminCall(server, 'POST', `/api/v1/tickets/${asked.id}/replies`, { body: 'NIB diurus lewat OSS.' }, 201);
    const page = await openConsole(browser, server, problems);
    await signIn(page, rina);
    await page.getByRole('link', { name: 'Ringkasan' }).click();
    await page.getByRole('heading', { name: 'Ringkasan kinerja' }).waitFor();
    const total = page.locator('[data-total]');
    await total.waitFor();
    // The summary's numbers are the API's, drawn and also written as a table.
    const expected = (await (
      await server.api(`/api/v1/metrics/summary?team=${frontDesk}`, { headers: {} })
    ).json()) as { data: { volumes: { by_channel: Record<string, number> } } };
    const sms = expected.data.volumes.by_channel.sms ?? 0;
    expect(sms).to.be.greaterThan(0);
    await page.locator('.summary form select').selectOption(String(frontDesk));
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    const smsRow = page.locator('[data-chart="channels"] tr[data-item="sms"]');
    await page.waitForFunction(
      ([expectedCount]) =>
        document.querySelector('[data-chart="channels"] tr[data-item="sms"] td')?.textContent === String(expectedCount),
      [sms] as const,
    );
    expect(await smsRow.locator('th').textContent()).to.equal('SMS');
    // Working minutes in words, as the API counted them (a reply within the minute: 0 menit, never "no data").
    expect(await page.locator('[data-chart="first-response"] figcaption').textContent()).to.equal(
      'Waktu respons pertama (1 tiket)',
    );
    expect(await page.locator('[data-chart="first-response"] tr[data-item="median"] td').textContent()).to.match(
      /^\d+ menit$/,
    );
    expect(await page.locator('[data-chart="channels"] svg rect').count()).to.be.greaterThan(0);
    expect(await page.locator('[data-chart="sla"] tr[data-item="first_response"] th').textContent()).to.equal(
      'Respons pertama',
    );
    expect(await seriousViolations(page), 'the summary').to.deep.equal([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh ringkasan (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).to.match(/^summary-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path, 'utf8')).split('\n')[0]).to.equal('section,item,value');
    const [tickets] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh daftar tiket (CSV)' }).click(),
    ]);
    expect(tickets.suggestedFilename()).to.match(/\.csv$/);
  });

  it("shows an agent neither the supervisor's menu entries nor their pages", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page, budi);
    // An agent's menu: the queue and the call-backs, nothing of the supervisor's.
    const menu = page.getByRole('navigation', { name: 'Menu utama' });
    expect(await menu.getByRole('link').allTextContents()).to.deep.equal(['Antrean', 'Panggilan balik']);
    await page.goto(`${server.baseUrl}/console/board`);
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Papan pantau langsung' }).count()).to.equal(0);
  });
});
