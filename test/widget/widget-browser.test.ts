import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import { buildConsole, buildWidget } from '../../web/build.mjs';
import { launchBrowser, type TestBrowser } from '../console/browser.js';
import { openConsole, signIn } from '../console/console-support.js';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { type HostPage, startHostPage } from './host-page.js';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// Wednesday 2 December 2026, 10:00 in Makassar (the default calendar's zone): the front desk is open.
const OFFICE_HOURS = Date.parse('2026-12-02T02:00:00Z');

/**
 * Issue 15 end to end: an office's page on another origin embeds the widget with its one script
 * tag; in Chromium the visitor writes, the message becomes a webchat ticket, an agent answers
 * through the API and the visitor sees the answer live; the connection drops (a proxy between the
 * browser and the server is cut), the agent answers meanwhile, and once it is back the visitor
 * sees what was missed. The server is the real one (startTestServer) serving the built widget.
 */
describe('chat widget in the browser, end to end', function () {
  this.timeout(120_000);
  let server: TestServer;
  let proxy: TcpProxy;
  let smtp: SmtpCapture;
  let host: HostPage;
  let browser: TestBrowser;
  let page: Page;
  let frame: Frame;
  let ticketId: number;
  const problems: string[] = [];
  /** The frame's calls of the chat API: path and query, and the stream's Last-Event-ID. */
  const calls: { url: string; lastEventId?: string }[] = [];
  const started = Date.now();

  before(async () => {
    await buildWidget(); // into dist/web/widget, where the server's route reads it
    await buildConsole(); // the agent answers from the console too
    smtp = await startSmtpCapture();
    let widgetOrigin = '';
    host = await startHostPage(() => widgetOrigin);
    server = await startTestServer(
      {
        WIDGET_ALLOWED_ORIGINS: host.origin,
        SMTP_URL: smtp.url,
        LIVE_POLL_INTERVAL_MS: '50',
        ROUTING_PASS_INTERVAL_MS: '600000',
      },
      { now: () => new Date(OFFICE_HOURS + (Date.now() - started)) },
    );
    proxy = new TcpProxy('127.0.0.1', Number(new URL(server.baseUrl).port));
    await proxy.start();
    widgetOrigin = `http://127.0.0.1:${proxy.port}`;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/api/v1/public/chat/')) return;
      calls.push({
        url: url.pathname.slice('/api/v1/public/chat'.length) + url.search,
        lastEventId: request.headers()['last-event-id'],
      });
    });
  });
  after(async () => {
    await browser?.close();
    await proxy?.cut();
    await server?.stop();
    await host?.close();
    await smtp?.close();
  });

  const reply = async (body: string) => {
    const response = await server.api(`/api/v1/tickets/${ticketId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    });
    expect(response.status, await response.clone().text()).to.equal(201);
  };

  it('lets the visitor start a chat and write from the office page; the message becomes a webchat ticket', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
    frame = await waitFor('the chat frame', () => page.frames().find((each) => each.url().includes('/chat/frame')));
    await frame.getByLabel('Nama').fill('Rina Marlina');
    await frame.getByLabel('Email (opsional)').fill('rina@example.com');
    await frame.getByRole('button', { name: 'Mulai obrolan' }).click();
    const text = 'Izin usaha saya belum terbit <script>alert(1)</script><img src=x onerror=alert(2)>';
    await frame.getByLabel('Tulis pesan').fill(text);
    await frame.getByLabel('Tulis pesan').press('Enter');
    // Back from the server (not the optimistic bubble), as text.
    await frame.locator('.message.inbound:not(.pending) .text').getByText(text, { exact: true }).waitFor();
    expect(await frame.locator('.messages img, .messages script').count()).to.equal(0);
    ticketId = await waitFor('the webchat ticket', async () => {
      const row = await server.runtime.db('messages').where({ direction: 'inbound', body: text }).first('ticket_id');
      return row?.ticket_id ? Number(row.ticket_id) : undefined;
    });
    const ticket = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { channel: string; reference: string };
    };
    expect(ticket.data.channel).to.equal('webchat');
    // The acknowledgement names the reference, and the header shows it.
    await frame.locator('.reference').getByText(/SP-/).waitFor();
  });

  it("shows the agent typing, then the agent's answer live as text, read marks both ways, and the visitor typing", async () => {
    const typing = await server.api(`/api/v1/tickets/${ticketId}/typing`, { method: 'POST' });
    expect(typing.status).to.be.oneOf([202, 204]);
    await frame.getByText('Petugas sedang mengetik…').waitFor();
    await reply('Baik, <b>Bu Rina</b>, kami periksa sekarang.');
    await frame.getByText('Baik, <b>Bu Rina</b>, kami periksa sekarang.', { exact: true }).waitFor();
    expect(await frame.locator('.messages b').count()).to.equal(0);
    await frame.locator('.message.inbound .state').getByText('Dibaca').first().waitFor();
    // The visitor has the answer in view: it is read on the agent's side.
    await waitFor('the reply read', async () => {
      const row = await server.runtime
        .db('messages')
        .where({ ticket_id: ticketId, direction: 'outbound', body: 'Baik, <b>Bu Rina</b>, kami periksa sekarang.' })
        .first('delivery_status');
      return row?.delivery_status === 'read';
    });
    // And the agent sees the visitor typing.
    await frame.getByLabel('Tulis pesan').pressSequentially('Terima', { delay: 20 });
    await waitFor('the visitor typing', async () => {
      const answer = await server.api(`/api/v1/tickets/${ticketId}/typing`);
      return ((await answer.json()) as { data: { visitor_typing: boolean } }).data.visitor_typing;
    });
    await frame.getByLabel('Tulis pesan').fill('');
  });

  it('shows an answer the agent typed in the console, live', async () => {
    const agentPage = await openConsole(browser, server, problems);
    await signIn(agentPage);
    await agentPage.goto(`${server.baseUrl}/console/tickets/${ticketId}`);
    await agentPage.getByLabel('Balasan kepada warga').fill('Silakan datang ke loket 3 besok pagi.');
    await agentPage.getByRole('button', { name: 'Kirim balasan' }).click();
    await frame.getByText('Silakan datang ke loket 3 besok pagi.', { exact: true }).waitFor();
    await agentPage.close();
  });

  it('comes back after the connection dropped and shows what the agent said meanwhile', async () => {
    const shown = await frame.locator('.message[data-message-id]').last().getAttribute('data-message-id');
    await proxy.cut();
    const before = calls.length;
    try {
      await frame.getByText('Sambungan terputus. Menyambung kembali…').waitFor();
      await reply('Izin Anda sudah terbit, silakan cek email.');
    } finally {
      await proxy.restore();
    }
    await frame.getByText('Izin Anda sudah terbit, silakan cek email.', { exact: true }).waitFor({ timeout: 30_000 });
    await frame.getByText('Sambungan terputus. Menyambung kembali…').waitFor({ state: 'hidden' });
    // The widget's part: on reconnecting it asked for what came after the newest message it had,
    // and resumed the stream from the last event it had received.
    const again = calls.slice(before);
    expect(again.map((call) => call.url)).to.include(`/messages?after=${shown}`);
    expect(again.find((call) => call.url === '/stream')?.lastEventId).to.match(/^\d+$/);
  });

  it('emails the transcript on request, and has no serious accessibility violation in the frame', async () => {
    await frame.getByRole('button', { name: 'Kirim salinan percakapan ke email saya' }).click();
    await frame.getByText('Salinan percakapan dikirim ke email Anda.').waitFor();
    await waitFor('the transcript mail', () =>
      smtp.messages.find(
        (message) => message.rcptTo.includes('rina@example.com') && message.raw.includes('silakan cek email'),
      ),
    );
    await frame.evaluate(axeSource);
    const violations = await frame.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string }[] }> } }
      ).axe;
      const { violations } = await axe.run();
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
    });
    expect(violations).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
  });
});
