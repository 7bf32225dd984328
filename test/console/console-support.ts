import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';
import type { TestBrowser } from './browser.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A new tab on the console's login page, its script errors and CSP reports kept in `problems`. */
export async function openConsole(browser: TestBrowser, server: TestServer, problems: string[]): Promise<Page> {
  const opened = await browser.context.newPage();
  opened.setDefaultTimeout(10_000);
  opened.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  opened.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await opened.goto(`${server.baseUrl}/console`);
  return opened;
}

/** Signs in on the login page (Indonesian, the default) and waits for the queue. */
export async function signIn(page: Page, who: { email: string; password: string } = ADMIN): Promise<void> {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Kata sandi').fill(who.password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.getByRole('heading', { name: 'Antrean' }).waitFor();
}

/** Posts a signed inbound message (SMS or WhatsApp) to the webhook, answering the ticket it made. */
export async function inboundTicket(
  server: TestServer,
  from: string,
  body: string,
  channel: 'sms' | 'whatsapp' = 'sms',
): Promise<{ id: number; reference: string }> {
  const message = channel === 'sms' ? inboundSms(from, body) : inboundWhatsApp(from, body);
  expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
  const id = await waitFor('ticket created', async () => {
    const row = await server.runtime
      .db('inbox')
      .where({ external_id: message.MessageSid })
      .first('ticket_id', 'processed_at');
    return row?.processed_at ? Number(row.ticket_id) : undefined;
  });
  const detail = (await (await server.api(`/api/v1/tickets/${id}`)).json()) as { data: { reference: string } };
  return { id, reference: detail.data.reference };
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the page's CSP rightly refuses inline scripts.
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

/** Calls the API as the first admin with a JSON body, expecting `status`; answers the parsed body. */
export async function adminCall<T = unknown>(
  server: TestServer,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<T> {
  const response = await server.api(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).to.equal(status);
  return (text ? JSON.parse(text) : undefined) as T;
}
