import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadMailSigningKey, mailSigningKey } from '../../src/mail/signing-key.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A knex handle as one process of the installation would open it. */
function openDatabase(database: TestDatabase): Knex {
  return openTestDatabase(database);
}

describe('mail signing key', () => {
  let database: TestDatabase;
  const handles: Knex[] = [];
  before(async () => {
    database = await createTestDatabase();
    const first = openDatabase(database);
    handles.push(first);
    await migrateToLatest(first);
    for (let index = 0; index < 4; index += 1) handles.push(openDatabase(database));
  });
  after(async () => {
    await Promise.all(handles.map((handle) => handle.destroy()));
    await database?.drop();
  });

  it('is created once, on first use, by whichever of several racing processes wins, and read by all', async () => {
    const keys = await Promise.all(
      handles.flatMap((handle) => [loadMailSigningKey(handle), loadMailSigningKey(handle)]),
    );
    expect(keys[0]!.length).to.equal(32);
    for (const key of keys) expect(key.equals(keys[0]!)).to.equal(true);
    const rows = await handles[0]!('settings').where({ key: 'mail_signing_key' }).select('key');
    expect(rows).to.have.length(1);
  });

  it('stays the same afterwards, and the per-handle read gives the stored one', async () => {
    const stored = await loadMailSigningKey(handles[1]!);
    expect((await mailSigningKey(handles[2]!)).equals(stored)).to.equal(true);
    expect((await mailSigningKey(handles[2]!)).equals(stored)).to.equal(true);
  });

  it('is random: a fresh database gets a different key', async () => {
    const other = await createTestDatabase();
    const handle = openDatabase(other);
    try {
      await migrateToLatest(handle);
      const fresh = await loadMailSigningKey(handle);
      expect(fresh.equals(await loadMailSigningKey(handles[0]!))).to.equal(false);
    } finally {
      await handle.destroy();
      await other.drop();
    }
  });
});
