import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase } from '../../src/db/knex.js';
import { compiledPackage } from '../support/compiled-package.js';
import { PROJECT_ROOT, scratchDataDir, spawnProcess } from '../support/server-process.js';

const MIGRATIONS = fs.readdirSync(path.join(PROJECT_ROOT, 'migrations')).filter((file) => file.endsWith('.ts'));

describe('npm run migrate, migrate:rollback, migrate:status (the compiled CLI)', function () {
  this.timeout(180_000);
  let cwd = '';
  let dataDir = '';
  let remove: () => void = () => undefined;
  before(async () => {
    cwd = await compiledPackage();
  });
  beforeEach(() => {
    ({ dataDir, remove } = scratchDataDir());
  });
  afterEach(() => remove());

  const npmRun = async (...args: string[]) => {
    const run = spawnProcess('npm', ['run', '--silent', ...args], { cwd, env: { DATA_DIR: dataDir } });
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };
  const tables = async () => {
    const db = createDatabase({ sqliteFile: path.join(dataDir, 'satu-pintu.sqlite') });
    try {
      return await db('sqlite_master').where({ type: 'table' }).pluck('name');
    } finally {
      await db.destroy();
    }
  };

  it('lists every migration as pending on a new database, applies them all once, then has none to apply', async () => {
    const before = await npmRun('migrate:status');
    expect(before.code, before.stderr).to.equal(0);
    expect(before.stdout).to.contain(`Database: SQLite ${path.join(dataDir, 'satu-pintu.sqlite')} (DATA_DIR)`);
    expect(before.stdout).to.contain(`pending  ${MIGRATIONS[0]}`);
    expect(before.stdout.trim().split('\n').at(-1)).to.equal(`0 applied, ${MIGRATIONS.length} pending.`);

    const first = await npmRun('migrate');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain(`Applied ${MIGRATIONS.length} migration(s) as batch 1:`);
    expect(await tables()).to.include.members(['tickets', 'contacts', 'knex_migrations']);

    const again = await npmRun('migrate');
    expect(again.code).to.equal(0);
    expect(again.stdout).to.contain('Already up to date: no migration to apply.');

    const after = await npmRun('migrate:status');
    expect(after.stdout).to.contain(`applied  ${MIGRATIONS.at(-1)}`);
    expect(after.stdout.trim().split('\n').at(-1)).to.equal(`${MIGRATIONS.length} applied, 0 pending.`);
  });

  it('rolls back the last batch, which migrate then applies again', async () => {
    expect((await npmRun('migrate')).code).to.equal(0);
    const rollback = await npmRun('migrate:rollback');
    expect(rollback.code, rollback.stderr).to.equal(0);
    expect(rollback.stdout).to.contain(`Rolled back ${MIGRATIONS.length} migration(s) of batch 1:`);
    expect(await tables()).to.not.include('tickets');
    const status = await npmRun('migrate:status');
    expect(status.stdout.trim().split('\n').at(-1)).to.equal(`0 applied, ${MIGRATIONS.length} pending.`);
    expect((await npmRun('migrate:rollback')).stdout).to.contain('Nothing to roll back.');
    expect((await npmRun('migrate')).stdout).to.contain(`Applied ${MIGRATIONS.length} migration(s) as batch 1:`);
  });

  it('says in one line what is wrong, and exits non-zero', async () => {
    const unknown = await npmRun('migrate:status', '--', 'extra');
    expect(unknown.code).to.equal(0); // extra words after a command are ignored
    const run = spawnProcess(process.execPath, ['dist/src/db/migrate-cli.js', 'sideways'], { cwd });
    expect((await run.exited).code).to.equal(2);
    expect(run.stderr().trim()).to.match(/^usage: .* latest \| rollback \[--all\] \| status$/);
    const invalid = spawnProcess(process.execPath, ['dist/src/db/migrate-cli.js', 'status'], {
      cwd,
      env: { DATA_DIR: dataDir, DATABASE_URL: 'postgres://satupintu:rahasia@127.0.0.1:1/satupintu' },
    });
    expect((await invalid.exited).code).to.equal(1);
    const lines = invalid.output().trim().split('\n');
    expect(lines, invalid.output()).to.have.length(1);
    expect(lines[0]).to.match(
      /^Satu Pintu migrate: status failed on PostgreSQL postgres:\/\/satupintu:\*\*\*@127\.0\.0\.1:1\/satupintu \(DATABASE_URL\): .*ECONNREFUSED/,
    );
    expect(invalid.output()).to.not.contain('rahasia');
  });
});
