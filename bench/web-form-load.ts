import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import autocannon from 'autocannon';
import type { Knex } from '../src/db/knex.js';
import { WEB_FORM_PROVIDER } from '../channels/web/form-envelope.js';
import type { LoadResult } from './load.js';
import { progress } from './progress.js';

/**
 * The web form's JSON twin under load (issue 15). Each request is its own form: its marks fetched
 * from GET /api/v1/public/submissions/form and its proof-of-work solved before the clock starts,
 * since the solving is the citizen's phone's cost, not the server's. The server under test runs
 * with WEB_RECEIPT_WAIT_MS=0, so its answer follows the durable inbox commit without waiting for
 * the ticket.
 */

const FORM_PATH = '/api/v1/public/submissions/form';
const SUBMIT_PATH = '/api/v1/public/submissions';
const TEXTS = [
  'Izin usaha saya belum selesai sudah tiga bulan, mohon ditindaklanjuti.',
  'Bagaimana syarat perpanjangan PBG untuk rumah tinggal?',
  'Petugas loket meminta biaya tambahan di luar ketentuan.',
  'Terima kasih, pelayanan perizinan sekarang jauh lebih cepat.',
];
const KINDS = ['complaint', 'information_request', 'complaint', 'appreciation'];

interface Marks {
  idempotencyKey: string;
  formToken: string;
  challenge: unknown;
}

/** One prepared submission: the JSON body and the key it is recorded under. */
export interface PreparedForm {
  key: string;
  body: string;
}

/**
 * `count` forms, `concurrency` at a time: the marks GET, the challenge solved in this process
 * (altcha-lib, as the page's script), and a new citizen's phone each. Bounded by count.
 */
export async function prepareForms(baseUrl: string, count: number, concurrency = 20): Promise<PreparedForm[]> {
  const base = Math.floor(Math.random() * 80_000_000);
  const forms: PreparedForm[] = new Array(count);
  const shown = progress('forms prepared', count);
  let next = 0;
  let done = 0;
  const prepareOne = async (index: number) => {
    const response = await fetch(baseUrl + FORM_PATH);
    if (!response.ok) throw new Error(`GET ${FORM_PATH}: ${response.status} ${await response.text()}`);
    const marks = ((await response.json()) as { data: Marks }).data;
    const challenge = marks.challenge as Parameters<typeof solveChallenge>[0]['challenge'];
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error('a form challenge was not solved (WEB_POW_MAX_COUNTER too high?)');
    const kind = KINDS[index % KINDS.length]!;
    forms[index] = {
      key: marks.idempotencyKey,
      body: JSON.stringify({
        key: marks.idempotencyKey,
        form_token: marks.formToken,
        altcha: Buffer.from(JSON.stringify({ challenge, solution })).toString('base64'),
        name: `Warga ${index}`,
        phone: `+62813${String(base + index).padStart(8, '0')}`,
        kind,
        ...(kind === 'complaint' ? { complaint_type: 'undue_delay' } : {}),
        text: TEXTS[index % TEXTS.length],
        lang: 'id',
      }),
    };
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let index = next++; index < count; index = next++) {
        await prepareOne(index);
        done += 1;
        shown.update(done);
      }
    }),
  );
  return forms;
}

export interface FormLoadResult extends LoadResult {
  /** Keys the server answered 202 for (recorded now, not a replay). */
  acceptedKeys: string[];
  /** 2xx answers that said replay (should be none: every form is new). */
  replays: number;
}

/**
 * Sends each prepared form once, `connections` at a time, as fast as the server answers
 * (autocannon `amount`: bounded by the forms prepared, not by time).
 */
export async function fireForms(baseUrl: string, forms: PreparedForm[], connections: number): Promise<FormLoadResult> {
  let next = 0;
  const acceptedKeys: string[] = [];
  let replays = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    amount: forms.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: SUBMIT_PATH,
        setupRequest(request) {
          const form = forms[next++ % forms.length]!; // amount stops autocannon at the last one
          return { ...request, headers: { ...request.headers, 'content-type': 'application/json' }, body: form.body };
        },
        onResponse(status, body) {
          if (status < 200 || status >= 300) return;
          try {
            const data = (JSON.parse(body) as { data?: { idempotencyKey?: string; replay?: boolean } }).data;
            if (data?.replay) replays += 1;
            else if (status === 202 && data?.idempotencyKey) acceptedKeys.push(data.idempotencyKey);
          } catch {
            // not JSON: counted by autocannon's status figures only
          }
        },
      },
    ],
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: result['2xx'],
    sent: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS: result.duration,
    acceptedKeys,
    replays,
  };
}

export interface FormDurability {
  accepted: number;
  /** Accepted keys with no inbox row: lost answers (should be 0). */
  missing: number;
  /** provider 'web' rows in the inbox, warm-up included. */
  rows: number;
}

/** Every accepted submission's key looked up among the inbox's web rows (after the server stopped). */
export async function checkFormsRecorded(db: Knex, acceptedKeys: string[]): Promise<FormDurability> {
  const recorded = new Set<string>(
    (await db('inbox').where({ provider: WEB_FORM_PROVIDER }).pluck('external_id')).map(String),
  );
  const missing = acceptedKeys.filter((key) => !recorded.has(key)).length;
  return { accepted: acceptedKeys.length, missing, rows: recorded.size };
}
