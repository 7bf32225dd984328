import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import { buildWidget } from '../../web/build.mjs';
import { launchBrowser, type TestBrowser } from '../console/browser.js';
import { BufferingProxy } from '../support/buffering-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { type HostPage, startHostPage } from './host-page.js';

// Wednesday 2 December 2026, 10:00 in Makassar (the default calendar's zone): a working day's hours.
const OFFICE_HOURS = Date.parse('2026-12-02T02:00:00Z');
const TODAY = '2026-12-02';

/**
 * Issue 15, the widget's two ways of coping, in Chromium against the real server (not the contract
 * fake): the away notice when the front desk's calendar says closed now (today made a holiday
 * through the calendar API), and long polling when a proxy between the visitor and us buffers the
 * event stream (its headers pass, its bytes never do: the widget gives the stream 20 s to send one)
 * or holds it whole (not even the headers: the same 20 s).
 */
describe('chat widget in the browser against the real server: away notice and long polling', function () {
  this.timeout(120_000);
  let server: TestServer;
  let proxy: BufferingProxy;
  let host: HostPage;
  let browser: TestBrowser;
  const problems: string[] = [];
  /** The frames' calls of the chat API: path and query. */
  const calls: string[] = [];
  const started = Date.now();

  before(async () => {
    await buildWidget(); // into dist/web/widget, where the server's route reads it
    let widgetOrigin = '';
    host = await startHostPage(() => widgetOrigin);
    server = await startTestServer(
      { WIDGET_ALLOWED_ORIGINS: host.origin, LIVE_POLL_INTERVAL_MS: '50', ROUTING_PASS_INTERVAL_MS: '600000' },
      { now: () => new Date(OFFICE_HOURS + (Date.now() - started)) },
    );
    proxy = new BufferingProxy(Number(new URL(server.baseUrl).port), (path) =>
      path.startsWith('/api/v1/public/chat/stream'),
    );
    await proxy.start();
    widgetOrigin = proxy.origin;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    await host?.close();
  });

  /** The office's page, the chat opened and started: the frame, ready to write in. */
  async function startChat(name: string): Promise<{ page: Page; frame: Frame }> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/v1/public/chat/'))
        calls.push(url.pathname.slice('/api/v1/public/chat'.length) + url.search);
    });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
    const frame = await waitFor('the chat frame', () =>
      page.frames().find((each) => each.url().includes('/chat/frame')),
    );
    await frame.getByLabel('Nama').fill(name);
    await frame.getByRole('button', { name: 'Mulai obrolan' }).click();
    return { page, frame };
  }

  const ticketOfText = (text: string) =>
    waitFor('the webchat ticket', async () => {
      const row = await server.runtime.db('messages').where({ direction: 'inbound', body: text }).first('ticket_id');
      return row?.ticket_id ? Number(row.ticket_id) : undefined;
    });

  it("says the office is closed on a day the front desk's calendar makes a holiday, and takes a message instead", async () => {
    const calendar = await server.runtime.db('calendars').where({ slug: 'default' }).first('id');
    const holiday = `/api/v1/calendars/${calendar.id}/holidays/2026/${TODAY}`;
    const declared = await server.api(holiday, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hari jadi kota', kind: 'regional' }),
    });
    expect(declared.status, await declared.clone().text()).to.be.oneOf([200, 201]);
    try {
      const { page, frame } = await startChat('Budi Santoso');
      await frame.getByRole('heading', { name: 'Di luar jam layanan' }).waitFor();
      await frame.getByText('Petugas kami sedang tidak bertugas.', { exact: false }).waitFor();
      // The next opening, from the calendar: Thursday 3 December, in the office's time.
      const next = await frame.getByText('Layanan buka kembali', { exact: false }).textContent();
      expect(next).to.match(/Kamis, 3 Desember/);
      const composer = frame.getByLabel('Tinggalkan pesan');
      await composer.fill('Mohon dihubungi besok pagi soal izin reklame');
      await composer.press('Enter');
      await frame
        .locator('.message.inbound:not(.pending)')
        .getByText('Mohon dihubungi besok pagi soal izin reklame')
        .waitFor();
      const ticketId = await ticketOfText('Mohon dihubungi besok pagi soal izin reklame');
      const ticket = await server.runtime.db('tickets').where({ id: ticketId }).first('channel', 'status');
      expect(ticket.channel).to.equal('webchat');
      expect(problems).to.deep.equal([]);
      await page.close();
    } finally {
      expect((await server.api(holiday, { method: 'DELETE' })).status).to.equal(204);
    }
  });

  for (const holdHeaders of [false, true]) {
    const proxyDoes = holdHeaders ? 'holds the whole stream, headers and all' : 'buffers the stream';
    it(`falls back to long polling when a proxy ${proxyDoes}, and shows the agent’s answer through it`, async () => {
      proxy.buffering = true;
      proxy.holdHeaders = holdHeaders;
      const text = `Apakah berkas saya sudah lengkap? (${holdHeaders ? 'tertahan' : 'tersangga'})`;
      try {
        const { page, frame } = await startChat('Sari Dewi');
        // Open again: no away notice, the ordinary composer.
        const composer = frame.getByLabel('Tulis pesan');
        await composer.fill(text);
        await composer.press('Enter');
        const ticketId = await ticketOfText(text);
        const before = calls.length;
        // The stream sends no byte through the proxy: after 20 s the widget polls instead.
        await frame.locator('.connection.polling').waitFor({ state: 'attached', timeout: 45_000 });
        expect(calls).to.include('/stream');
        await waitFor('a long poll', () => calls.slice(before).some((call) => /^\/messages\?.*wait=25/.test(call)));
        const reply = await server.api(`/api/v1/tickets/${ticketId}/replies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ body: `Berkas Anda sudah lengkap (${ticketId}).` }),
        });
        expect(reply.status, await reply.clone().text()).to.equal(201);
        await frame.getByText(`Berkas Anda sudah lengkap (${ticketId}).`, { exact: true }).waitFor();
        // The visitor's own message came back from the server too (not left as sending), and the
        // acknowledgement's reference is in the header.
        await frame.locator('.message.inbound:not(.pending)').getByText(text).waitFor();
        await frame.locator('.reference').getByText(/SP-/).waitFor();
        expect(await frame.getByRole('heading', { name: 'Di luar jam layanan' }).count()).to.equal(0);
        expect(problems).to.deep.equal([]);
        await page.close();
      } finally {
        proxy.buffering = false;
        proxy.holdHeaders = false;
      }
    });
  }
});
