import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../support/free-port.js';
import { TEST_REDIS_URL } from '../support/redis-url.js';
import { removeQueueKeys } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

interface Run {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => void;
}

/** `npm start` as a newcomer runs it: the real entry point in a child process. */
function startServer(env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    stop: () => child.kill('SIGTERM'),
  };
}

describe('Starting the server (npm start)', () => {
  it('says in one line that Redis is unreachable and how to start it, and exits non-zero', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-start-'));
    try {
      const run = startServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, DATA_DIR: dataDir });
      expect(await run.exited).to.equal(1);
      const lines = run.output().trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^Satu Pintu cannot start: Redis is not reachable at redis:\/\/127\.0\.0\.1:\d+.*redis-server/,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('runs on defaults: migrates SQLite under DATA_DIR, creates the first admin, prints the webhook URLs', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-start-'));
    const port = await freePort();
    // Defaults for everything but where it must not collide: the tests' Redis (REDIS_URL) and free
    // ports for HTTP and SMTP (the default SMTP port, 2525, may be held by a developer's server).
    const run = startServer({
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir,
      PORT: String(port),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
      QUEUE_PREFIX: `sptest-start-${port}`,
      ADMIN_EMAIL: 'kepala@dpmptsp.example.go.id',
      ADMIN_PASSWORD: 'kata-sandi-awal',
    });
    try {
      await waitFor('server started', () => run.output().includes('Twilio status callback'), 30_000);
      expect(fs.existsSync(path.join(dataDir, 'satu-pintu.sqlite'))).to.equal(true);
      expect(run.output()).to.contain(`http://localhost:${port}/webhooks/twilio/messaging`);
      expect(run.output()).to.contain(`http://localhost:${port}/webhooks/twilio/voice/status`);
      expect(run.output()).to.contain('created the first administrator');
      expect(run.output()).to.not.contain('kepala@dpmptsp'); // personal data is masked in logs
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kepala@dpmptsp.example.go.id', password: 'kata-sandi-awal' }),
      });
      expect(login.status).to.equal(200);
    } finally {
      run.stop();
      expect(await run.exited).to.equal(0);
      await removeQueueKeys(TEST_REDIS_URL, `sptest-start-${port}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
