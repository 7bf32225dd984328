import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

// The suite runs beside other work on one machine: every test reaches Redis through REDIS_URL
// (test/support/redis-url.ts) and listens only on ports the system hands out (port 0, or freePort()).

const TEST_ROOT = path.resolve(import.meta.dirname, '..');
/** The one place that knows the default Redis address. */
const REDIS_DEFAULT_HOME = 'support/redis-url.ts';

const RULES: { pattern: RegExp; reason: string }[] = [
  { pattern: /\b6379\b/, reason: 'the Redis port written out: use TEST_REDIS_URL or redisAddress()' },
  { pattern: /rediss?:\/\/[^'"`\s]*:\d/, reason: 'a Redis URL with a fixed port: use TEST_REDIS_URL' },
  { pattern: /\b[A-Z_]*PORT['"]?\s*:\s*['"`]?[1-9]\d*\b/, reason: 'a fixed port setting: use 0 or freePort()' },
  { pattern: /\bport\s*:\s*[1-9]\d*\b/, reason: 'a fixed port: use 0 or freePort()' },
  { pattern: /\.listen\(\s*[1-9]\d*\b/, reason: 'listens on a fixed port: use 0' },
];

function testSources(folder = ''): string[] {
  return fs.readdirSync(path.join(TEST_ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return relative === 'fixtures' ? [] : testSources(relative);
    return relative.endsWith('.ts') ? [relative] : [];
  });
}

function violations(file: string, text: string): string[] {
  if (file === REDIS_DEFAULT_HOME || file === 'repository/test-environment.test.ts') return [];
  const found: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    for (const { pattern, reason } of RULES) {
      if (pattern.test(line)) found.push(`test/${file}:${index + 1} ${reason}: ${line.trim()}`);
    }
  }
  return found;
}

describe('the tests share the machine', () => {
  it('reads the test sources', () => {
    expect(testSources()).to.include.members(['support/test-server.ts', 'acceptance/startup.test.ts']);
  });

  it('reach Redis only through REDIS_URL and listen only on free ports', () => {
    const found = testSources().flatMap((file) =>
      violations(file, fs.readFileSync(path.join(TEST_ROOT, file), 'utf8')),
    );
    expect(found).to.deep.equal([]);
  });

  it('catches a fixed Redis address or port, and lets free ones pass', () => {
    const file = 'acceptance/example.test.ts';
    expect(violations(file, "new TcpProxy('127.0.0.1', 6379)")).to.have.length(1);
    expect(violations(file, "await removeQueueKeys('redis://127.0.0.1:6380/0', prefix)")).to.have.length(1);
    expect(violations(file, "startServer({ SMTP_PORT: '2525' })")).to.have.length(1);
    expect(violations(file, 'createTransport({ host, port: 2525 })')).to.have.length(1);
    expect(violations(file, 'server.listen(3000)')).to.have.length(1);
    expect(violations(file, "startTestServer({ SMTP_PORT: '0', PORT: String(await freePort()) })")).to.deep.equal([]);
    expect(violations(file, 'REDIS_URL: `redis://127.0.0.1:${await freePort()}`')).to.deep.equal([]);
    expect(violations(file, 'REDIS_URL: redisUrlVia(proxy.port)')).to.deep.equal([]);
  });
});
