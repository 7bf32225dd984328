import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildCitizen } from '../../web/build.mjs';
import { launchBrowser, type TestBrowser } from '../console/browser.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OFFICE = 'DPMPTSP Kota Contoh';

/**
 * Issue 15: /lacak in Debian's Chromium. Tracking works with JavaScript off (a posted form, the
 * answer rendered by the server); a wrong second factor reads exactly as an unknown number; markup
 * in a reply shows as text; axe-core finds no serious or critical violation.
 */
describe('Web door: tracking a report at /lacak, in the browser', function () {
  this.timeout(90_000);
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let browser: TestBrowser;
  const phone = '+6281377001122';
  let reference = '';
  let unknown = '';

  before(async () => {
    await buildCitizen();
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url, OFFICE_NAME: OFFICE });
    const message = inboundSms(phone, 'Izin usaha saya belum terbit <script>alert(1)</script>');
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    const ticketId = await waitFor('ticket created', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    reference = String((await server.runtime.db('tickets').where({ id: ticketId }).first('reference')).reference);
    const reply = await server.api(`/api/v1/tickets/${ticketId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Berkas <b>lengkap</b><img src=x onerror="document.title=1">\nTerima kasih.' }),
    });
    expect(reply.status).to.equal(201);
    const { dammCheckDigit } = await import('../../src/tickets/reference-number.js');
    for (let body = 33_300_000; !unknown; body += 1) {
      const digits = String(body) + String(dammCheckDigit(String(body)));
      if (!(await server.runtime.db('tickets').where({ reference: digits }).first('id'))) unknown = digits;
    }
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await twilio?.close();
  });

  const grouped = (digits: string) => `SP-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;

  async function track(page: Page, ref: string, last4: string, lang = 'id'): Promise<string> {
    await page.goto(`${server.baseUrl}/lacak${lang === 'en' ? '?lang=en' : ''}`);
    await page.getByLabel(lang === 'en' ? 'Ticket number' : 'Nomor tiket').fill(ref);
    await page
      .getByLabel(lang === 'en' ? 'Last four digits of your phone number' : 'Empat angka terakhir nomor HP')
      .fill(last4);
    await page.getByRole('button', { name: lang === 'en' ? 'Track' : 'Lacak' }).click();
    await page.waitForLoadState('load');
    return page.locator('main').innerText();
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
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

  it('works with JavaScript off: a wrong phone reads exactly as an unknown number; the right one shows the status', async () => {
    browser = await launchBrowser({ javaScriptEnabled: false });
    const page = await browser.context.newPage();
    const wrongPhone = await track(page, grouped(reference), '0000');
    expect(page.url()).to.equal(`${server.baseUrl}/lacak?lang=id`); // posted: nothing of the factor in the address
    const unknownNumber = await track(page, grouped(unknown), phone.slice(-4));
    expect(wrongPhone).to.contain('Laporan tidak ditemukan untuk nomor tiket dan nomor HP atau email ini.');
    expect(wrongPhone).to.equal(unknownNumber);

    const found = await track(page, reference.replace(/(\d{3})(?=\d)/g, '$1 '), phone.slice(-4));
    const { STATUSES } = await import('../../src/tickets/vocabulary.js');
    const { status } = await server.runtime.db('tickets').where({ reference }).first('status');
    const label = STATUSES.find((term) => term.code === status)!.label;
    expect(found).to.contain(grouped(reference)).and.contain(label.id).and.contain('Petugas layanan');
    // The reply's markup is text: shown as typed, nothing of it made into elements.
    expect(found).to.contain('Berkas <b>lengkap</b><img src=x onerror="document.title=1">');
    expect(await page.locator('main b, main img').count()).to.equal(0);
    expect(found).to.not.contain('alert(1)').and.not.contain(phone.slice(3));

    // Subscribing works without JavaScript too: the citizen is told how we will write.
    await page.getByRole('button', { name: 'Kabari saya bila statusnya berubah' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').innerText()).to.contain(
      'Baik. Kami akan mengabari Anda lewat SMS bila status laporan ini berubah.',
    );
    const subscription = await server.runtime
      .db('track_subscriptions as s')
      .join('tickets as t', 't.id', 's.ticket_id')
      .where('t.reference', reference)
      .first('s.channel');
    expect(subscription).to.deep.equal({ channel: 'sms' });
    await browser.close();
    browser = undefined as unknown as TestBrowser;
  });

  it('has no serious or critical accessibility violation on the form, a miss and a result, in both languages', async () => {
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${server.baseUrl}/lacak`);
    expect(await seriousViolations(page), 'the form').to.deep.equal([]);
    await track(page, '262591946', phone.slice(-4));
    expect(await page.locator('.error-summary').innerText()).to.contain('salah ketik');
    expect(await seriousViolations(page), 'a mistyped number').to.deep.equal([]);
    await track(page, grouped(reference), '0000');
    expect(await seriousViolations(page), 'not found').to.deep.equal([]);
    const english = await track(page, grouped(reference), phone.slice(-4), 'en');
    expect(english).to.contain('Status of your report').and.contain('Answers from our staff');
    expect(await page.title()).to.not.equal('1'); // the reply's onerror never ran
    expect(await seriousViolations(page), 'a result').to.deep.equal([]);
  });
});
