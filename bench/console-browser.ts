import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/console/browser.js';
import { percentile } from './stats.js';

/**
 * The console in Debian's Chromium (headless, through playwright-core), as test/console/ drives
 * it: what a first load transfers, how long the queue takes to show, and when a new ticket
 * appears in an open console. Times in the page come from a MutationObserver installed before the
 * console's own script runs (an init script), so they are the page's own clock: performance.now()
 * from the navigation's start, or Date.now() for what is compared with the bench's clock.
 */

export { CHROMIUM };
export const VIEWPORT = { width: 1366, height: 768 };
/** The console's session key (web/console/session.ts): a signed-in tab, without the login form. */
const SESSION_KEY = 'satu-pintu.session';

/** The login answer the console keeps in sessionStorage. */
export interface ConsoleSession {
  token: string;
  agent: unknown;
}

/** `extraFlags` after the usual ones (the citizen pages keep cross-site frames in the page's process). */
export async function launchChromium(extraFlags: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] });
}

/** Logs in through the API and answers what the console's login page would keep. */
export async function consoleSession(
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<ConsoleSession> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`login as ${credentials.email}: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as { token: string; agent: unknown };
  return { token: answer.token, agent: answer.agent };
}

interface Marks {
  /** performance.now() (since the navigation started) when the first queue row was in the DOM. */
  firstRowAt: number | null;
  /** When the view's button was clicked, and when the row expected first in that view appeared. */
  clickedAt: number | null;
  viewAt: number | null;
  /** Date.now() at which each ticket id first had a row in the queue. */
  seen: Record<string, number>;
}

interface Watch {
  session: string;
  /** Which button of the queue's views to press as soon as it is there (0 mine, 1 waiting, 2 all). */
  clickView: number | null;
  /** The ticket id that the pressed view shows first: its row appearing is "the view rendered". */
  expectFirst: number | null;
}

/**
 * Runs in the page before the console's script: the session stored, the observer installed. A
 * string, not a function: tsx (esbuild's keepNames) wraps named functions in a helper the page
 * does not have.
 */
const WATCH_SCRIPT = `
(() => {
  const watch = __WATCH__;
  sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, watch.session);
  const marks = { firstRowAt: null, clickedAt: null, viewAt: null, seen: {} };
  window.__bench = marks;
  const look = () => {
    if (watch.clickView !== null && marks.clickedAt === null) {
      const button = document.querySelectorAll('nav.views button')[watch.clickView];
      if (button) {
        marks.clickedAt = performance.now();
        button.click();
      }
    }
    const rows = document.querySelectorAll('table.tickets tbody tr[data-ticket-id]');
    if (rows.length === 0) return;
    if (marks.firstRowAt === null) marks.firstRowAt = performance.now();
    if (marks.viewAt === null && marks.clickedAt !== null && rows[0].dataset.ticketId === String(watch.expectFirst))
      marks.viewAt = performance.now();
    const now = Date.now();
    for (const row of rows) if (!(row.dataset.ticketId in marks.seen)) marks.seen[row.dataset.ticketId] = now;
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
})();
`;

async function watchedPage(context: BrowserContext, session: ConsoleSession, watch: Omit<Watch, 'session'>) {
  const settings: Watch = { ...watch, session: JSON.stringify(session) };
  await context.addInitScript({ content: WATCH_SCRIPT.replace('__WATCH__', () => JSON.stringify(settings)) });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return { page, problems };
}

const marksOf = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);

export interface Transfer {
  url: string;
  type: string;
  /** Bytes received for the response (CDP Network.loadingFinished encodedDataLength: headers and body as sent). */
  wire: number;
  /** The body's size as received, and gzipped here (what a compressing server or proxy would send). */
  body: number;
  gzipped: number;
  encoding: string;
}

export interface FirstLoad {
  transfers: Transfer[];
  /** JS + CSS: the budget's figures. */
  assets: { wire: number; body: number; gzipped: number; encoding: string };
  total: { wire: number; requests: number };
}

/**
 * One cold load (a new browser context: empty cache) of the signed-in console up to the waiting
 * queue rendered; every response's size read from the browser through the DevTools protocol.
 */
export async function measureFirstLoad(
  browser: Browser,
  baseUrl: string,
  session: ConsoleSession,
  expectFirst: number,
): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const { page, problems } = await watchedPage(context, session, { clickView: 1, expectFirst });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const responses = new Map<string, { url: string; type: string; encoding: string }>();
    const finished = new Map<string, number>();
    cdp.on('Network.responseReceived', (event) => {
      const headers = Object.fromEntries(
        Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
      );
      responses.set(event.requestId, {
        url: event.response.url,
        type: event.type,
        encoding: headers['content-encoding'] ?? 'none',
      });
    });
    cdp.on('Network.loadingFinished', (event) => finished.set(event.requestId, event.encodedDataLength));
    await page.goto(`${baseUrl}/console`);
    await page.waitForFunction(() => (window as unknown as { __bench: Marks }).__bench.viewAt !== null);
    if (problems.length > 0) throw new Error(`the console failed: ${problems.join('; ')}`);
    const transfers: Transfer[] = [];
    for (const [requestId, wire] of finished) {
      const response = responses.get(requestId);
      if (!response) continue;
      const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId });
      const bytes = Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
      transfers.push({ ...response, wire, body: bytes.length, gzipped: gzipSync(bytes).length });
    }
    const assets = transfers.filter((transfer) => transfer.type === 'Script' || transfer.type === 'Stylesheet');
    const sum = (list: Transfer[], pick: (transfer: Transfer) => number) =>
      list.reduce((total, transfer) => total + pick(transfer), 0);
    return {
      transfers,
      assets: {
        wire: sum(assets, (transfer) => transfer.wire),
        body: sum(assets, (transfer) => transfer.body),
        gzipped: sum(assets, (transfer) => transfer.gzipped),
        encoding: [...new Set(assets.map((transfer) => transfer.encoding))].join(', '),
      },
      total: { wire: sum(transfers, (transfer) => transfer.wire), requests: transfers.length },
    };
  } finally {
    await context.close();
  }
}

export interface Timing {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export const timingOf = (values: number[]): Timing => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
};

export interface RenderTimes {
  /** Navigation start → the first row of the landing view (the agent's own tickets). */
  landing: Timing;
  /** Navigation start → the waiting view's first row, its button pressed as soon as it was shown. */
  waiting: Timing;
}

/** `loads` cold loads of each kind, one after the other, each in a new context (empty cache). */
export async function measureRenders(
  browser: Browser,
  baseUrl: string,
  session: ConsoleSession,
  expectFirst: number,
  loads: number,
): Promise<RenderTimes> {
  const landing: number[] = [];
  const waiting: number[] = [];
  for (let index = 0; index < loads * 2; index += 1) {
    const toWaiting = index % 2 === 1;
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const { page, problems } = await watchedPage(context, session, {
        clickView: toWaiting ? 1 : null,
        expectFirst: toWaiting ? expectFirst : null,
      });
      await page.goto(`${baseUrl}/console`);
      await page.waitForFunction((toWaiting) => {
        const marks = (window as unknown as { __bench: Marks }).__bench;
        return toWaiting ? marks.viewAt !== null : marks.firstRowAt !== null;
      }, toWaiting);
      if (problems.length > 0) throw new Error(`the console failed: ${problems.join('; ')}`);
      const marks = await marksOf(page);
      if (toWaiting) waiting.push(marks.viewAt!);
      else landing.push(marks.firstRowAt!);
    } finally {
      await context.close();
    }
  }
  return { landing: timingOf(landing), waiting: timingOf(waiting) };
}

export interface OpenConsole {
  /** Date.now() in the page at which each ticket id first had a row in the queue. */
  seen(): Promise<Record<string, number>>;
  /** Requests the page has made for its list (GET /api/v1/tickets) since it opened. */
  listRequests(): number;
  close(): Promise<void>;
}

/**
 * A signed-in console left open on the "all tickets" view (newest first: where a new ticket shows
 * at the top; the waiting view lists in routing order, so a new ticket joins the end of 10,000).
 */
export async function openConsoleOnAll(
  browser: Browser,
  baseUrl: string,
  session: ConsoleSession,
  expectFirst: number,
): Promise<OpenConsole> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const { page, problems } = await watchedPage(context, session, { clickView: 2, expectFirst });
  await page.goto(`${baseUrl}/console`);
  await page.waitForFunction(() => (window as unknown as { __bench: Marks }).__bench.viewAt !== null);
  let listRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/tickets') listRequests += 1;
  });
  return {
    listRequests: () => listRequests,
    async seen() {
      if (problems.length > 0) throw new Error(`the console failed: ${problems.join('; ')}`);
      return (await marksOf(page)).seen;
    },
    close: () => context.close(),
  };
}
