import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { CONSOLE_CSP } from '../../src/http/console-route.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { inboundTicket, openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * The agent console (issue 14) in a real Chromium against the real server: the bundle the build
 * makes (built here from web/console/, as `npm run build` does), served by the server at /console
 * under its Content-Security-Policy.
 */
describe('Agent console in the browser', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  /** What the browser's console said about the Content-Security-Policy, over every page. */
  const cspReports: string[] = [];

  before(async () => {
    await buildConsole();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openPage = () => openConsole(browser, server, cspReports);
  const smsTicket = (from: string, body: string) => inboundTicket(server, from, body);

  it('serves the console under a strict CSP, with / sending browsers to it and hashed assets cached long', async () => {
    const root = await fetch(`${server.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).to.equal(302);
    expect(root.headers.get('location')).to.equal('/console');
    const index = await fetch(`${server.baseUrl}/console`);
    expect(index.status).to.equal(200);
    expect(index.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
    expect(index.headers.get('cache-control')).to.equal('no-store');
    const html = await index.text();
    expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/i); // nothing inline
    const script = /src="(\/console\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script, 'the hashed bundle named in index.html').to.be.a('string');
    const asset = await fetch(server.baseUrl + script);
    expect(asset.status).to.equal(200);
    expect(asset.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect((await fetch(`${server.baseUrl}/console/assets/app-MISSING.js`)).status).to.equal(404);
    // A deep link is the same page: the console's router reads the path.
    expect((await fetch(`${server.baseUrl}/console/tickets/1`)).headers.get('content-type')).to.match(/text\/html/);
  });

  it('has no serious accessibility violation on the login page', async () => {
    page = await openPage();
    await page.getByRole('heading', { name: 'Masuk ke konsol agen' }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
  });

  it('shows an arriving SMS ticket in the signed-in queue without a reload', async () => {
    await signIn(page);
    await page.getByRole('button', { name: 'Semua tiket' }).click();
    await page
      .getByText(/Tidak ada tiket|Referensi/)
      .first()
      .waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    const ticket = await smsTicket('+6281299970001', 'Bagaimana cara mengurus izin usaha mikro?');
    await page.locator(`[data-ticket-id="${ticket.id}"]`).getByText(ticket.reference).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).to.equal(
      true,
    );
    expect(await seriousViolations(page), 'the queue page').to.deep.equal([]);
  });

  it('fits the queue at 1366 px with a long subject, and says a name was not given rather than withheld', async () => {
    const subject = `Permohonan izin mendirikan bangunan untuk ruko dua lantai di jalan utama ${'nomor dua belas '.repeat(6)}`;
    const ticket = await smsTicket('+6281299970002', subject);
    const row = page.locator(`[data-ticket-id="${ticket.id}"]`);
    await row.getByText(ticket.reference).waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(2).innerText()).to.equal('(nama tidak diberikan)');
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      subject: (document.querySelector('.tickets td.subject') as HTMLElement).getBoundingClientRect().width,
    }));
    expect(widths.viewport).to.equal(1366);
    expect(widths.page, 'no sideways scrolling').to.be.at.most(widths.viewport);
    expect(widths.subject, 'room to read the subject').to.be.at.least(250);
  });

  it('sends the reply typed in the ticket page through the Twilio mock', async () => {
    const ticket = await smsTicket('+6281299970002', 'Apakah izin reklame bisa diurus daring?');
    await page.locator(`[data-ticket-id="${ticket.id}"] a`).waitFor();
    // The keyboard: j/k move through the queue (newest first here), Enter opens the one chosen.
    const chosen = (id: number) =>
      page.waitForFunction((row) => document.activeElement?.closest('tr')?.dataset.ticketId === row, String(id));
    await page.keyboard.press('j');
    await chosen(ticket.id - 1);
    await page.keyboard.press('k');
    await chosen(ticket.id);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(ticket.reference) }).waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/console/tickets/${ticket.id}`);
    await page.keyboard.press('r'); // the shortcut to the reply box
    await page.keyboard.type('Bisa, melalui OSS.');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('reply');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await page.getByText(/Balasan masuk antrean kirim|Ditolak/).waitFor();
    expect(await page.locator('[role=alert]').allTextContents()).to.deep.equal([]);
    const sent = await waitFor('reply sent to the Twilio mock', async () => {
      const row = await server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
        .first();
      return row?.provider_message_id ? row : undefined;
    });
    expect(sent).to.include({ channel: 'sms', address: '+6281299970002' });
    expect(sent.body).to.include('Bisa, melalui OSS.');
    expect(sent.provider_message_id).to.match(/^(SM|MM)[0-9a-fA-F]{32}$/);
    await page.locator('.timeline .outbound').getByText('Bisa, melalui OSS.').waitFor();
    await page.keyboard.press('n');
    await page.keyboard.type('Warga diarahkan ke OSS.');
    await page.getByRole('button', { name: 'Simpan catatan' }).click();
    await page.locator('.timeline .note').getByText('Warga diarahkan ke OSS.').waitFor();
    expect(await seriousViolations(page), 'the ticket page').to.deep.equal([]);
    await page.getByRole('button', { name: 'Selesaikan' }).click();
    await page.locator('[data-status="resolved"]').waitFor();
  });

  it("shows a citizen's markup and script as text, running none of it", async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> izin?';
    const ticket = await smsTicket('+6281299970003', hostile);
    await page.goto(`${server.baseUrl}/console/tickets/${ticket.id}`); // a deep link, the session kept
    const body = page.locator('.timeline .inbound .body').first();
    await body.waitFor();
    expect(await body.textContent()).to.equal(hostile);
    expect(await page.locator('.timeline img, .timeline script').count()).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
  });

  it('switches every visible string of the page to English and back', async () => {
    await page.getByRole('button', { name: 'Kembali ke antrean' }).click();
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByLabel('Presence').count(), 'the presence switch').to.equal(1);
    expect(await page.getByLabel('Search by reference or words').count(), 'the search box').to.equal(1);
    for (const text of ['My tickets', 'All tickets', 'Sign out', 'Search', 'Bahasa Indonesia'])
      expect(await page.getByText(text, { exact: true }).count(), text).to.be.above(0);
    for (const text of ['Tiket saya', 'Semua tiket', 'Keluar', 'Antrean'])
      expect(await page.getByText(text, { exact: true }).count(), text).to.equal(0);
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
  });

  it('sends the user to the login page with a message when the session ends on the server', async () => {
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('satu-pintu.session') ?? '{}').token);
    await fetch(`${server.baseUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await page.getByRole('button', { name: 'Tiket saya' }).click();
    await page.getByText('Sesi Anda telah berakhir. Silakan masuk kembali.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('satu-pintu.session'))).to.equal(null);
  });

  it('revokes the token on the server when the agent signs out', async () => {
    await signIn(page);
    const token: string = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem('satu-pintu.session') ?? '{}').token,
    );
    const me = () => fetch(`${server.baseUrl}/api/v1/agents/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).to.equal(200);
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByText('Anda telah keluar.').waitFor();
    expect((await me()).status).to.equal(401);
    expect(page.url()).to.not.include(token);
  });

  it('met no Content-Security-Policy violation and no script error on any page', () => {
    expect(cspReports).to.deep.equal([]);
  });
});
