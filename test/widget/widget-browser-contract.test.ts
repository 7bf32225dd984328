import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import type { Frame, Page } from 'playwright-core';
import { buildWidget } from '../../web/build.mjs';
import { securityHeaders } from '../../src/http/security-headers.js';
import { widgetRoutes } from '../../src/http/widget-route.js';
import { launchBrowser, type TestBrowser } from '../console/browser.js';
import { type ChatContractFake, startChatContractFake } from '../support/chat-contract-fake.js';
import { waitFor } from '../support/wait-for.js';
import { type HostPage, startHostPage } from './host-page.js';

const axeSource = readAxe();
function readAxe(): string {
  return fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
}

/**
 * The widget in Chromium, embedded by an office's page on another origin, against a server that
 * keeps the chat API's contract and whose faults the test switches (a refused stream, a network
 * gone): what the widget does on its own side. The same widget against the real server is in
 * widget-browser.test.ts.
 */
describe('chat widget in the browser, against the contract', function () {
  this.timeout(90_000);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-widget-'));
  let fake: ChatContractFake;
  let host: HostPage;
  let browser: TestBrowser;
  let page: Page;
  let frame: Frame;
  let widget: RequestHandler;
  const problems: string[] = [];

  before(async () => {
    await buildWidget(outDir);
    widget = (_request, _response, next) => next();
    const app = express();
    app.use(securityHeaders());
    app.use((request, response, next) => widget(request, response, next));
    fake = await startChatContractFake(app);
    host = await startHostPage(() => fake.url);
    widget = widgetRoutes({ publicUrl: fake.url, allowedOrigins: [host.origin], directory: outDir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await fake?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  async function openHost(url = host.url): Promise<Page> {
    const opened = await browser.context.newPage();
    opened.setDefaultTimeout(20_000);
    opened.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    opened.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await opened.goto(url);
    return opened;
  }

  async function chatFrame(target: Page): Promise<Frame> {
    return waitFor('the chat frame', () => target.frames().find((each) => each.url().includes('/chat/frame')));
  }

  async function seriousViolations(target: Frame): Promise<string[]> {
    await target.evaluate(axeSource);
    return target.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string }[] }> } }
      ).axe;
      const { violations } = await axe.run();
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
    });
  }

  it('adds a launcher to the office page without a global, a style element or the page styles', async () => {
    const plain = await openHost(host.plainUrl);
    const own = await plain.evaluate(() => Object.getOwnPropertyNames(window));
    await plain.close();
    page = await openHost();
    const launcher = page.getByRole('button', { name: 'Buka obrolan dengan petugas' });
    await launcher.waitFor();
    const added = await page.evaluate((before) => {
      const known = new Set(before);
      return Object.getOwnPropertyNames(window).filter((name) => !known.has(name));
    }, own);
    expect(added, 'globals the loader left').to.deep.equal([]);
    expect(await page.evaluate(() => document.querySelectorAll('style').length)).to.equal(0);
    // The page's `button { background: red !important }` does not reach the launcher.
    expect(await launcher.evaluate((button) => getComputedStyle(button).backgroundColor)).to.equal('rgb(11, 92, 173)');
    expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
    frame = await chatFrame(page);
    expect(new URL(frame.url()).origin).to.equal(fake.url);
  });

  it('opens the chat, starts a session and sends a message whose markup shows as text', async () => {
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
    expect(await page.getByRole('button', { name: 'Tutup obrolan' }).first().getAttribute('aria-expanded')).to.equal(
      'true',
    );
    expect(await seriousViolations(frame), 'the start form').to.deep.equal([]);
    await frame.getByLabel('Nama').fill('Budi Santoso');
    await frame.getByLabel('Email (opsional)').fill('budi@example.com');
    await frame.getByRole('button', { name: 'Mulai obrolan' }).click();
    const composer = frame.getByLabel('Tulis pesan');
    await composer.waitFor();
    expect(await frame.evaluate(() => document.activeElement?.id)).to.equal('chat-composer');
    const markup = '<img src=x onerror="document.title=1"><script>alert(1)</script> halo';
    await composer.fill(markup);
    await composer.press('Enter');
    await frame.locator('.message.inbound:not(.pending) .text').getByText(markup, { exact: true }).waitFor();
    expect(fake.posts.map((post) => post.text)).to.deep.equal([markup]);
    expect(await frame.locator('.messages img, .messages script').count()).to.equal(0);
  });

  it('shows the agent typing, the answer live, and the read mark', async () => {
    fake.typing();
    await frame.getByText('Petugas sedang mengetik…').waitFor();
    fake.agentSays('Halo <b>Budi</b>, ada yang bisa dibantu?');
    await frame.getByText('Halo <b>Budi</b>, ada yang bisa dibantu?', { exact: true }).waitFor();
    expect(await frame.locator('.messages b').count()).to.equal(0);
    await frame.locator('.message.outbound .author').getByText('Sari').waitFor();
    expect(await frame.getByText('Petugas sedang mengetik…').count()).to.equal(0);
    fake.read(1);
    await frame.locator('.message.inbound .state').getByText('Dibaca').waitFor();
    await waitFor('the visitor read mark', () => fake.reads.includes(2));
  });

  it('comes back from the network going away and shows what was said meanwhile', async () => {
    // Chromium's offline mode fails new requests only: the open stream is cut as a network would.
    await browser.context.setOffline(true);
    try {
      fake.dropStreams();
      await frame.getByText('Sambungan terputus. Menyambung kembali…').waitFor();
      fake.agentSays('Pesan saat Anda luring');
      const composer = frame.getByLabel('Tulis pesan');
      await composer.fill('ditulis saat luring');
      await composer.press('Enter');
      await frame.getByText('Belum terkirim. Mencoba lagi…').waitFor();
    } finally {
      await browser.context.setOffline(false);
    }
    await frame.getByText('Pesan saat Anda luring', { exact: true }).waitFor({ timeout: 15_000 });
    await frame.locator('.message.inbound:not(.pending)').getByText('ditulis saat luring').waitFor();
    const clientIds = new Set(fake.posts.filter((post) => post.text === 'ditulis saat luring').map((p) => p.clientId));
    expect(clientIds.size, 'one clientId over the retries').to.equal(1);
    expect(fake.messages.filter((message) => message.text === 'ditulis saat luring')).to.have.length(1);
  });

  it('says when the office is closed and takes a message instead', async () => {
    fake.open = false;
    fake.dropStreams(); // the next stream opens with the office's status
    await frame.getByRole('heading', { name: 'Di luar jam layanan' }).waitFor();
    expect(await seriousViolations(frame), 'the away notice').to.deep.equal([]);
    const composer = frame.getByLabel('Tinggalkan pesan');
    await composer.fill('Mohon dihubungi besok pagi');
    await composer.press('Enter');
    await frame.locator('.message.inbound:not(.pending)').getByText('Mohon dihubungi besok pagi').waitFor();
    fake.open = true;
    fake.dropStreams();
    await frame.getByLabel('Tulis pesan').waitFor();
    expect(await frame.getByRole('heading', { name: 'Di luar jam layanan' }).count()).to.equal(0);
  });

  it('falls back to long polling when the stream is refused', async () => {
    fake.faults.stream = 'refused';
    fake.dropStreams();
    await waitFor('long polls', () => fake.pollRequests.some((query) => query.includes('wait=')), 20_000);
    fake.agentSays('Lewat long poll');
    await frame.getByText('Lewat long poll', { exact: true }).waitFor();
    fake.faults.stream = 'ok';
  });

  it('has no serious accessibility violation in the frame, and Escape gives the focus back to the launcher', async () => {
    expect(await seriousViolations(frame)).to.deep.equal([]);
    await frame.getByLabel('Tulis pesan').press('Escape');
    const launcher = page.getByRole('button', { name: 'Buka obrolan dengan petugas' });
    await launcher.waitFor();
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-satu-pintu-chat'))).to.equal(true);
    expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
    // Closed, an answer shows on the launcher as unread.
    fake.agentSays('Masih ada pertanyaan?');
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas (1)' }).waitFor();
  });

  it('keeps working where the browser refuses the frame any storage, for as long as the page stays', async () => {
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
    // Chromium blocks third-party storage (as Safari and private windows do): the frame keeps the
    // session in memory, so a reload of the office's page starts over.
    expect(await frame.evaluate(() => navigator.cookieEnabled && !!window.localStorage).catch(String)).to.match(
      /Access is denied/,
    );
    await frame.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await frame.getByLabel('Write a message').waitFor();
    await frame.getByRole('button', { name: 'Email me the transcript' }).click();
    await frame.getByText('The transcript was sent to your email.').waitFor();
  });

  it('takes the whole screen of a small phone', async () => {
    await page.setViewportSize({ width: 360, height: 640 });
    const box = await page.locator('[data-satu-pintu-chat] iframe').boundingBox();
    expect(box).to.deep.include({ x: 0, y: 0, width: 360, height: 640 });
    await frame.getByRole('button', { name: 'Close the chat' }).click();
    await page.getByRole('button', { name: 'Buka obrolan dengan petugas' }).waitFor();
    expect(problems).to.deep.equal([]);
  });

  it('is refused by the browser on an office site not allowed, and opens in English where the tag asks', async () => {
    const english = await startHostPage(() => fake.url, 'en');
    try {
      // Not yet among the allowed origins: the browser refuses to show our frame in its page.
      const refused = await openHost(english.url);
      await refused.getByRole('button', { name: 'Open a chat with our staff' }).click();
      await waitFor('the frame refused', () => refused.frames().some((each) => each.url().startsWith('chrome-error:')));
      expect(refused.frames().some((each) => each.url().includes('/chat/frame'))).to.equal(false);
      await refused.close();
      // The refusal is on the console, rightly; nothing else may be.
      problems.splice(0, problems.length, ...problems.filter((problem) => !/frame-ancestors/.test(problem)));
      widget = widgetRoutes({ publicUrl: fake.url, allowedOrigins: [host.origin, english.origin], directory: outDir });
      const office = await openHost(english.url);
      await office.getByRole('button', { name: 'Open a chat with our staff' }).click();
      const chat = await chatFrame(office);
      await chat.getByRole('heading', { name: 'Chat with our staff' }).waitFor();
      await chat.getByLabel('Name').waitFor();
      await office.close();
      expect(problems).to.deep.equal([]);
    } finally {
      await english.close();
    }
  });

  it('keeps the conversation over a reload in the frame storage where the browser allows it, none in the office page', async () => {
    const allowing = await launchBrowser({ thirdPartyStorage: true });
    try {
      const office = await allowing.context.newPage();
      office.setDefaultTimeout(20_000);
      await office.goto(host.url);
      await office.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
      let chat = await chatFrame(office);
      await chat.getByLabel('Nama').fill('Wati');
      await chat.getByRole('button', { name: 'Mulai obrolan' }).click();
      await chat.getByLabel('Tulis pesan').fill('Apakah izin reklame bisa daring?');
      await chat.getByLabel('Tulis pesan').press('Enter');
      await chat.locator('.message.inbound:not(.pending)').getByText('Apakah izin reklame bisa daring?').waitFor();
      await office.reload();
      await office.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
      chat = await chatFrame(office);
      await chat.getByText('Apakah izin reklame bisa daring?', { exact: true }).waitFor();
      expect(await chat.evaluate(() => Object.keys(localStorage))).to.include('satu-pintu.chat.session');
      expect(await office.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).to.deep.equal([
        0,
        0,
        '',
      ]);
      // A shared computer: the visitor ends the chat here, and the next person finds none.
      await chat.getByRole('button', { name: 'Akhiri obrolan di perangkat ini' }).click();
      await chat.getByText('Obrolan diakhiri di perangkat ini.', { exact: false }).waitFor();
      expect(await chat.evaluate(() => Object.keys(localStorage))).to.not.include('satu-pintu.chat.session');
      await office.reload();
      await office.getByRole('button', { name: 'Buka obrolan dengan petugas' }).click();
      chat = await chatFrame(office);
      await chat.getByLabel('Nama').waitFor();
      expect(await chat.getByText('Apakah izin reklame bisa daring?').count()).to.equal(0);
    } finally {
      await allowing.close();
    }
  });
});
