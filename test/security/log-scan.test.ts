import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { maskEmail, maskPersonalData, maskPhone } from '../../src/privacy-mask.js';
import { findUnmaskedPersonalData, scanLogDirectory } from '../support/personal-data-scan.js';
import { startTestServer } from '../support/test-server.js';

/**
 * The scan that runs after the whole suite (test/support/log-scan-hooks.ts) over the logs every
 * test server wrote: what it finds and what it leaves alone, and that a server's log really lands
 * where it looks.
 */
describe('security: the log scan for unmasked personal data', () => {
  const kinds = (text: string) => findUnmaskedPersonalData(text).map((finding) => `${finding.kind} ${finding.found}`);

  it('finds Indonesian phones, emails and NIKs as a careless log line would carry them', () => {
    expect(kinds('{"msg":"sms from +6281234567890"}')).to.deep.equal(['phone +6281234567890']);
    expect(kinds('{"to":"whatsapp:+6281234567890"}')).to.deep.equal(['phone +6281234567890']);
    expect(kinds('warga 0812-3456-7890 menelepon')).to.deep.equal(['phone 0812-3456-7890']);
    expect(kinds('{"phone":"6281234567890"}')).to.deep.equal(['phone 6281234567890']);
    expect(kinds('{"from":"budi.santoso@example.co.id"}')).to.deep.equal(['email budi.santoso@example.co.id']);
    expect(kinds('NIK 3174012345678901 terlampir')).to.deep.equal(['NIK 3174012345678901']);
  });

  it('leaves masked forms alone, as src/privacy-mask.ts writes them', () => {
    const line = JSON.stringify({
      from: maskPhone('+6281234567890'),
      to: maskPhone('whatsapp:+6281234567890'),
      email: maskEmail('budi.santoso@example.co.id'),
      text: maskPersonalData('warga 0812-3456-7890, budi@example.com, NIK 3174012345678901'),
    });
    expect(kinds(line), line).to.deep.equal([]);
  });

  it('leaves alone what only looks like them: SIDs, timestamps, dates, reference numbers, ports', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1796195587839,
      sid: 'SM0812345678901234567890abcdef12',
      reference: 'SP-081-234-567',
      at: '2026-12-01T08:12:34.567+08:00',
      msg: 'HTTP API on 127.0.0.1 port 38625',
      queue: 'sptest-08123456',
    });
    expect(kinds(line), line).to.deep.equal([]);
  });

  it("a test server's log goes to TEST_LOG_DIR, masked; a raw line planted there is found", async function () {
    this.timeout(30_000);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-log-scan-'));
    const suiteDirectory = process.env.TEST_LOG_DIR;
    process.env.TEST_LOG_DIR = directory; // this server's log only, not the suite's
    try {
      const server = await startTestServer({ LOG_LEVEL: 'info' });
      server.runtime.logger.error(
        { phone: '+6281234567890', detail: { note: 'budi@example.com NIK 3174012345678901' } },
        'citizen 0812-3456-7890 wrote',
      );
      await server.stop();
      const clean = scanLogDirectory(directory);
      expect(clean.files).to.be.at.least(1);
      expect(
        fs
          .readdirSync(directory)
          .map((name) => fs.readFileSync(path.join(directory, name), 'utf8'))
          .join(''),
      ).to.include('citizen');
      expect(clean.findings, JSON.stringify(clean.findings)).to.deep.equal([]);

      fs.writeFileSync(
        path.join(directory, 'planted.log'),
        '{"level":50,"msg":"reply to +6281234567890 budi@example.com 3174012345678901"}\n',
      );
      expect(
        scanLogDirectory(directory).findings.map((finding) => `${finding.file}:${finding.line} ${finding.kind}`),
      ).to.deep.equal(['planted.log:1 phone', 'planted.log:1 email', 'planted.log:1 NIK']);
    } finally {
      if (suiteDirectory === undefined) delete process.env.TEST_LOG_DIR;
      else process.env.TEST_LOG_DIR = suiteDirectory;
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
