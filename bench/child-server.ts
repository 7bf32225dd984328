import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/free-port.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a server script in its own Node process (through tsx, as `npm start` does) and waits
 * until its /readyz answers 200. A separate process because autocannon is CPU-hungry: sharing one
 * event loop with the server would measure the load generator as much as the server.
 */
export async function startChildServer(script: string, env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  // The bench runs with npm start's V8 settings (package.json); the server gets them too.
  const v8Settings = process.execArgv.filter(
    (flag) => flag.startsWith('--max-semi-space-size') || flag === '--no-allocation-site-pretenuring',
  );
  // BENCH_CPU_PROFILE=<dir>: every server (and the worker child it forks) writes a V8 CPU profile
  // there when it stops, for Chrome DevTools or speedscope: where a slow figure's time went.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`]
    : [];
  const child = spawn(process.execPath, [...v8Settings, ...profile, '--import', 'tsx', path.resolve(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await Promise.race([exited.then(() => 'exited' as const), ready(url)]);
    if (state === 'exited') throw new Error(`${script} exited before it was ready:\n${stderr}`);
    if (state) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} was not ready within 60 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // both servers close their queues and database on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
