import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  mailDomain,
  replyAddress,
  signMessageId,
  signReplyToken,
  verifyMessageId,
  verifyReplyToken,
} from '../../src/mail/tokens.js';

const key = randomBytes(32);
const otherKey = randomBytes(32);

/** Changes one hex digit of the signature (the last character of the local part). */
function tamperMac(value: string): string {
  const at = value.indexOf('@');
  const local = at >= 0 ? value.slice(0, at) : value;
  const last = local.at(-1)!;
  return `${local.slice(0, -1)}${last === '0' ? '1' : '0'}${at >= 0 ? value.slice(at) : ''}`;
}

describe('mail tokens', () => {
  describe('signMessageId / verifyMessageId', () => {
    const id = signMessageId(key, 42, 1001, 'dpmptsp.example.go.id');

    it('writes sp.<ticket>.<message>.<mac>@domain in lowercase hex', () => {
      expect(id).to.match(/^sp\.42\.1001\.[0-9a-f]{20}@dpmptsp\.example\.go\.id$/);
    });

    it('gives back the ticket of an id it signed, with or without angle brackets', () => {
      expect(verifyMessageId(key, id)).to.equal(42);
      expect(verifyMessageId(key, `<${id}>`)).to.equal(42);
      expect(verifyMessageId(key, ` <${id}> `)).to.equal(42);
    });

    it('still recognises an id an MTA upper- or lower-cased', () => {
      expect(verifyMessageId(key, id.toUpperCase())).to.equal(42);
    });

    it('refuses a tampered signature', () => {
      expect(verifyMessageId(key, tamperMac(id))).to.equal(undefined);
    });

    it('refuses the signature of one ticket moved onto another ticket or message', () => {
      const mac = id.split('@')[0]!.split('.')[3]!;
      expect(verifyMessageId(key, `sp.43.1001.${mac}@dpmptsp.example.go.id`)).to.equal(undefined);
      expect(verifyMessageId(key, `sp.42.1002.${mac}@dpmptsp.example.go.id`)).to.equal(undefined);
      expect(verifyMessageId(key, `sp.042.1001.${mac}@dpmptsp.example.go.id`)).to.equal(undefined);
    });

    it('refuses an id signed with another installation key', () => {
      expect(verifyMessageId(otherKey, id)).to.equal(undefined);
    });

    it('refuses forged and garbled ids without throwing', () => {
      for (const forged of [
        'sp.42.1001.0000000000000000000@x',
        'sp.42.1001@x',
        'sp.42.1001.@x',
        'sp.0.1.abcdef@x',
        'sp.-1.1.abcdef@x',
        'sp.42.1001.zzzzzzzzzzzzzzzzzzzz@x',
        'sp.99999999999999999.1.abcdef@x',
        'CAJ4k2+abc@mail.gmail.com',
        '',
        '<>',
        '@',
      ]) {
        expect(verifyMessageId(key, forged), forged).to.equal(undefined);
      }
    });

    it('refuses a truncated signature', () => {
      expect(verifyMessageId(key, id.replace(/[0-9a-f]@/, '@'))).to.equal(undefined);
    });
  });

  describe('reply tokens', () => {
    it('writes reply+<ticket>.<mac>@domain with a short lowercase local part', () => {
      const address = replyAddress(key, 123456, 'example.go.id');
      expect(address).to.match(/^reply\+123456\.[0-9a-f]{16}@example\.go\.id$/);
      expect(address.split('@')[0]!.length).to.be.at.most(64);
    });

    it('gives back the ticket from the token alone or the whole address, in any case', () => {
      const token = signReplyToken(key, 7);
      expect(verifyReplyToken(key, token)).to.equal(7);
      expect(verifyReplyToken(key, token.toUpperCase())).to.equal(7);
      expect(verifyReplyToken(key, `reply+${token}@example.go.id`)).to.equal(7);
      expect(verifyReplyToken(key, `<REPLY+${token.toUpperCase()}@EXAMPLE.GO.ID>`)).to.equal(7);
    });

    it('refuses a tampered, moved, foreign-key or garbled token', () => {
      const token = signReplyToken(key, 7);
      const mac = token.split('.')[1]!;
      expect(verifyReplyToken(key, tamperMac(token))).to.equal(undefined);
      expect(verifyReplyToken(key, `8.${mac}`)).to.equal(undefined);
      expect(verifyReplyToken(otherKey, token)).to.equal(undefined);
      for (const garbled of ['', '7', '7.', '.abc', '7.xyz', 'reply+', 'helpdesk@example.go.id']) {
        expect(verifyReplyToken(key, garbled), garbled).to.equal(undefined);
      }
    });

    it('does not accept a Message-ID signature as a reply token, nor the reverse', () => {
      const id = signMessageId(key, 7, 1, 'x');
      const messageMac = id.split('@')[0]!.split('.')[3]!;
      expect(verifyReplyToken(key, `7.${messageMac.slice(0, 16)}`)).to.equal(undefined);
      const replyMac = signReplyToken(key, 7).split('.')[1]!;
      expect(verifyMessageId(key, `sp.7.1.${replyMac}0000@x`)).to.equal(undefined);
    });
  });

  describe('mailDomain', () => {
    it('takes the domain of EMAIL_FROM, with or without a display name', () => {
      expect(mailDomain('Satu Pintu <helpdesk@DPMPTSP.example.go.id>')).to.equal('dpmptsp.example.go.id');
      expect(mailDomain('helpdesk@example.go.id')).to.equal('example.go.id');
      expect(mailDomain('"Kantor @ Kota" <cs@kota.go.id>')).to.equal('kota.go.id');
    });

    it('falls back to localhost for a sender without a domain', () => {
      expect(mailDomain('helpdesk')).to.equal('localhost');
    });
  });
});
