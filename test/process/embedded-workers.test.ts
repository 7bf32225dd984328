import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import twilio from 'twilio';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import { freePort } from '../support/free-port.js';
import {
  TEST_REDIS_URL,
  killLeftoverProcesses,
  scratchDataDir,
  spawnSourceServer,
  type ServerProcess,
} from '../support/server-process.js';
import { AUTH_TOKEN, PUBLIC_URL, removeQueueKeys } from '../support/test-server.js';
import { twilioMockUrl } from '../support/twilio-mock.js';
import { ACCOUNT_SID, SMS_NUMBER, inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const MESSAGING = '/webhooks/twilio/messaging';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of the worker children the parent has started so far, from their start-up lines. */
function workerPids(server: ServerProcess): number[] {
  return [...server.output().matchAll(/worker process (\d+) started/g)].map((match) => Number(match[1]));
}

async function exitsWithin(server: ServerProcess, ms: number) {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
  const result = await Promise.race([server.exited, timeout]);
  if (result === 'timeout') throw new Error(`still running after ${ms} ms\n--- output ---\n${server.output()}`);
  return result;
}

describe('ROLE=all with its workers in a child process (EMBEDDED_WORKERS=process)', function () {
  this.timeout(120_000);
  let dataDir = '';
  let remove: () => void = () => undefined;
  let port = 0;
  let prefix = '';
  let db: Knex | undefined;
  beforeEach(async () => {
    ({ dataDir, remove } = scratchDataDir());
    port = await freePort();
    prefix = `sptest-embedded-${port}`;
  });
  afterEach(async () => {
    killLeftoverProcesses();
    await db?.destroy();
    db = undefined;
    await removeQueueKeys(TEST_REDIS_URL, prefix);
    remove();
  });
  const settings = async (extra: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_NUMBER,
    TWILIO_API_BASE_URL: await twilioMockUrl(),
    ...extra,
  });
  const postSms = (from: string, body: string) => {
    const params = inboundSms(from, body);
    return fetch(`http://127.0.0.1:${port}${MESSAGING}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + MESSAGING, params),
      },
      body: new URLSearchParams(params),
    });
  };
  const ticketsFrom = async (phone: string) => {
    db ??= createDatabase({ sqliteFile: path.join(dataDir, 'satu-pintu.sqlite') });
    const rows = await db('tickets')
      .join('contact_identities', 'contact_identities.contact_id', 'tickets.contact_id')
      .where({ 'contact_identities.kind': 'phone', 'contact_identities.value': phone })
      .count({ n: '*' });
    return Number(rows[0]!.n);
  };

  it('processes SMS end to end, starts a killed worker process again, and stops both on SIGTERM (status 0, no orphan)', async () => {
    const server = spawnSourceServer(await settings());
    await server.waitForOutput(`HTTP API on 127.0.0.1 port ${port}`, 60_000);
    expect(server.output()).to.match(/role all \(workers in a child process, EMBEDDED_WORKERS=process\)/);
    await server.waitForOutput(/worker process \d+ started/);
    const [first] = workerPids(server);
    expect(first).to.be.a('number').and.not.equal(server.child.pid);
    // EMBEDDED_WORKER_NICE, 10 by default: the API answering webhooks gets the CPU first.
    const niceness = Math.max(10, os.getPriority());
    expect(os.getPriority(first), 'the worker child runs at a lower priority').to.equal(niceness);

    expect((await postSms('+6281234500001', 'Izin usaha saya belum terbit')).status).to.equal(200);
    await waitFor('a ticket for the first SMS', async () => (await ticketsFrom('+6281234500001')) === 1, 30_000);

    process.kill(first!, 'SIGKILL');
    await server.waitForOutput('the worker process died (SIGKILL); starting it again');
    // Accepted while no worker runs: the inbox keeps it, the new worker processes it.
    expect((await postSms('+6281234500002', 'Berkas PBG belum ada kabar')).status).to.equal(200);
    await waitFor('a second worker process', () => workerPids(server).length === 2, 60_000);
    const second = workerPids(server)[1]!;
    expect(second).to.not.equal(first);
    expect(os.getPriority(second), 'a restarted worker child too').to.equal(niceness);
    await waitFor('a ticket for the second SMS', async () => (await ticketsFrom('+6281234500002')) === 1, 30_000);

    server.child.kill('SIGTERM');
    const { code } = await exitsWithin(server, 15_000);
    expect(code, server.output()).to.equal(0);
    expect(isAlive(second), 'the worker process outlived its parent').to.equal(false);
    expect(server.output()).to.not.contain('could not stop');
  });

  it('gives up after 5 deaths of the worker process within 10 minutes: status 1, saying so', async () => {
    const server = spawnSourceServer(await settings());
    await server.waitForOutput(`HTTP API on 127.0.0.1 port ${port}`, 60_000);
    for (let death = 1; death <= 5; death++) {
      await waitFor(`worker process number ${death}`, () => workerPids(server).length === death, 60_000);
      process.kill(workerPids(server)[death - 1]!, 'SIGKILL');
    }
    const { code } = await exitsWithin(server, 20_000);
    expect(code, server.output()).to.equal(1);
    expect(server.output()).to.contain('the worker process died 5 times within 10 minutes');
    expect(workerPids(server)).to.have.length(5);
  });

  it('a worker process that cannot start makes the parent exit 1 with one line, not a restart loop', async () => {
    // ROLE=worker serves METRICS_PORT; the API process does not: a taken port fails the child only.
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const metricsPort = (taken.address() as net.AddressInfo).port;
    try {
      const server = spawnSourceServer(await settings({ METRICS_PORT: String(metricsPort) }));
      const { code } = await exitsWithin(server, 60_000);
      expect(code, server.output()).to.equal(1);
      const lines = server.stderr().trim().split('\n');
      expect(lines, server.output()).to.deep.equal([
        `Satu Pintu cannot start: the worker process: port ${metricsPort} is in use on 127.0.0.1 (METRICS_PORT)`,
      ]);
      expect(server.output()).to.not.contain('starting it again');
    } finally {
      taken.close();
    }
  });
});
