import { expect } from 'chai';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, openConsole, signIn } from './console-support.js';

interface Shown {
  title: string;
  body?: string;
  tag?: string;
}

/**
 * Browser notifications (issue 14): once the agent allowed them, a ticket routed to them and a
 * citizen's new message on it each show one, named by reference; a click opens the ticket. The
 * page's Notification is recorded (headless Chromium shows none on a screen), the permission is
 * the browser's own, granted to the console's origin.
 */
describe('Console: browser notifications', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  const problems: string[] = [];
  const wulan = { email: 'wulan.notify@dpmptsp.example.go.id', password: 'wulan-password-123' };

  before(async () => {
    await buildConsole();
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...wulan, name: 'Wulan', role: 'agent', teams: [frontDesk] },
      201,
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('offers to turn them on, then tells of an assignment and of the citizen writing again; a click opens the ticket', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page, wulan);
    // Not yet allowed: the bar offers it (the browser would ask on that click).
    await page.getByRole('button', { name: 'Aktifkan notifikasi' }).waitFor();

    await browser.context.grantPermissions(['notifications'], { origin: server.baseUrl });
    // A string, not a function: tsx would wrap a function's class in helpers the page lacks.
    await page.addInitScript(`
      const shown = [];
      window.shown = shown;
      class Recorded {
        static permission = 'granted';
        static async requestPermission() { return 'granted'; }
        constructor(title, options = {}) {
          this.onclick = null;
          shown.push({ title, body: options.body, tag: options.tag, click: () => this.onclick && this.onclick() });
        }
        close() {}
      }
      window.Notification = Recorded;
    `);
    await page.reload();
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
    expect(await page.getByRole('button', { name: 'Aktifkan notifikasi' }).count()).to.equal(0);
    await page.getByLabel('Status kehadiran').selectOption('available');
    await waitFor('Wulan available', async () => {
      const row = await server.runtime.db('agents').where({ email: wulan.email }).first('presence');
      return row?.presence === 'available';
    });

    const sms = inboundSms('+6281500000661', 'Kapan <b>izin</b> saya terbit?');
    expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    const recorded = () =>
      page.evaluate(() =>
        (window as unknown as { shown: Shown[] }).shown.map(({ title, body, tag }) => ({ title, body, tag })),
      );
    const assigned = await waitFor('the assignment notified', async () =>
      (await recorded()).find((note) => note.title.includes('diserahkan kepada Anda')),
    );
    const ticket = await server.runtime.db('tickets').orderBy('id', 'desc').first('id', 'reference');
    expect(assigned.title).to.match(/^Tiket SP-\d{3}-\d{3}-\d{3} diserahkan kepada Anda$/);
    expect(assigned.tag).to.equal(`ticket-${ticket.id}`);

    await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000661', 'Tambahan: nomor berkas 123'));
    await waitFor('the new message notified', async () =>
      (await recorded()).some((note) => note.title.startsWith('Pesan baru dari warga pada tiket')),
    );
    await page.evaluate(() => (window as unknown as { shown: Array<{ click(): void }> }).shown[0]!.click());
    await waitFor('the ticket opened', () => page.url().endsWith(`/console/tickets/${ticket.id}`));
    expect(problems).to.deep.equal([]);
  });
});
