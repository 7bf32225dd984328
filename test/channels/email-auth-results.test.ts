import { expect } from 'chai';
import { fromDomainAuthenticated } from '../../channels/email/auth-results.js';
import { headerBag } from '../../channels/email/headers.js';
import { growthRatio } from '../support/linear-time.js';

const bag = (...values: string[]) =>
  headerBag(values.map((value) => ({ key: 'authentication-results', line: `Authentication-Results: ${value}` })));
const TRUSTED = ['mx.dpmptsp.example.go.id'];

describe('channels/email auth-results (Authentication-Results of our MTA)', () => {
  it('believes dmarc=pass for the From domain, and spf=pass of an aligned envelope sender', () => {
    expect(
      fromDomainAuthenticated(bag('mx.dpmptsp.example.go.id; dmarc=pass header.from=Gmail.com'), 'gmail.com', TRUSTED),
    ).to.equal(true);
    expect(
      fromDomainAuthenticated(
        bag('mx.dpmptsp.example.go.id 1; spf=pass (sender ok) smtp.mailfrom=a@gmail.com'),
        'gmail.com',
        TRUSTED,
      ),
    ).to.equal(true);
  });

  it('ignores other authserv-ids, other domains, failures, and results hidden in comments', () => {
    const cases = [
      'mx.spam.example; dmarc=pass header.from=gmail.com',
      'mx.dpmptsp.example.go.id; dmarc=pass header.from=yahoo.com',
      'mx.dpmptsp.example.go.id; dmarc=fail header.from=gmail.com; spf=softfail smtp.mailfrom=gmail.com',
      'mx.dpmptsp.example.go.id; spf=pass smtp.mailfrom=a@evil.example',
      'mx.dpmptsp.example.go.id; none (dmarc=pass header.from=gmail.com)',
      '(mx.dpmptsp.example.go.id) x; dmarc=pass header.from=gmail.com',
    ];
    for (const value of cases) expect(fromDomainAuthenticated(bag(value), 'gmail.com', TRUSTED), value).to.equal(false);
    expect(
      fromDomainAuthenticated(bag('mx.dpmptsp.example.go.id; dmarc=pass header.from=gmail.com'), 'gmail.com', []),
    ).to.equal(false);
  });

  it('runs in linear time on a hostile header (nested comments, no separators)', async () => {
    for (const build of [
      (size: number) => `mx.dpmptsp.example.go.id; ${'('.repeat(size / 2)}${')'.repeat(size / 2)}`,
      (size: number) => `mx.dpmptsp.example.go.id; ${'dmarc=pass '.repeat(size / 11)}`,
      (size: number) => `mx.dpmptsp.example.go.id${';'.repeat(size)}`,
    ]) {
      const { ratio, factor } = await growthRatio(
        (value) => fromDomainAuthenticated(bag(value), 'gmail.com', TRUSTED),
        build,
        { largeSize: 256 * 1024 },
      );
      expect(ratio).to.be.below(factor * 4);
    }
  });
});
