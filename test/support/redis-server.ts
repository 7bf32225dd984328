import { freePort } from './free-port.js';
import { spawnProcess, type ServerProcess } from './server-process.js';

export interface OwnRedis {
  /** redis://127.0.0.1:PORT, no password: a server of the test's own. */
  url: string;
  /** Stops the server (SIGKILL: an outage, not a shutdown); its data goes with it. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, for a test that takes Redis down: the suite's
 * Redis is shared with other tests and cannot be stopped. No persistence, so a restart comes back
 * empty, the harder case (every job signal is gone and only the database remembers).
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let server: ServerProcess | undefined;
  const start = async () => {
    server = spawnProcess('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await server.waitForOutput('Ready to accept connections', 10_000);
  };
  await start();
  const url = new URL('redis://127.0.0.1');
  url.port = String(port);
  return {
    url: url.toString().replace(/\/$/, ''),
    async stop() {
      if (!server || server.hasExited()) return;
      server.child.kill('SIGKILL');
      await server.exited;
    },
    start,
  };
}
