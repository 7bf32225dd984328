/**
 * A process of its own for measuring what inbound mail costs in memory: the SMTP listener with the
 * real email adapter and attachment store (the inbox stubbed), its resident memory sampled every
 * few milliseconds. Forked by test/email/smtp-listener-memory.test.ts, which sends the mail from
 * its own process, so that only the receiving side is measured. Messages over IPC:
 *   → { port }                       once listening
 *   ← { start: true } → { started }  baseline taken (after a full GC), sampling
 *   ← { stop: true }  → { growth }   peak RSS minus the baseline, in bytes
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { createEmailAdapter } from '../../channels/email/adapter.js';
import { AttachmentStore } from '../../src/messages/attachment-store.js';
import { startSmtpListener } from '../../src/mail/smtp-listener.js';
import type { InboxWriter } from '../../src/inbox/inbox-writer.js';
import { createLogger } from '../../src/logger.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const memoryMaxBytes = Number(process.env.PROBE_MEMORY_MAX_BYTES);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-memory-'));
const gc = (globalThis as { gc?: () => void }).gc;

const listener = await startSmtpListener(
  {
    db: {} as Knex,
    inbox: {
      record: async (envelopes: InboundEnvelope[]) =>
        envelopes.map((_, index) => ({ id: index + 1, duplicate: false })),
    } as unknown as InboxWriter,
    adapter: createEmailAdapter({ inboundAddresses: [HELPDESK], from: `Satu Pintu <${HELPDESK}>` }),
    store: new AttachmentStore({ dataDir, maxBytes: 10 * 1024 * 1024 }),
    logger: createLogger('silent'),
    now: () => new Date(),
  },
  {
    host: '127.0.0.1',
    port: 0,
    maxBytes: 25 * 1024 * 1024,
    memoryMaxBytes,
    inboundAddresses: [HELPDESK],
    replyDomains: [],
    spoolDir: path.join(dataDir, 'spool'),
  },
);

let baseline = 0;
let peak = 0;
let sampler: NodeJS.Timeout | undefined;
process.on('message', (message: { start?: boolean; stop?: boolean }) => {
  if (message.start) {
    gc?.();
    baseline = process.memoryUsage().rss;
    peak = baseline;
    sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    process.send!({ started: true });
  }
  if (message.stop) {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    process.send!({ growth: peak - baseline });
    void listener.close().finally(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.once('disconnect', () => process.exit(1)); // the test is gone: so is the probe
process.send!({ port: listener.port });
