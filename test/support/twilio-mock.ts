import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = path.resolve(root, 'test/fixtures/twilio/twilio_api_v2010.json');

let started: Promise<string> | undefined;
let child: ChildProcess | undefined;

/**
 * A local Twilio REST API: Prism serving Twilio's own OpenAPI description, in dynamic mode (fresh
 * SIDs for each call) and with --errors, so a request that breaks Twilio's contract fails loudly.
 * Started once per test process, on demand.
 */
export function twilioMockUrl(): Promise<string> {
  started ??= start();
  return started;
}

async function start(): Promise<string> {
  const port = await freePort();
  child = spawn(
    path.join(root, 'node_modules/.bin/prism'),
    ['mock', '--dynamic', '--errors', '-h', '127.0.0.1', '-p', String(port), SPEC],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  process.once('exit', () => child?.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.once('exit', (code) => reject(new Error(`Prism exited with ${code}:\n${output.slice(-2000)}`)));
  });
  return `http://127.0.0.1:${port}`;
}
