import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { databaseSuites, testFiles } = require('../support/database-suites.cjs') as {
  databaseSuites(root?: string): string[];
  testFiles(root: string): string[];
};

/**
 * The runs on PostgreSQL and on sqlite3 take only the files that depend on the database
 * (test/support/database-suites.cjs). A file left out there runs on better-sqlite3 alone: this
 * makes sure the ones that do reach the database under test are never left out.
 */
describe('The suites that run on every database', () => {
  const chosen = new Set(databaseSuites(root));
  const source = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

  it('take every file that starts a test server, a process cluster or a test database', () => {
    const reaching = testFiles(root).filter((file) =>
      /\b(?:startTestServer|createTestDatabase|openTestDatabase|startProcessCluster)\s*\(/.test(source(file)),
    );
    expect(reaching.length).to.be.greaterThan(50);
    expect(reaching.filter((file) => !chosen.has(file))).to.deep.equal([]);
  });

  it('take the fault tests and the PostgreSQL connection tests, and leave out pure ones', () => {
    for (const file of [
      'test/faults/worker-killed.test.ts',
      'test/db/postgres-connection.test.ts',
      'test/acceptance/tickets-api.test.ts',
      'test/console/agent-console.test.ts',
    ])
      expect(chosen.has(file), file).to.equal(true);
    for (const file of ['test/security/linear-time.test.ts', 'test/demo/demo.test.ts'])
      expect(chosen.has(file), file).to.equal(false);
  });

  it('are what .mocharc.database.cjs runs, with the options of .mocharc.json', () => {
    const config = require('../../.mocharc.database.cjs') as { spec: string[]; timeout: number; require: string[] };
    const base = JSON.parse(source('.mocharc.json')) as { timeout: number; require: string[] };
    expect(config.spec).to.deep.equal([...chosen]);
    expect(config.timeout).to.equal(base.timeout);
    expect(config.require).to.deep.equal(base.require);
  });
});
