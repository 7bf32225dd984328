import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeFindings, scanLogDirectory } from './personal-data-scan.js';

/**
 * A mocha root hook plugin (.mocharc.json `require`): for the whole suite, every server a test
 * starts keeps its log under one temporary directory (TEST_LOG_DIR, read by the test harness:
 * test/support/log-capture.ts), and after the last test those logs are scanned for phones,
 * emails and NIKs left unmasked. A finding fails the run, naming the file, line and data.
 * TEST_LOG_DIR given from outside is used as it is and kept; the temporary one is removed when clean.
 */
const given = process.env.TEST_LOG_DIR;
const directory = given || fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-test-logs-'));
process.env.TEST_LOG_DIR = directory;

export const mochaHooks = {
  afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    const { files, lines, findings } = scanLogDirectory(directory);
    if (findings.length > 0)
      throw new Error(
        `Personal data unmasked in the logs of the test run: ${findings.length} in ${files} files (${directory}):\n${describeFindings(findings)}`,
      );
    console.log(`  Log scan: ${lines} log lines of ${files} servers, no unmasked phone, email or NIK.`);
    if (!given) fs.rmSync(directory, { recursive: true, force: true });
  },
};
