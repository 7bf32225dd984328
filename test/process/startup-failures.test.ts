import net from 'node:net';
import os from 'node:os';
import { expect } from 'chai';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../support/free-port.js';
import {
  TEST_REDIS_URL,
  killLeftoverProcesses,
  scratchDataDir,
  spawnSourceServer,
  waitForHttp,
  type ServerProcess,
} from '../support/server-process.js';
import { removeQueueKeys } from '../support/test-server.js';

/** Another program on `port`, on every interface, as a second server or a forgotten one would be. */
async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return server;
}

/** An address of this machine other than 127.0.0.1 (another loopback one on Linux when it has no network). */
function otherLocalAddress(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return '127.0.0.2';
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The whole output is the one line on stderr: no log lines, no "    at …" frames. */
async function failsInOneLine(server: ServerProcess): Promise<string> {
  const { code } = await server.exited;
  expect(code, server.output()).to.equal(1);
  expect(server.output()).to.not.match(/^\s+at /m);
  const lines = server.output().trim().split('\n');
  expect(lines, server.output()).to.have.length(1);
  expect(server.stderr().trim()).to.equal(lines[0]);
  return lines[0]!;
}

describe('Start-up failures and addresses (node src/main.ts in a child process)', function () {
  this.timeout(60_000);
  let dataDir = '';
  let remove: () => void = () => undefined;
  let prefix = '';
  beforeEach(async () => {
    ({ dataDir, remove } = scratchDataDir());
    prefix = `sptest-startfail-${await freePort()}`;
  });
  afterEach(async () => {
    killLeftoverProcesses();
    await removeQueueKeys(TEST_REDIS_URL, prefix);
    remove();
  });
  const settings = (extra: Record<string, string>) => ({
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    ...extra,
  });

  it('says in one line that the HTTP port is taken (PORT), and exits 1', async () => {
    const port = await freePort();
    const other = await occupy(port);
    try {
      const line = await failsInOneLine(spawnSourceServer(settings({ PORT: String(port) })));
      expect(line).to.equal(`Satu Pintu cannot start: port ${port} is in use (PORT)`);
    } finally {
      other.close();
    }
  });

  it('says in one line that the SMTP port is taken (SMTP_PORT), and exits 1', async () => {
    const smtpPort = await freePort();
    const other = await occupy(smtpPort);
    try {
      const server = spawnSourceServer(settings({ PORT: String(await freePort()), SMTP_PORT: String(smtpPort) }));
      const line = await failsInOneLine(server);
      expect(line).to.equal(`Satu Pintu cannot start: port ${smtpPort} is in use on 127.0.0.1 (SMTP_PORT)`);
    } finally {
      other.close();
    }
  });

  it('says in one line, password masked, that the database of DATABASE_URL cannot be reached', async () => {
    const url = `postgres://satupintu:rahasia-sekali@127.0.0.1:${await freePort()}/satupintu`;
    const line = await failsInOneLine(spawnSourceServer(settings({ PORT: '0', DATABASE_URL: url })));
    expect(line).to.match(
      /^Satu Pintu cannot start: the database PostgreSQL postgres:\/\/satupintu:\*\*\*@127\.0\.0\.1:\d+\/satupintu \(DATABASE_URL\) could not be prepared: .*ECONNREFUSED/,
    );
    expect(line).to.not.contain('rahasia');
  });

  it('says in one line what PostgreSQL refused (a role that does not exist), password masked', async () => {
    const url = 'postgres://bukan_siapa_siapa:rahasia-sekali@127.0.0.1:5432/test';
    const line = await failsInOneLine(spawnSourceServer(settings({ PORT: '0', DATABASE_URL: url })));
    expect(line).to.match(/^Satu Pintu cannot start: the database PostgreSQL postgres:\/\/bukan_siapa_siapa:\*\*\*@/);
    expect(line).to.not.contain('rahasia');
  });

  it('refuses a DATABASE_URL of another database (mysql://) before starting anything', async () => {
    const url = 'mysql://satupintu:rahasia-sekali@127.0.0.1:3306/satupintu';
    const line = await failsInOneLine(spawnSourceServer(settings({ PORT: '0', DATABASE_URL: url })));
    expect(line).to.match(
      /^Satu Pintu cannot start: Invalid settings: DATABASE_URL: mysql: is not supported; set postgres:\/\/.* or leave it unset for the embedded SQLite$/,
    );
    expect(line).to.not.contain('rahasia');
  });

  it('listens for HTTP and SMTP only on HOST', async () => {
    const port = await freePort();
    const smtpPort = await freePort();
    const elsewhere = otherLocalAddress();
    const env = settings({ PORT: String(port), SMTP_PORT: String(smtpPort), HOST: '127.0.0.1' });
    delete (env as Record<string, string | undefined>).SMTP_HOST; // HOST decides for SMTP too
    const server = spawnSourceServer(env);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
      expect(await connects('127.0.0.1', smtpPort)).to.equal(true);
      expect(await connects(elsewhere, port), `HTTP on ${elsewhere}`).to.equal(false);
      expect(await connects(elsewhere, smtpPort), `SMTP on ${elsewhere}`).to.equal(false);
      // The line comes once the server has started, which may be just after it first answers.
      const line = `HTTP API on 127.0.0.1 port ${port}`;
      await waitFor('the address line', () => server.output().includes(line) || undefined);
      expect(server.output()).to.contain(line);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
