import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { freePort } from '../test/support/free-port.js';
import { waitFor } from '../test/support/wait-for.js';
import { startSmtpCapture, type SmtpCapture } from '../test/support/smtp-capture.js';
import { removeQueueKeys } from '../test/support/test-server.js';
import { ACCOUNT_SID, SMS_NUMBER, WHATSAPP_NUMBER } from '../test/support/twilio-payloads.js';
import { VOICE_NUMBER } from '../test/support/twilio-voice-payloads.js';
import { buildCitizen, buildConsole, buildWidget } from '../web/build.mjs';
import { Citizens, TwilioWebhooks } from '../demo/citizens.js';
import { playMorning } from '../demo/morning.js';
import { Outbox } from '../demo/outbox.js';
import { seedHelpDesk } from '../demo/seed.js';
import { startTwilioStandIn, type TwilioStandIn } from '../demo/twilio-stand-in.js';
import { CHROMIUM as DEBIAN_CHROMIUM, CHROMIUM_FLAGS } from '../test/console/browser.js';

/**
 * `npm run screenshots`: the pictures in README.md and docs/images/. Satu Pintu on a throw-away
 * SQLite file with the demo's morning played into it (demo/: agents, teams, citizens writing by
 * SMS, WhatsApp, email and phone, through local stand-ins for Twilio and SMTP), then headless
 * Chromium (Debian's /usr/bin/chromium) at 1366x768, in Bahasa Indonesia, signs in as an agent and
 * as a supervisor and saves each page as a PNG. The chat frame is shot at the size the embed
 * script gives it (370x600); the browser's clock in Kalimantan Timur's zone (WITA). Exits 1 with one line when Chromium is missing or a page fails.
 */
const CHROMIUM = process.env.SCREENSHOTS_CHROMIUM || DEBIAN_CHROMIUM;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.resolve(ROOT, process.env.SCREENSHOTS_DIR || 'docs/images');
const DOMAIN = 'dpmptsp.kaltim.example.go.id';
const VIEWPORT = { width: 1366, height: 768 };
const CHAT_VIEWPORT = { width: 370, height: 600 };

/** A failure told in one line: which page, and what went wrong. */
class ShotError extends Error {}

interface Shot {
  file: string;
  bytes: number;
}

async function main(): Promise<Shot[]> {
  if (!fs.existsSync(CHROMIUM))
    throw new ShotError(`${CHROMIUM} is missing: the screenshots need Debian's chromium (apt-get install chromium)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-screenshots-'));
  const queuePrefix = `shots-${randomBytes(4).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const admin = { email: `admin@${DOMAIN}`, password: `demo-${randomBytes(6).toString('base64url')}` };
  const agentPassword = `agen-${randomBytes(6).toString('base64url')}`;
  let twilio: TwilioStandIn | undefined;
  let relay: SmtpCapture | undefined;
  let runtime: Runtime | undefined;
  let outbox: Outbox | undefined;
  let browser: Browser | undefined;
  let redisUrl = '';
  const quiet = () => undefined;
  try {
    await Promise.all([buildConsole(), buildCitizen(), buildWidget()]);
    twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken });
    relay = await startSmtpCapture();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DATA_DIR: dataDir,
      REDIS_URL: process.env.REDIS_URL || undefined,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'error',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_SMS_FROM: SMS_NUMBER,
      TWILIO_WHATSAPP_FROM: WHATSAPP_NUMBER,
      TWILIO_VOICE_FROM: VOICE_NUMBER,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '0',
      SMTP_URL: relay.url,
      EMAIL_INBOUND_ADDRESSES: `helpdesk@${DOMAIN}`,
      EMAIL_FROM: `DPMPTSP Kaltim <helpdesk@${DOMAIN}>`,
      OFFICE_NAME: 'DPMPTSP Kaltim',
      CALLBACK_PASS_INTERVAL_MS: '500',
    });
    redisUrl = config.REDIS_URL;
    runtime = await startRuntime(config, createLogger(config.LOG_LEVEL));
    await ensureFirstAdmin(runtime.db, admin.email, admin.password, new Date(), config.DEFAULT_LANGUAGE);
    outbox = new Outbox(twilio, relay, quiet);
    const desk = await seedHelpDesk(publicUrl, admin, agentPassword, DOMAIN, quiet);
    const webhooks = new TwilioWebhooks(publicUrl, authToken);
    const morning = await playMorning({
      desk,
      webhooks,
      citizens: new Citizens(webhooks, runtime.smtpPort!, quiet),
      outbox,
      helpdeskAddress: `helpdesk@${DOMAIN}`,
      print: quiet,
    });
    // The supervisor of both teams, who reads the board and the summary.
    const supervisor = { email: `sri.handayani@${DOMAIN}`, password: agentPassword };
    await desk.admin.post('/api/v1/agents', {
      email: supervisor.email,
      name: 'Sri Handayani',
      role: 'supervisor',
      password: supervisor.password,
      teams: [desk.frontDeskId, desk.opdId],
      skills: ['id'],
    });
    const agent = desk.staff[0]!; // Rina, of the front desk: the SMS that opens the morning is hers
    const conversation = morning.tickets.find((ticket) => ticket.channel === 'sms')!;
    const tracked = morning.tickets.find((ticket) => ticket.channel === 'whatsapp')!;

    browser = await chromium
      .launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
      .catch((error: Error) => {
        throw new ShotError(`Chromium (${CHROMIUM}) did not start: ${error.message.split('\n')[0]}`);
      });
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const shots: Shot[] = [];
    const save = async (page: Page, name: string) => {
      const file = path.join(OUT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      shots.push({ file: path.relative(ROOT, file), bytes: fs.statSync(file).size });
    };

    // The agent: signs in on the login page, the queue, then one ticket's conversation.
    await inPage(browser, VIEWPORT, 'the agent console', async (page) => {
      await open(page, `${publicUrl}/console`);
      await signIn(page, { email: agent.email, password: agentPassword });
      await page.getByRole('button', { name: 'Semua tiket' }).click();
      await page.locator('table.tickets tbody tr').nth(3).waitFor();
      await settled(page);
      await save(page, 'console-queue');
      await page.getByRole('link', { name: conversation.reference }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: conversation.reference }).waitFor();
      await page.getByText('NIB untuk usaha mikro gratis').first().waitFor();
      await settled(page);
      await save(page, 'console-ticket');
    });

    // The supervisor: the live board and the month's summary.
    await inPage(browser, VIEWPORT, "the supervisor's pages", async (page) => {
      await open(page, `${publicUrl}/console`);
      await signIn(page, supervisor);
      await open(page, `${publicUrl}/console/board`);
      await page.getByRole('heading', { name: 'Papan pantau langsung' }).waitFor();
      await page.locator('table').first().waitFor();
      await settled(page);
      await save(page, 'console-board');
      await open(page, `${publicUrl}/console/summary`);
      await page.getByRole('heading', { name: 'Ringkasan kinerja' }).waitFor();
      await page.locator('table').first().waitFor();
      await settled(page);
      await save(page, 'console-summary');
    });

    // The citizen's pages: the report form, and tracking a ticket by its reference.
    await inPage(browser, VIEWPORT, 'the citizen pages', async (page) => {
      await open(page, `${publicUrl}/lapor`);
      await page.locator('form').first().waitFor();
      await settled(page);
      await save(page, 'lapor');
      await open(page, `${publicUrl}/lacak`);
      await page.locator('#reference').fill(tracked.reference);
      await page.locator('#phoneLast4').fill('0202'); // Pak Budi's WhatsApp number ends so (demo/morning.ts)
      await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').click()]);
      await page.getByText(tracked.reference).first().waitFor();
      await settled(page);
      await save(page, 'lacak');
    });

    // The chat frame, as the embed script sizes it: a visitor starts a chat and asks; Rina answers.
    await inPage(browser, CHAT_VIEWPORT, 'the chat frame', async (page) => {
      await open(page, `${publicUrl}/chat/frame`);
      await page.locator('#chat-name').fill('Lestari');
      await page.getByRole('button', { name: 'Mulai obrolan' }).click();
      const box = page.locator('textarea');
      await box.fill('Selamat siang, apakah izin reklame bisa diurus secara daring?');
      await box.press('Enter');
      await page.getByText('izin reklame bisa diurus').first().waitFor();
      const chat = await waitFor('the chat ticket', async () => {
        const found = await desk.admin.get<{ data: Array<{ id: number }> }>('/api/v1/tickets?channel=webchat');
        return found.data[0];
      });
      await agent.api.post(`/api/v1/tickets/${chat.id}/replies`, {
        body: 'Selamat siang Ibu Lestari. Bisa, izin reklame diajukan lewat OSS; kami bantu bila ada kendala.',
      });
      await page.getByText('izin reklame diajukan lewat OSS').first().waitFor();
      await page.waitForTimeout(500);
      await save(page, 'chat-widget');
    });
    return shots;
  } finally {
    await browser?.close().catch(() => undefined);
    await outbox?.close();
    await runtime?.stop();
    await twilio?.close();
    await relay?.close();
    if (runtime) await removeQueueKeys(redisUrl, queuePrefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A new context and tab for `what`; a script error or a refused page there fails the run. */
async function inPage(
  browser: Browser,
  viewport: { width: number; height: number },
  what: string,
  work: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${new URL(response.url()).pathname}`);
  });
  try {
    await work(page);
    if (problems.length > 0) throw new Error(problems[0]);
  } catch (error) {
    const message = problems[0] ?? (error as Error).message.split('\n')[0];
    throw new ShotError(`${what} failed at ${new URL(page.url() || 'about:blank').pathname}: ${message}`);
  } finally {
    await context.close();
  }
}

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  if (!response || response.status() >= 400) throw new Error(`GET ${url} answered ${response?.status()}`);
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Kata sandi').fill(who.password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.getByRole('heading', { name: 'Antrean' }).waitFor();
}

/** Nothing left loading and an error shown nowhere, then a moment for the last paint. */
async function settled(page: Page): Promise<void> {
  await page.getByText('Memuat…').first().waitFor({ state: 'hidden' });
  if ((await page.locator('[role="alert"]').count()) > 0)
    throw new Error(`an error is shown: ${(await page.locator('[role="alert"]').first().textContent())?.trim()}`);
  await page.waitForTimeout(300);
}

main().then(
  (shots) => {
    for (const shot of shots) console.log(`${shot.file}  ${(shot.bytes / 1024).toFixed(0)} KB`);
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof ShotError ? error.message : ((error as Error).stack ?? String(error));
    console.error(`screenshots: ${message.split('\n')[0]}`);
    process.exit(1);
  },
);
