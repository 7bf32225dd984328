import { expect } from 'chai';
import { identitiesOf } from '../../src/contacts/contact-service.js';
import { normalizePhone } from '../../src/contacts/phone.js';

const E164 = '+6281234567890';

describe('contacts/phone', () => {
  describe('normalizePhone', () => {
    for (const written of [
      '081234567890',
      '6281234567890',
      '+6281234567890',
      'whatsapp:+6281234567890',
      'WhatsApp:+6281234567890',
      '0812 3456 7890',
      '0812-3456-7890',
      '+62 812-3456-7890',
      '62 812 3456 7890',
      '  081234567890  ',
    ]) {
      it(`normalizes ${JSON.stringify(written)} to ${E164}`, () => {
        expect(normalizePhone(written, 'ID')).to.equal(E164);
      });
    }

    it('accepts the default region in lower case', () => {
      expect(normalizePhone('081234567890', 'id')).to.equal(E164);
    });

    it('normalizes a Jakarta landline (021) with the area code kept', () => {
      expect(normalizePhone('021 5550123', 'ID')).to.equal('+62215550123');
      expect(normalizePhone('(021) 555-0123', 'ID')).to.equal('+62215550123');
      expect(normalizePhone('0215550123', 'ID')).to.equal('+62215550123');
    });

    it('keeps a foreign number written internationally as itself', () => {
      expect(normalizePhone('+1 415 555 2671', 'ID')).to.equal('+14155552671');
      expect(normalizePhone('whatsapp:+14155552671', 'ID')).to.equal('+14155552671');
    });

    it('reads a national number in the default region given', () => {
      // The same trunk-0 national number means a different country in another region.
      expect(normalizePhone('0412 345 678', 'AU')).to.equal('+61412345678');
    });

    // KNOWN BUG (reported, not fixed here): src/contacts/phone.ts tries "62…" as international only
    // when the input is all digits, before separators are removed; with spaces or dashes the country
    // code is read as part of a national number. (Mobiles like "62 812 3456 7890" happen to be
    // rescued by libphonenumber; landlines are not.) Un-skip once fixed.
    it('reads "62 21 5550123" (country code without plus, with spaces) like "62215550123"', () => {
      expect(normalizePhone('62215550123', 'ID')).to.equal('+62215550123');
      expect(normalizePhone('62 21 5550123', 'ID')).to.equal('+62215550123');
      expect(normalizePhone('62-21-5550123', 'ID')).to.equal('+62215550123');
    });

    for (const garbage of ['', '   ', 'abc', '123', 'whatsapp:', 'not a phone 0']) {
      it(`returns undefined for ${JSON.stringify(garbage)}`, () => {
        expect(normalizePhone(garbage, 'ID')).to.equal(undefined);
      });
    }
    it('reads a mobile number typed without its leading 0 as Indonesian, not as a foreign number', () => {
      expect(normalizePhone('81234567890', 'ID')).to.equal(E164);
      expect(normalizePhone('812 3456 7890', 'ID')).to.equal(E164);
    });
  });

  describe('identitiesOf', () => {
    it('records a phone and a WhatsApp id that are the same number as one phone identity', () => {
      expect(identitiesOf({ phone: '081234567890', whatsappId: 'whatsapp:+6281234567890' }, 'ID')).to.deep.equal([
        { kind: 'phone', value: E164 },
      ]);
      expect(identitiesOf({ phone: '+6281234567890', whatsappId: '6281234567890' }, 'ID')).to.deep.equal([
        { kind: 'phone', value: E164 },
      ]);
    });

    it('records a WhatsApp id alone as a phone identity', () => {
      expect(identitiesOf({ whatsappId: '6281234567890' }, 'ID')).to.deep.equal([{ kind: 'phone', value: E164 }]);
    });

    it('keeps two different numbers as two phone identities', () => {
      expect(identitiesOf({ phone: '081234567890', whatsappId: '+6281298765432' }, 'ID')).to.deep.equal([
        { kind: 'phone', value: E164 },
        { kind: 'phone', value: '+6281298765432' },
      ]);
    });

    it('keeps a WhatsApp id that is not a phone number as a whatsapp identity', () => {
      expect(identitiesOf({ whatsappId: 'wa-user-abc' }, 'ID')).to.deep.equal([
        { kind: 'whatsapp', value: 'wa-user-abc' },
      ]);
    });

    it('lower-cases and trims the email', () => {
      expect(identitiesOf({ email: '  Budi.Santoso@Example.CO.ID ' }, 'ID')).to.deep.equal([
        { kind: 'email', value: 'budi.santoso@example.co.id' },
      ]);
    });

    it('combines phone and email, and drops a phone that is not a number', () => {
      expect(identitiesOf({ phone: '0812-3456-7890', email: 'Budi@Example.com', name: 'Budi' }, 'ID')).to.deep.equal([
        { kind: 'phone', value: E164 },
        { kind: 'email', value: 'budi@example.com' },
      ]);
      expect(identitiesOf({ phone: 'abc', email: 'budi@example.com' }, 'ID')).to.deep.equal([
        { kind: 'email', value: 'budi@example.com' },
      ]);
    });

    it('gives no identity for an empty address', () => {
      expect(identitiesOf({}, 'ID')).to.deep.equal([]);
      expect(identitiesOf({ name: 'Budi' }, 'ID')).to.deep.equal([]);
    });
  });
});
