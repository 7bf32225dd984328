import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The mail fixtures (read-only, test/fixtures/email): real auto-replies, bounces of many MTAs, MIME edge cases. */
export const MAIL_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/email');

export type FixtureKind = 'auto-replies' | 'bounces' | 'mime';

export function mailFixtures(kind: FixtureKind): Array<{ name: string; raw: Buffer }> {
  const folder = path.join(MAIL_FIXTURES, kind);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(path.join(folder, name)) }));
}

export function mailFixture(kind: FixtureKind, name: string): Buffer {
  return readFileSync(path.join(MAIL_FIXTURES, kind, name));
}

/** A plain mail as a client writes it; `headers` first, so a test can override any default. */
export function composeMail(headers: Record<string, string>, body: string): Buffer {
  const all: Record<string, string> = {
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit',
    Date: 'Mon, 03 Jun 2024 10:00:00 +0800',
    ...headers,
  };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`);
}
