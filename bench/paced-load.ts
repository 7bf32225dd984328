import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult } from './load.js';
import { MESSAGING_PATH, SmsSequence, signTwilio } from './signed-sms.js';

/**
 * Signed SMS webhooks at an even, fixed rate: one request every 1000/rate ms, sent whether or not
 * earlier ones have been answered (open loop, as providers behave), latency measured per request.
 *
 * Why not autocannon's overallRate: its clients reset a per-second counter on a 1 s timer, so all
 * connections send their whole share back to back at the start of each second and then idle; and
 * with a rate set it corrects for coordinated omission with an expected interval of
 * Math.ceil(1 / rate) = 1 ms, which fills the histogram with synthetic 1..n ms samples. At 500/s
 * that measures bursts at full concurrency, not a steady 500/s.
 */
export async function firePaced(baseUrl: string, options: { rate: number; durationS: number }): Promise<LoadResult> {
  const target = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const sequence = new SmsSequence();
  const total = Math.round(options.rate * options.durationS);
  const latencies: number[] = [];
  let accepted = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const finish = () => {
      settled += 1;
      if (settled === total) resolve();
    };
    const send = () => {
      const form = sequence.nextForm();
      const body = new URLSearchParams(form).toString();
      const sentAt = performance.now();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: MESSAGING_PATH,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-twilio-signature': signTwilio(form),
          },
          timeout: 30_000,
        },
        (response) => {
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              accepted += 1;
              latencies.push(performance.now() - sentAt); // like autocannon: 2xx latencies only
            } else non2xx += 1;
            finish();
          });
        },
      );
      request.once('timeout', () => request.destroy(new Error('timeout')));
      request.once('error', () => {
        errors += 1;
        finish();
      });
      request.end(body);
    };
    // Timers fire every ~1 ms at best; each tick sends whatever the schedule says is due by now.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
      while (sent < due) {
        sent += 1;
        send();
      }
      if (sent === total) clearInterval(timer);
    }, 1);
  });
  const durationS = (performance.now() - start) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? Number.NaN;
  return {
    rps: settled / durationS,
    p50: percentile(50),
    p99: percentile(99),
    accepted,
    sent,
    non2xx,
    errors,
    durationS,
  };
}
