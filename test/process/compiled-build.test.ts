import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { compiledPackage, spawnCompiledServer } from '../support/compiled-package.js';
import { freePort } from '../support/free-port.js';
import {
  PROJECT_ROOT,
  TEST_REDIS_URL,
  killLeftoverProcesses,
  scratchDataDir,
  waitForHttp,
} from '../support/server-process.js';
import { removeQueueKeys } from '../support/test-server.js';

const MIGRATIONS = fs.readdirSync(path.join(PROJECT_ROOT, 'migrations')).filter((file) => file.endsWith('.ts'));

async function migrationsRecorded(sqliteFile: string): Promise<string[]> {
  const db = createDatabase({ sqliteFile });
  try {
    return await db('knex_migrations').orderBy('id').pluck('name');
  } finally {
    await db.destroy();
  }
}

describe('The compiled server (npm run build, npm start)', function () {
  this.timeout(180_000);
  before(async () => {
    await compiledPackage();
  });

  it('has every module and runtime file of src, channels and migrations, and nothing of tests', async () => {
    const dist = path.join(await compiledPackage(), 'dist');
    expect(fs.existsSync(path.join(dist, 'src', 'main.js'))).to.equal(true);
    expect(fs.existsSync(path.join(dist, 'src', 'db', 'wal-checkpoint-worker.mjs'))).to.equal(true);
    expect(fs.readdirSync(path.join(dist, 'migrations')).filter((file) => file.endsWith('.js'))).to.have.length(
      MIGRATIONS.length,
    );
    expect(fs.existsSync(path.join(dist, 'test'))).to.equal(false);
    expect(fs.existsSync(path.join(dist, 'bench'))).to.equal(false);
  });

  it('starts with plain node, migrates a new database, answers /healthz; the source finds it up to date', async () => {
    const { dataDir, remove } = scratchDataDir();
    const port = await freePort();
    const prefix = `sptest-build-${port}`;
    const server = await spawnCompiledServer({
      DATA_DIR: dataDir,
      PORT: String(port),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '0',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
      const openapi = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
      expect(openapi.status).to.equal(200);
      server.child.kill('SIGTERM');
      expect((await server.exited).code, server.output()).to.equal(0);

      const sqliteFile = path.join(dataDir, 'satu-pintu.sqlite');
      // Recorded under their source names: the same database runs from source and compiled.
      expect(await migrationsRecorded(sqliteFile)).to.deep.equal(MIGRATIONS);
      const fromSource = createDatabase({ sqliteFile });
      try {
        expect(await migrateToLatest(fromSource)).to.deep.equal([]);
      } finally {
        await fromSource.destroy();
      }
    } finally {
      killLeftoverProcesses();
      await removeQueueKeys(TEST_REDIS_URL, prefix);
      remove();
    }
  });
});
