import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo -- --once`, as a child process on the Redis of REDIS_URL. */
function runDemo(): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  // Free ports and the demo's own administrator, whatever the shell running the tests has set.
  for (const name of ['PORT', 'SMTP_PORT', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run.ts', '--once'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DELIVERED = /^ {3}→ (SMS|WhatsApp|email) to (\S+): (.*)$/gm;
const TICKET = /^ {3}✓ ticket (SP-\d{3}-\d{3}-\d{3}) \((\w+)\)/gm;
/** "sms 6, whatsapp 3, email 2" → { sms: 6, whatsapp: 3, email: 2 } */
const counts = (list: string) =>
  Object.fromEntries(list.split(', ').map((entry) => [entry.split(' ')[0], Number(entry.split(' ')[1])]));

describe('npm run demo -- --once', function () {
  this.timeout(180_000);
  let run: Run;
  let output: string;

  before(async () => {
    run = await runDemo();
    output = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
  });

  it('plays the morning and exits 0', () => {
    expect(run.code, output).to.equal(0);
  });

  it('opens a ticket on each channel, each acknowledged with its reference through a stand-in', () => {
    const delivered = [...run.stdout.matchAll(DELIVERED)].map(([, channel, to, text]) => ({ channel, to, text }));
    const tickets = [...run.stdout.matchAll(TICKET)].map(([, reference, channel]) => ({ reference, channel }));
    // Voice callers are acknowledged by SMS.
    const ackChannel: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'email', voice: 'SMS' };
    for (const channel of ['sms', 'whatsapp', 'email', 'voice']) {
      const acknowledged = tickets.filter(
        (ticket) =>
          ticket.channel === channel &&
          delivered.some((item) => item.channel === ackChannel[channel] && item.text!.includes(ticket.reference!)),
      );
      expect(acknowledged, `an acknowledged ${channel} ticket\n${output}`).to.not.be.empty;
    }
  });

  it('prints exactly what the stand-ins received, and the API lists tickets on every channel', () => {
    const received = /received by the stand-ins: (.+)$/m.exec(run.stdout);
    const listed = /tickets by channel \(GET \/api\/v1\/tickets\): (.+)$/m.exec(run.stdout);
    expect(received, output).to.not.equal(null);
    expect(listed, output).to.not.equal(null);
    const printed: Record<string, number> = {};
    for (const [, channel] of run.stdout.matchAll(DELIVERED)) {
      const key = channel!.toLowerCase();
      printed[key] = (printed[key] ?? 0) + 1;
    }
    expect(counts(received![1]!)).to.deep.equal(printed);
    expect(printed.sms, 'SMS received by the Twilio stand-in').to.be.greaterThan(0);
    expect(printed.whatsapp, 'WhatsApp messages received by the Twilio stand-in').to.be.greaterThan(0);
    expect(printed.email, 'mails received by the SMTP relay').to.be.greaterThan(0);
    const byChannel = counts(listed![1]!);
    for (const channel of ['sms', 'whatsapp', 'email', 'voice']) expect(byChannel[channel], channel).to.be.above(0);
  });

  it('turns the abandoned call into a call-back task, and the WhatsApp citizen’s mail quoting the reference joins their ticket', () => {
    expect(run.stdout).to.match(/✓ call-back task #\d+ \(abandoned\) on ticket SP-\d{3}-\d{3}-\d{3}/);
    expect(run.stdout).to.match(/✓ the mail joined SP-\d{3}-\d{3}-\d{3}, now one ticket across whatsapp and email/);
  });

  it('prints the login, the URLs and curl commands, and leaves no database or queue behind', async () => {
    expect(run.stdout).to.match(/Administrator +\S+@\S+ \/ \S+/);
    expect(run.stdout).to.match(/OpenAPI document http:\/\/127\.0\.0\.1:\d+\/api\/openapi\.json/);
    expect(run.stdout).to.match(/TOKEN=\$\(curl -s \$BASE\/api\/v1\/auth\/login /);
    const removed = /Removed the demo's database \((.+)\) and its queues \((\S+):\*\)/.exec(run.stdout);
    expect(removed, output).to.not.equal(null);
    expect(fs.existsSync(removed![1]!)).to.equal(false);
    // The Redis the demo used: REDIS_URL, or the server's default.
    const redis = new Redis(loadConfig({ REDIS_URL: process.env.REDIS_URL || undefined }).REDIS_URL);
    try {
      const left: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${removed![2]}:*`, 'COUNT', 1000);
        left.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      expect(left).to.deep.equal([]);
    } finally {
      redis.disconnect();
    }
  });
});
