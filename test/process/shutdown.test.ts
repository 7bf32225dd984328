import { redisAddress, redisUrlVia } from '../support/redis-url.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { compiledPackage, spawnCompiledServer } from '../support/compiled-package.js';
import { freePort } from '../support/free-port.js';
import {
  TEST_REDIS_URL,
  killLeftoverProcesses,
  scratchDataDir,
  spawnProcess,
  waitForHttp,
  type ServerProcess,
} from '../support/server-process.js';
import { openEventStream } from '../support/sse-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { removeQueueKeys } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const ADMIN = { email: 'kepala@dpmptsp.example.go.id', password: 'kata-sandi-awal' };

/** Processes by pid, with their parent and command line (ps: Linux and macOS alike). */
async function processTable(): Promise<Array<{ pid: number; ppid: number; args: string }>> {
  const { stdout } = await promisify(execFile)('ps', ['-e', '-o', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args! }));
}

function descendants(table: Awaited<ReturnType<typeof processTable>>, root: number): typeof table {
  const found = table.filter((entry) => entry.ppid === root);
  return found.flatMap((entry) => [entry, ...descendants(table, entry.pid)]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exitsWithin(server: ServerProcess, ms: number) {
  const started = Date.now();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
  const result = await Promise.race([server.exited, timeout]);
  if (result === 'timeout') throw new Error(`still running after ${ms} ms\n--- output ---\n${server.output()}`);
  return { ...result, elapsedMs: Date.now() - started };
}

describe('Stopping the server (SIGTERM, SIGINT) in a child process, compiled', function () {
  this.timeout(120_000);
  let dataDir = '';
  let remove: () => void = () => undefined;
  let port = 0;
  let prefix = '';
  before(async () => {
    await compiledPackage();
  });
  beforeEach(async () => {
    ({ dataDir, remove } = scratchDataDir());
    port = await freePort();
    prefix = `sptest-stop-${port}`;
  });
  afterEach(async () => {
    killLeftoverProcesses();
    await removeQueueKeys(TEST_REDIS_URL, prefix);
    remove();
  });
  const settings = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    PORT: String(port),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ...extra,
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`idle: ${signal} stops it at once, status 0, the port free again`, async () => {
      const server = await spawnCompiledServer(settings());
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
      server.child.kill(signal);
      const { code, elapsedMs } = await exitsWithin(server, 5000);
      expect(code, server.output()).to.equal(0);
      expect(elapsedMs).to.be.below(3000);
      expect(server.output()).to.contain(`${signal}: stopping within 10000 ms (SHUTDOWN_TIMEOUT_MS)`);
      expect(server.output()).to.match(/stopped in \d+ ms/);
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => expect.fail('the port still answers'),
        () => undefined,
      );
    });
  }

  it('ends open live streams (agents and supervisors) with a last `shutdown` event, then exits 0', async () => {
    const server = await spawnCompiledServer(settings({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }));
    await server.waitForOutput('created the first administrator'); // after HTTP is up
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const agents = await openEventStream(`http://127.0.0.1:${port}/api/v1/events/stream`, headers);
    const supervisors = await openEventStream(
      `http://127.0.0.1:${port}/api/v1/metrics/stream?snapshot_seconds=0`,
      headers,
    );
    try {
      expect([agents.status, supervisors.status]).to.deep.equal([200, 200]);
      await waitFor('both streams connected', () => agents.comments > 0 && supervisors.comments > 0);

      server.child.kill('SIGTERM');
      await Promise.all([agents.ended, supervisors.ended]);
      for (const stream of [agents, supervisors]) {
        const last = stream.events.at(-1);
        expect(last?.event).to.equal('shutdown');
        expect(JSON.parse(last!.data)).to.deep.equal({
          message: 'The server is stopping: reconnect to carry on',
          last_event_id: null,
        });
      }
      const { code, elapsedMs } = await exitsWithin(server, 5000);
      expect(code, server.output()).to.equal(0);
      expect(elapsedMs).to.be.below(3000);
    } finally {
      await agents.close();
      await supervisors.close();
    }
  });

  it('with Redis unreachable, exits within SHUTDOWN_TIMEOUT_MS, status 1, saying in one line what it waited for', async () => {
    const redis = redisAddress();
    const proxy = new TcpProxy(redis.host, redis.port);
    await proxy.start();
    const proxied = new URL(redisUrlVia('127.0.0.1', proxy.port));
    try {
      const server = await spawnCompiledServer(
        settings({ REDIS_URL: proxied.toString(), SHUTDOWN_TIMEOUT_MS: '2000', LOG_LEVEL: 'info' }),
      );
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
      await proxy.cut();
      await server.waitForOutput('redis unreachable');

      server.child.kill('SIGTERM');
      const { code, elapsedMs } = await exitsWithin(server, 4000);
      expect(code, server.output()).to.equal(1);
      expect(elapsedMs, server.output()).to.be.within(1900, 2900);
      const complaints = server
        .output()
        .split('\n')
        .filter((line) => line.includes('could not stop'));
      expect(complaints).to.have.length(1);
      expect(JSON.parse(complaints[0]!).msg).to.equal(
        'could not stop within 2000 ms (SHUTDOWN_TIMEOUT_MS): still waiting for running jobs and the queue workers (Redis is unreachable); cut short, exiting with status 1',
      );
    } finally {
      await proxy.cut();
    }
  });

  it('SIGTERM to `npm start` reaches the server itself: nothing is left running', async () => {
    const cwd = await compiledPackage();
    const npm = spawnProcess('npm', ['start'], { cwd, env: settings() });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, npm);
    const servers = descendants(await processTable(), npm.child.pid!).filter((entry) =>
      entry.args.includes('dist/src/main.js'),
    );
    expect(servers, 'the server under npm').to.have.length.at.least(1);
    const server = servers.find((entry) => entry.args.startsWith(process.execPath) || /^node /.test(entry.args));
    expect(server?.args, 'node runs the server itself, no loader in between').to.match(
      /--max-semi-space-size=32 --no-allocation-site-pretenuring dist\/src\/main\.js$/,
    );

    try {
      npm.child.kill('SIGTERM');
      await exitsWithin(npm, 5000);
      await waitFor('the server gone', () => servers.every((entry) => !isAlive(entry.pid)), 5000);
      expect(npm.output()).to.match(/stopped in \d+ ms/); // it stopped by itself, cleanly
    } finally {
      for (const entry of servers) if (isAlive(entry.pid)) process.kill(entry.pid, 'SIGKILL'); // an orphan
    }
  });
});
