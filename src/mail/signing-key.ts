import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

const KEY_NAME = 'mail_signing_key';

/**
 * The secret that signs our Message-IDs and reply+ addresses. It lives in the database, created
 * on first use, so that every api and worker process of an installation signs and verifies alike
 * and nobody has to configure it. Processes racing to create it each try an insert that does
 * nothing when the row exists, then all read the one row that won.
 */
export async function loadMailSigningKey(db: Knex): Promise<Buffer> {
  const existing = await readKey(db);
  if (existing) return existing;
  await db('settings')
    .insert({ key: KEY_NAME, value: randomBytes(32).toString('hex'), created_at: new Date() })
    .onConflict('key')
    .ignore();
  const created = await readKey(db);
  if (!created) throw new Error('The mail signing key could not be created');
  return created;
}

async function readKey(db: Knex): Promise<Buffer | undefined> {
  const row: { value: string } | undefined = await db('settings').where({ key: KEY_NAME }).first('value');
  return row ? Buffer.from(row.value, 'hex') : undefined;
}

// The row is written once and never changes, so a process may keep what it read: the database
// stays the only source, and reading it once per database handle keeps threading and dispatch at
// their query budgets. Keyed by the knex instance, so each database (each test suite) has its own.
const cache = new WeakMap<Knex, Promise<Buffer>>();

/** loadMailSigningKey, read once per database handle. */
export function mailSigningKey(db: Knex): Promise<Buffer> {
  let key = cache.get(db);
  if (!key) {
    key = loadMailSigningKey(db);
    key.catch(() => cache.delete(db)); // a failed read (database down) is tried again next time
    cache.set(db, key);
  }
  return key;
}
