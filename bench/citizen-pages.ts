import { performance } from 'node:perf_hooks';
import type { Browser, BrowserContext } from 'playwright-core';
import { maxCounterFor, msPerCounter, type Solved, type Spread, solvedField, spreadOf } from './citizen-figures.js';
import { launchChromium } from './console-browser.js';
import { note, progress, step } from './progress.js';

/**
 * Issue 15's two promises to citizens, measured in headless Chromium against a ROLE=api server with
 * the default settings: the pages are "fast on a slow 3G connection" (/lapor, /lacak, and an
 * office's page embedding the chat widget, cold loads under DevTools' Slow 3G emulation against
 * the same loads unthrottled), and the proof-of-work costs "about a second on a low-end phone"
 * (the /lapor page's own script solving the server's real challenges with the CPU throttled as
 * Lighthouse throttles it, against the same solves unthrottled).
 */

/**
 * DevTools' "Slow 3G" preset (labelled "3G" since 2024; `Slow3GConditions` in devtools-frontend's
 * front_end/core/sdk/NetworkManager.ts): 400 ms RTT × 5 as the request latency, 500 kbit/s × 0.8
 * down and up. The latency is added to every request (sent → response headers), not per packet.
 */
export const SLOW_3G = {
  offline: false,
  latency: 400 * 5,
  downloadThroughput: ((500 * 1000) / 8) * 0.8,
  uploadThroughput: ((500 * 1000) / 8) * 0.8,
  connectionType: 'cellular3g',
} as const;

/**
 * CPU slowdowns: Lighthouse's mobile default (`cpuSlowdownMultiplier: 4` of `mobileSlow4G`,
 * core/config/constants.js; DevTools' "mid-tier mobile"), and DevTools' "low-tier mobile" (6).
 * Both are relative to this machine's CPU, whatever its speed and load.
 */
export const CPU_RATES = [
  { rate: 1, label: 'unthrottled (this machine)' },
  { rate: 4, label: '4x (Lighthouse mobile, mid-tier)' },
  { rate: 6, label: '6x (DevTools low-tier mobile)' },
] as const;
/** The rate the minimum is checked at. */
export const PHONE_RATE = 4;

export const PAGES_MINIMUMS = {
  /** Alex Russell, "Can You Afford It?" (2017): first-load TTI under 5 s at 400 kbit/s, 400 ms RTT. */
  usableMs: 5000,
  /** The same budget's critical-path resources for such a link: ~130–170 KB. */
  wireKb: 170,
  /** The issue's "about a second", with room for a busy machine: p50 at the phone's rate. */
  powP50Ms: 1500,
  powIntendedMs: 1000,
};

/** A small phone's screen, as the form's browser test uses (test/web/report-form-browser.test.ts). */
const PHONE_VIEWPORT = { width: 360, height: 740 };
/**
 * The widget's frame (on our origin) shares the office page's process, as it does on Chrome for
 * Android, which isolates only sites people log into; with desktop Chromium's strict site
 * isolation the frame's own requests would bypass the page's DevTools network emulation.
 */
const SAME_PROCESS_FRAMES = ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'];
/** A load is over once nothing has been in flight for this long (after the load event and the usable mark). */
const QUIET_MS = 1000;
const LOAD_TIMEOUT_MS = 90_000;

export type PageName = 'lapor' | 'lacak' | 'widget';

export interface CitizenPage {
  name: PageName;
  label: string;
  url: string;
  /** What "usable" means on it, for the report. */
  usable: string;
}

export function citizenPages(baseUrl: string, officePageUrl: string): CitizenPage[] {
  return [
    { name: 'lapor', label: '/lapor', url: `${baseUrl}/lapor`, usable: 'the form and its send button, enabled' },
    { name: 'lacak', label: '/lacak', url: `${baseUrl}/lacak`, usable: 'the tracking form and its button' },
    {
      name: 'widget',
      label: 'office page + chat widget',
      url: officePageUrl,
      usable: "the widget's launcher button",
    },
  ];
}

/**
 * Runs in every page before its own scripts (a string: tsx would wrap a named function in a
 * helper the page does not have). A MutationObserver looks for the page's usable element; once
 * it is in the DOM (and, for the form, enabled), the next frame is awaited (requestAnimationFrame,
 * then a task): the time after that frame, which cannot come before the render-blocking style
 * sheet, is "usable", on the page's clock from the navigation's start.
 */
const USABLE_SCRIPT = `
(() => {
  const want = __WANT__;
  const marks = { foundAt: null, usableAt: null };
  window.__bench = marks;
  const find = () => {
    if (want === 'widget') {
      const host = document.querySelector('[data-satu-pintu-chat]');
      return host && host.shadowRoot ? host.shadowRoot.querySelector('button') : null;
    }
    const form = want === 'lapor' ? document.getElementById('report-form') : document.querySelector('form[action^="/lacak?"]');
    const button = form ? form.querySelector('button[type="submit"]') : null;
    return button && !button.disabled ? button : null;
  };
  const observer = new MutationObserver(() => {
    if (marks.foundAt !== null) return;
    const element = find();
    if (!element || element.getClientRects().length === 0) return;
    marks.foundAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { marks.usableAt = performance.now(); }, 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();
`;

interface Marks {
  foundAt: number | null;
  usableAt: number | null;
}

export interface PageLoad {
  usableMs: number;
  /** The load event's start, from the navigation's start. */
  loadMs: number;
  /** Bytes received from our server (encodedDataLength: headers and body as sent), and its responses. */
  wire: number;
  requests: number;
  /** Bytes from the office's own page (the widget's host), not counted in `wire`. */
  otherWire: number;
}

/** One cold load: a new browser context (empty cache, new connections), throttled or not. */
async function loadOnce(browser: Browser, page: CitizenPage, ourOrigin: string, throttled: boolean): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT });
  try {
    await context.addInitScript({ content: USABLE_SCRIPT.replace('__WANT__', () => JSON.stringify(page.name)) });
    const tab = await context.newPage();
    tab.setDefaultTimeout(LOAD_TIMEOUT_MS);
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    if (throttled) await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    const urls = new Map<string, string>();
    const inFlight = new Set<string>();
    let lastActivity = performance.now();
    let wire = 0;
    let otherWire = 0;
    let requests = 0;
    cdp.on('Network.requestWillBeSent', (event) => {
      urls.set(event.requestId, event.request.url);
      inFlight.add(event.requestId);
      lastActivity = performance.now();
    });
    cdp.on('Network.loadingFinished', (event) => {
      inFlight.delete(event.requestId);
      lastActivity = performance.now();
      const url = new URL(urls.get(event.requestId) ?? 'about:blank');
      if (url.pathname === '/favicon.ico') return; // the browser's own guess, after the load; not always made
      if (url.origin === ourOrigin) {
        wire += event.encodedDataLength;
        requests += 1;
      } else otherWire += event.encodedDataLength;
    });
    cdp.on('Network.loadingFailed', (event) => {
      inFlight.delete(event.requestId);
      lastActivity = performance.now();
    });
    await tab.goto(page.url, { waitUntil: 'load' });
    await tab.waitForFunction(() => (window as unknown as { __bench: Marks }).__bench.usableAt !== null);
    const deadline = performance.now() + LOAD_TIMEOUT_MS;
    while (inFlight.size > 0 || performance.now() - lastActivity < QUIET_MS) {
      if (performance.now() > deadline) throw new Error(`${page.label}: still loading after ${LOAD_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (problems.length > 0) throw new Error(`${page.label} failed: ${problems.join('; ')}`);
    const marks = await tab.evaluate(() => ({
      usableAt: (window as unknown as { __bench: Marks }).__bench.usableAt,
      loadAt: (window.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
        ?.loadEventStart,
    }));
    return { usableMs: marks.usableAt!, loadMs: marks.loadAt ?? Number.NaN, wire, requests, otherWire };
  } finally {
    await context.close();
  }
}

export interface PageFigures {
  page: CitizenPage;
  slow3g: PageLoadFigures;
  baseline: PageLoadFigures;
}

export interface PageLoadFigures {
  usable: Spread;
  load: Spread;
  /** The median load's bytes and responses from our server, and from the office's page. */
  wire: number;
  requests: number;
  otherWire: number;
}

function figuresOf(loads: PageLoad[]): PageLoadFigures {
  const median = (pick: (load: PageLoad) => number) => spreadOf(loads.map(pick)).p50;
  return {
    usable: spreadOf(loads.map((load) => load.usableMs)),
    load: spreadOf(loads.map((load) => load.loadMs)),
    wire: median((load) => load.wire),
    requests: median((load) => load.requests),
    otherWire: median((load) => load.otherWire),
  };
}

/** `loads` cold loads of each page on Slow 3G and as many unthrottled, interleaved. */
export async function measurePageLoads(
  browser: Browser,
  pages: CitizenPage[],
  ourOrigin: string,
  loads: number,
): Promise<PageFigures[]> {
  const slow = new Map<PageName, PageLoad[]>(pages.map((page) => [page.name, []]));
  const fast = new Map<PageName, PageLoad[]>(pages.map((page) => [page.name, []]));
  // One unthrottled load of each first, not counted: the server's first answers (its form
  // secrets read, code paths compiled) are no citizen's cold load.
  for (const page of pages) await loadOnce(browser, page, ourOrigin, false);
  const shown = progress('cold loads', loads * pages.length * 2);
  let done = 0;
  for (let index = 0; index < loads; index += 1) {
    for (const page of pages) {
      fast.get(page.name)!.push(await loadOnce(browser, page, ourOrigin, false));
      const throttled = await loadOnce(browser, page, ourOrigin, true);
      slow.get(page.name)!.push(throttled);
      done += 2;
      shown.update(done);
      if (index === 0)
        note(
          `${page.label} on Slow 3G: usable at ${throttled.usableMs.toFixed(0)} ms, ${(throttled.wire / 1024).toFixed(1)} KB`,
        );
    }
  }
  return pages.map((page) => ({
    page,
    slow3g: figuresOf(slow.get(page.name)!),
    baseline: figuresOf(fast.get(page.name)!),
  }));
}

export interface SolveRun extends Solved {
  /** The page's clock when the bench saw the answer in the field: navigation start → solved. */
  solvedAtMs: number;
}

export interface RateFigures {
  rate: number;
  label: string;
  solves: SolveRun[];
  time: Spread;
  solvedAt: Spread;
  counter: Spread;
  msPerCounter: number;
}

export interface ProofOfWorkFigures {
  rates: RateFigures[];
  maxCounter: number;
  /** WEB_POW_MAX_COUNTER that would put the phone rate's p50 at the intended second. */
  suggested: number;
}

/** One fresh /lapor (a new challenge) in a tab of `context` with the CPU slowed `rate` times. */
async function solveOnce(context: BrowserContext, url: string, rate: number): Promise<SolveRun> {
  const tab = await context.newPage();
  try {
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    await tab.goto(url);
    const handle = await tab.waitForFunction(
      () => {
        const field = document.querySelector('#report-form input[name="altcha"]') as HTMLInputElement | null;
        return field && field.value !== '' ? { value: field.value, at: performance.now() } : null;
      },
      undefined,
      { polling: 50, timeout: 120_000 },
    );
    const answer = (await handle.jsonValue())!;
    if (problems.length > 0) throw new Error(`/lapor failed: ${problems.join('; ')}`);
    return { ...solvedField(answer.value), solvedAtMs: answer.at };
  } finally {
    await tab.close();
  }
}

/** `challenges` challenges solved at each CPU rate, interleaved (one of each rate in turn). */
export async function measureProofOfWork(
  browser: Browser,
  baseUrl: string,
  challenges: number,
  maxCounter: number,
): Promise<ProofOfWorkFigures> {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT });
  try {
    await solveOnce(context, `${baseUrl}/lapor`, 1); // a warm-up, not counted
    const runs = new Map<number, SolveRun[]>(CPU_RATES.map(({ rate }) => [rate, []]));
    const shown = progress('challenges solved', challenges * CPU_RATES.length);
    for (let index = 0; index < challenges; index += 1) {
      for (const { rate } of CPU_RATES) runs.get(rate)!.push(await solveOnce(context, `${baseUrl}/lapor`, rate));
      shown.update((index + 1) * CPU_RATES.length);
    }
    const rates = CPU_RATES.map(({ rate, label }) => {
      const solves = runs.get(rate)!;
      return {
        rate,
        label,
        solves,
        time: spreadOf(solves.map((solve) => solve.timeMs)),
        solvedAt: spreadOf(solves.map((solve) => solve.solvedAtMs)),
        counter: spreadOf(solves.map((solve) => solve.counter)),
        msPerCounter: msPerCounter(solves),
      };
    });
    const phone = rates.find((figures) => figures.rate === PHONE_RATE)!;
    return { rates, maxCounter, suggested: maxCounterFor(PAGES_MINIMUMS.powIntendedMs, phone.msPerCounter) };
  } finally {
    await context.close();
  }
}

export interface CitizenFigures {
  pages: PageFigures[];
  loads: number;
  pow: ProofOfWorkFigures;
  maxCounterSource: string;
}

/** Both figures with one browser (the widget's frame in the page's process, see SAME_PROCESS_FRAMES). */
export async function measureCitizen(
  baseUrl: string,
  officePageUrl: string,
  options: { loads: number; challenges: number; maxCounter: number; maxCounterSource: string },
): Promise<CitizenFigures> {
  const browser = await step('launch Chromium', () => launchChromium(SAME_PROCESS_FRAMES));
  try {
    const pages = await step(
      `citizen-pages: ${options.loads} cold loads of each page on Slow 3G, ${options.loads} unthrottled`,
      () => measurePageLoads(browser, citizenPages(baseUrl, officePageUrl), baseUrl, options.loads),
      (figures) => figures.map((each) => `${each.page.name} ${each.slow3g.usable.max.toFixed(0)} ms max`).join(', '),
    );
    const pow = await step(
      `proof-of-work: ${options.challenges} challenges at each CPU rate (${CPU_RATES.map(({ rate }) => `${rate}x`).join(', ')})`,
      () => measureProofOfWork(browser, baseUrl, options.challenges, options.maxCounter),
      (figures) =>
        `p50 at ${PHONE_RATE}x ${figures.rates.find((each) => each.rate === PHONE_RATE)!.time.p50.toFixed(0)} ms`,
    );
    return { pages, loads: options.loads, pow, maxCounterSource: options.maxCounterSource };
  } finally {
    await browser.close();
  }
}

const ms = (value: number) => value.toFixed(0).padStart(9);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(1)}x`.padStart(8);

export function printCitizen(figures: CitizenFigures, database: string): void {
  const { pages, pow } = figures;
  console.log('');
  console.log(
    `citizen pages (issue 15): ROLE=api on ${database}, default settings; headless Chromium (/usr/bin/chromium), ${PHONE_VIEWPORT.width}x${PHONE_VIEWPORT.height}, each load in a new context (cold cache, new connections), the widget's frame in the page's process`,
  );
  console.log(
    `  Slow 3G: DevTools' preset (now labelled "3G"): ${SLOW_3G.latency} ms latency per request, ${SLOW_3G.downloadThroughput.toLocaleString('en')} B/s down and up (400 kbit/s); CPU not throttled. Baseline: the same loads unthrottled, interleaved. ${figures.loads} loads each`,
  );
  console.log(`  ${'page, network'.padEnd(44)}usable p50   usable max    p50 ratio   load p50   our bytes (responses)`);
  for (const { page, slow3g, baseline } of pages) {
    for (const [name, load] of [
      ['Slow 3G', slow3g],
      ['unthrottled', baseline],
    ] as const) {
      const other = load.otherWire > 0 ? `; the office's page ${kb(load.otherWire)}` : '';
      console.log(
        `  ${`${page.label}, ${name}`.padEnd(44)}${ms(load.usable.p50)}${ms(load.usable.max)}   ${name === 'Slow 3G' ? ratio(slow3g.usable.p50, baseline.usable.p50) : ''.padStart(8)}  ${ms(load.load.p50)}   ${kb(load.wire)} (${load.requests})${other}`,
      );
    }
  }
  console.log(
    `  usable: the page's clock after the first frame that shows ${pages.map(({ page }) => `${page.usable} (${page.label})`).join('; ')}. Bytes: all our server sent until nothing was in flight for ${QUIET_MS} ms after the load event (the widget: its loader, then its frame and the frame's script and style)`,
  );

  console.log('');
  console.log(
    `proof of work: /lapor's own script (web/citizen/form.ts: altcha-lib solveChallenge, WebCrypto SHA-256) solving the page's challenge; WEB_POW_MAX_COUNTER=${pow.maxCounter} (${figures.maxCounterSource}); ${pow.rates[0]?.solves.length ?? 0} challenges per CPU rate, interleaved; solve time is the solver's own (first hash → match)`,
  );
  console.log(
    `  ${'CPU (Emulation.setCPUThrottlingRate)'.padEnd(36)}solve p50   p90      max     ratio   ms/1,000 counters  counter p50   navigation → solved p50`,
  );
  const base = pow.rates.find((each) => each.rate === 1)!;
  for (const each of pow.rates) {
    console.log(
      `  ${each.label.padEnd(36)}${ms(each.time.p50)}${ms(each.time.p90)}${ms(each.time.max)}  ${each.rate === 1 ? ''.padStart(8) : ratio(each.time.p50, base.time.p50)}  ${(each.msPerCounter * 1000).toFixed(1).padStart(17)}  ${each.counter.p50.toFixed(0).padStart(11)}  ${ms(each.solvedAt.p50)}`,
    );
  }
  const phone = pow.rates.find((each) => each.rate === PHONE_RATE)!;
  console.log(
    `  for comparison, ${PHONE_RATE} × the unthrottled p50: ${(PHONE_RATE * base.time.p50).toFixed(0)} ms (emulated at ${PHONE_RATE}x: ${phone.time.p50.toFixed(0)} ms)`,
  );
  console.log(
    `  WEB_POW_MAX_COUNTER for a ${PAGES_MINIMUMS.powIntendedMs} ms p50 at ${PHONE_RATE}x on this machine: ~${pow.suggested.toLocaleString('en')} (now ${pow.maxCounter.toLocaleString('en')}); a suggestion, not applied`,
  );
}

export function citizenMinimums(figures: CitizenFigures): string[] {
  const verdict = (met: boolean) => (met ? 'MET    ' : 'NOT MET');
  const limit = PAGES_MINIMUMS;
  const lines = figures.pages.map(
    ({ page, slow3g }) =>
      `  ${verdict(slow3g.usable.max <= limit.usableMs)}  ${page.label} usable on Slow 3G <= ${limit.usableMs} ms (max of ${slow3g.usable.count} cold loads): ${slow3g.usable.max.toFixed(0)} ms`,
  );
  const heaviest = Math.max(...figures.pages.map(({ slow3g }) => slow3g.wire));
  lines.push(
    `  ${verdict(heaviest <= limit.wireKb * 1024)}  each page's first load <= ${limit.wireKb} KB on the wire from our server: ${figures.pages.map(({ page, slow3g }) => `${page.label} ${kb(slow3g.wire)}`).join(', ')}`,
  );
  const phone = figures.pow.rates.find((each) => each.rate === PHONE_RATE)!;
  const intent =
    phone.time.p50 < limit.powIntendedMs / 2
      ? `; under half the intended ${limit.powIntendedMs} ms: the challenge could cost more`
      : '';
  lines.push(
    `  ${verdict(phone.time.p50 <= limit.powP50Ms)}  proof of work p50 <= ${limit.powP50Ms} ms at ${PHONE_RATE}x CPU (${phone.time.count} challenges, WEB_POW_MAX_COUNTER=${figures.pow.maxCounter}): ${phone.time.p50.toFixed(0)} ms${intent}`,
  );
  return lines;
}
