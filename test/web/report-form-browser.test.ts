import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildCitizen, buildConsole } from '../../web/build.mjs';
import { openConsole, signIn } from '../console/console-support.js';
import { launchBrowser, type TestBrowser } from '../console/browser.js';
import { pdf } from '../support/attachment-samples.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OFFICE = 'DPMPTSP Kota Contoh';
const TYPED = '<script>alert("x")</script><b>tebal</b> izin usaha saya belum terbit';

/**
 * /lapor in a real Chromium (Debian's, through playwright-core), as a citizen on a phone-sized
 * screen uses it: with JavaScript (the proof-of-work solved in the background) and without it (the
 * plain form post), an attachment, a mistake corrected, the reference number at the end, and the
 * acknowledgement through the Twilio mock. The page's CSP must not refuse anything it loads.
 */
describe('Web door: the complaint form in the browser', function () {
  this.timeout(90_000);
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let browser: TestBrowser;
  let noScript: TestBrowser;
  let folder: string;
  const problems: string[] = [];

  before(async () => {
    await buildCitizen();
    await buildConsole();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-lapor-'));
    fs.writeFileSync(path.join(folder, 'surat-permohonan.pdf'), pdf());
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      OFFICE_NAME: OFFICE,
      WEB_FORM_MIN_FILL_SECONDS: '1',
      ROUTING_PASS_INTERVAL_MS: '600000',
      // The receipt waits for the worker's ticket; on a loaded machine that can take past the 5 s default.
      WEB_RECEIPT_WAIT_MS: '25000',
    });
    browser = await launchBrowser();
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await browser?.close();
    await noScript?.close();
    await server?.stop();
    await twilio?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function open(target: TestBrowser, lang = 'id'): Promise<Page> {
    const page = await target.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 360, height: 740 }); // a small phone
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`a dialog opened: ${dialog.message()}`); // the citizen's <script> ran
      void dialog.dismiss();
    });
    await page.goto(`${server.baseUrl}/lapor?lang=${lang}`);
    return page;
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(axeSource); // evaluated: the page's CSP rightly refuses inline scripts
    return page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string }[] }> } }
      ).axe;
      const { violations } = await axe.run();
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
    });
  }

  /** The form posts the page made (playwright shows no multipart body with files: the paths). */
  function posts(page: Page): string[] {
    const paths: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') paths.push(new URL(request.url()).pathname);
    });
    return paths;
  }

  /** The Redis counts of reports that came without the proof-of-work (one per client address). */
  const noJsCounts = () =>
    server.runtime.redis.keys(`${server.runtime.config.QUEUE_PREFIX}:web-submissions-address-nojs:*`);
  const smsTo = (phone: string) =>
    waitFor('the acknowledgement by SMS', () => twilio.requests.find((request) => request.get('To') === phone));

  it('takes a report with an attachment, corrects a mistake, shows the reference, and sends it by SMS', async () => {
    const page = await open(browser);
    const sent = posts(page);
    await page.getByRole('heading', { name: 'Kirim laporan, pertanyaan atau saran' }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);

    await page.getByLabel('Nama').fill('Siti Aminah');
    await page.getByLabel('Jenis laporan').selectOption('complaint');
    await page.getByLabel('Jenis pengaduan').selectOption('undue_delay');
    await page.getByLabel('Isi laporan').fill(TYPED);
    await page.getByLabel('Lampiran').setInputFiles(path.join(folder, 'surat-permohonan.pdf'));
    await page.getByRole('button', { name: 'Kirim laporan' }).click();

    // No phone and no email: the page says so next to the field and keeps the text, as text.
    await page.locator('#phone-error').waitFor();
    expect(await page.locator('#phone-error').textContent()).to.contain('Isi nomor HP atau email');
    expect(await page.getByLabel('Isi laporan').inputValue()).to.equal(TYPED);
    expect(await page.locator('main b').count()).to.equal(0); // no markup of the citizen's in the page
    expect(await seriousViolations(page)).to.deep.equal([]);

    await page.getByLabel('Nomor HP').fill('0812 3456 7001');
    await page.getByLabel('Lampiran').setInputFiles(path.join(folder, 'surat-permohonan.pdf')); // files are never kept
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    // The script posts once its proof-of-work is solved, and the receipt waits for the worker's ticket.
    await page.waitForURL(/\/lapor\/diterima\//, { timeout: 40_000 });
    await page.getByRole('heading', { name: 'Laporan Anda sudah kami terima' }).waitFor({ timeout: 40_000 });
    const reference = (await page.locator('#reference').textContent()) ?? '';
    expect(reference).to.match(/^SP-\d{3}-\d{3}-\d{3}$/);
    expect(await page.getByText('Kami juga mengirim nomor ini lewat SMS.').count()).to.equal(1);
    expect(await seriousViolations(page)).to.deep.equal([]);

    // The script solved the proof-of-work before the form went: nothing counted as a post without it.
    expect(sent).to.deep.equal(['/lapor', '/lapor']);
    expect(await noJsCounts()).to.deep.equal([]);

    const sms = await smsTo('+6281234567001');
    expect(sms.get('Body')).to.contain(reference).and.contain(OFFICE);

    const digits = reference.replace(/\D/g, '');
    const ticket = await server.runtime.db('tickets').where({ reference: digits }).first();
    expect(ticket).to.include({ channel: 'web', category: 'complaint', complaint_type: 'undue_delay' });
    const message = await server.runtime.db('messages').where({ ticket_id: ticket.id, direction: 'inbound' }).first();
    expect(message.body).to.equal(TYPED);
    const files = await server.runtime.db('attachments').where({ message_id: message.id }).pluck('filename');
    expect(files).to.deep.equal(['surat-permohonan.pdf']);
    // The agent's console reads it through the API like any ticket, the text as the citizen wrote it.
    const detail = (await (await server.api(`/api/v1/tickets/${ticket.id}`)).json()) as { data: { channel: string } };
    expect(detail.data.channel).to.equal('web');

    // And an agent sees it in the console: in the list of all tickets, then opened, the text as text.
    const agentPage = await openConsole(browser, server, problems);
    await signIn(agentPage);
    await agentPage.getByRole('button', { name: 'Semua tiket' }).click();
    const row = agentPage.getByRole('row').filter({ hasText: reference });
    await row.waitFor();
    await row.getByRole('link').first().click();
    await agentPage.getByRole('heading', { level: 1 }).filter({ hasText: reference }).waitFor();
    const timeline = agentPage.locator('.timeline');
    await timeline.getByText('izin usaha saya belum terbit').waitFor();
    expect(await timeline.textContent()).to.contain(TYPED);
    expect(await timeline.locator('b, script').count()).to.equal(0);
    // Its attachment downloads with the agent's token, under its own name, byte for byte.
    const [download] = await Promise.all([
      agentPage.waitForEvent('download'),
      agentPage.getByRole('button', { name: 'Unduh surat-permohonan.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal('surat-permohonan.pdf');
    const saved = path.join(folder, 'downloaded.pdf');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).equals(pdf())).to.equal(true);
    expect(await seriousViolations(agentPage)).to.deep.equal([]);
    await agentPage.close();
    expect(problems).to.deep.equal([]);
  });

  it('works with JavaScript off: the plain form post, the same reference page, in English', async () => {
    const page = await open(noScript, 'en');
    const sent = posts(page);
    await page.getByRole('heading', { name: 'Send a report, question or suggestion' }).waitFor();
    await page.getByLabel('Mobile number').fill('+62 812 3456 7002');
    await page.getByLabel('Kind of report').selectOption('information_request');
    await page.getByLabel('Your report').fill('What do I need for a building permit?');
    await page.getByLabel('Attachments').setInputFiles(path.join(folder, 'surat-permohonan.pdf'));
    await page.waitForTimeout(1100); // the signed timestamp's minimum fill time (1 s here)
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('heading', { name: 'We have received your report' }).waitFor();
    const reference = (await page.locator('#reference').textContent()) ?? '';
    expect(reference).to.match(/^SP-\d{3}-\d{3}-\d{3}$/);
    expect(sent).to.deep.equal(['/lapor']);
    expect(await noJsCounts()).to.have.length(1); // no proof-of-work without a script: the stricter count
    // A new citizen who wrote in English is answered in English.
    expect((await smsTo('+6281234567002')).get('Body'))
      .to.contain(reference)
      .and.contain('we have received');
    expect(await page.getByRole('link', { name: 'Bahasa Indonesia' }).getAttribute('href')).to.match(/lang=id$/);
    expect(problems).to.deep.equal([]);
  });
});
