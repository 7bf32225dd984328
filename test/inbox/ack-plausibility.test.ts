import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { plausibleSender } from '../../src/inbox/ack-plausibility.js';
import { signMessageId } from '../../src/mail/tokens.js';

const envelope = (extra: Partial<InboundEnvelope> = {}): InboundEnvelope => ({
  channel: 'email',
  provider: 'smtp',
  externalId: 'x@example.com',
  kind: 'message',
  from: { email: 'warga@example.com' },
  to: 'helpdesk@dpmptsp.example.go.id',
  text: 'Halo',
  attachments: [],
  receivedAt: new Date().toISOString(),
  raw: {},
  ...extra,
});

/** Who may be answered without the backscatter caps (src/inbox/ack-plausibility.ts). */
describe('src/inbox ack-plausibility', () => {
  const key = randomBytes(32);
  const ours = signMessageId(key, 7, 42, 'dpmptsp.example.go.id');

  it('takes a sender our relay authenticated, or one answering a Message-ID we signed', () => {
    expect(plausibleSender(envelope({ senderAuthenticated: true }), key)).to.equal(true);
    expect(plausibleSender(envelope({ thread: { inReplyTo: ours } }), key)).to.equal(true);
    expect(plausibleSender(envelope({ thread: { references: ['a@b', ours] } }), key)).to.equal(true);
  });

  it('does not take a forged or foreign Message-ID, or a mail that claims nothing', () => {
    const forged = ours.replace(
      /\.([0-9a-f]+)@/,
      (_, mac: string) => `.${mac.replace(/.$/, mac.endsWith('0') ? '1' : '0')}@`,
    );
    expect(plausibleSender(envelope({ thread: { inReplyTo: forged } }), key)).to.equal(false);
    expect(plausibleSender(envelope({ thread: { inReplyTo: ours } }), randomBytes(32))).to.equal(false);
    expect(plausibleSender(envelope(), key)).to.equal(false);
    expect(plausibleSender(envelope({ thread: { inReplyTo: ours } }), undefined)).to.equal(false);
  });
});
