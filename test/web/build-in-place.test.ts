import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { buildCitizen } from '../../web/build.mjs';

/**
 * The page builds (web/build.mjs) replace what a server serves without a moment of nothing: test
 * runs side by side (CI's three databases) each build the pages while the others' servers serve
 * them, and a wiped folder answered 503 to eight browser tests of another run.
 */
describe('Building the pages in place', function () {
  this.timeout(60_000);
  let parent = '';
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-build-'));
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('leaves an identical build where it is, and swaps in a different one whole', async () => {
    const outDir = path.join(parent, 'citizen');
    const first = await buildCitizen(outDir);
    expect(first.outDir).to.equal(outDir);
    const manifest = path.join(outDir, 'manifest.json');
    const before = fs.statSync(manifest);
    await buildCitizen(outDir);
    expect(fs.statSync(manifest).ino, 'the same file, not a copy').to.equal(before.ino);
    // Something else in the folder (an older build's leftovers): the new build replaces it whole.
    fs.writeFileSync(path.join(outDir, 'stale.txt'), 'old');
    await buildCitizen(outDir);
    expect(fs.existsSync(path.join(outDir, 'stale.txt'))).to.equal(false);
    expect(JSON.parse(fs.readFileSync(manifest, 'utf8'))).to.have.keys('script', 'style');
    // No staging or previous folder is left behind.
    expect(fs.readdirSync(parent)).to.deep.equal(['citizen']);
  });

  it('keeps the served files readable while other builds run at once', async () => {
    const outDir = path.join(parent, 'citizen');
    await buildCitizen(outDir);
    let missing = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        if (!fs.existsSync(path.join(outDir, 'manifest.json'))) missing += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([buildCitizen(outDir), buildCitizen(outDir), buildCitizen(outDir)]);
    reading = false;
    await reader;
    expect(missing).to.equal(0);
    expect(fs.readdirSync(parent)).to.deep.equal(['citizen']);
  });
});
