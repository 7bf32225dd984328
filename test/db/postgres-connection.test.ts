import { expect } from 'chai';
import { createDatabase } from '../../src/db/knex.js';

// The server's PostgreSQL connections (src/db/knex.ts), whichever database the rest of the suite
// runs on: PostgreSQL is always there for the suite (.ci/run starts it).
describe('PostgreSQL connection', () => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

  it('turns JIT compilation off on every connection of the pool, and keeps settings given in DATABASE_URL', async () => {
    const db = createDatabase({
      url: `${url}?options=${encodeURIComponent('-c random_page_cost=1.1')}`,
      sqliteFile: '',
    });
    try {
      // Two connections at once, so that the pool opens more than one.
      const settings = await db.transaction(async (first) =>
        db.transaction(async (second) => [
          await first.raw('show jit'),
          await second.raw('show jit'),
          await second.raw('show random_page_cost'),
        ]),
      );
      expect(settings.map((result) => Object.values(result.rows[0] as object)[0])).to.deep.equal(['off', 'off', '1.1']);
    } finally {
      await db.destroy();
    }
  });
});
