import { expect } from 'chai';
import * as fc from 'fast-check';
import {
  REFERENCE_LENGTH,
  dammCheckDigit,
  findReferences,
  formatReference,
  generateReference,
  isValidReference,
} from '../../src/tickets/reference-number.js';

// Worked by hand through the Damm table in the source:
//   "572"      → 0→(5)9→(7)7→(2)4                     check digit 4 (the textbook example)
//   "12345678" → 0→(1)3→(2)5→(3)4→(4)0→(5)9→(6)6→(7)1→(8)6   check digit 6
const KNOWN_VALID = '123456786';
const KNOWN_MISTYPED = '123456789'; // same body, check digit 9 instead of 6

/** Every string that differs from `digits` in exactly one position. */
function singleSubstitutions(digits: string): string[] {
  const variants: string[] = [];
  for (let position = 0; position < digits.length; position += 1) {
    for (let digit = 0; digit <= 9; digit += 1) {
      if (String(digit) === digits[position]) continue;
      variants.push(digits.slice(0, position) + String(digit) + digits.slice(position + 1));
    }
  }
  return variants;
}

/** Every string obtained by swapping two neighbouring, different digits. */
function adjacentTranspositions(digits: string): string[] {
  const variants: string[] = [];
  for (let position = 0; position + 1 < digits.length; position += 1) {
    const [a, b] = [digits[position]!, digits[position + 1]!];
    if (a === b) continue; // swapping equal digits changes nothing
    variants.push(digits.slice(0, position) + b + a + digits.slice(position + 2));
  }
  return variants;
}

describe('tickets/reference-number', () => {
  describe('dammCheckDigit', () => {
    it('gives 4 for "572" (the textbook Damm example)', () => {
      expect(dammCheckDigit('572')).to.equal(4);
    });

    it('gives 6 for "12345678" (worked by hand through the table)', () => {
      expect(dammCheckDigit('12345678')).to.equal(6);
    });

    it('gives 0 for the empty string and for any string that already ends in its check digit', () => {
      expect(dammCheckDigit('')).to.equal(0);
      expect(dammCheckDigit('5724')).to.equal(0);
      expect(dammCheckDigit(KNOWN_VALID)).to.equal(0);
    });

    it('is the one digit that makes the whole string check to 0', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^\d{1,12}$/), (body) => {
          const check = dammCheckDigit(body);
          for (let digit = 0; digit <= 9; digit += 1) {
            expect(dammCheckDigit(body + String(digit)) === 0, `${body}+${digit}`).to.equal(digit === check);
          }
        }),
      );
    });
  });

  describe('isValidReference', () => {
    it('accepts nine digits whose Damm check is 0', () => {
      expect(isValidReference(KNOWN_VALID)).to.equal(true);
    });

    it('rejects a wrong check digit', () => {
      expect(isValidReference(KNOWN_MISTYPED)).to.equal(false);
    });

    it('rejects anything that is not exactly nine digits, even when its Damm check is 0', () => {
      expect(isValidReference('5724')).to.equal(false); // Damm-valid, too short
      expect(isValidReference(`${KNOWN_VALID}0`)).to.equal(false); // Damm-valid (0 row 0 is 0), too long
      expect(isValidReference('123-456-786')).to.equal(false); // formatted, not bare digits
      expect(isValidReference(` ${KNOWN_VALID}`)).to.equal(false);
      expect(isValidReference('')).to.equal(false);
      expect(isValidReference('12345678a')).to.equal(false);
    });

    const references = [KNOWN_VALID, ...Array.from({ length: 6 }, () => generateReference())];

    it('rejects every single-digit substitution of a few references (exhaustive)', () => {
      for (const reference of references) {
        const variants = singleSubstitutions(reference);
        expect(variants).to.have.length(REFERENCE_LENGTH * 9);
        for (const variant of variants) {
          expect(isValidReference(variant), `${reference} → ${variant}`).to.equal(false);
        }
      }
    });

    it('rejects every adjacent transposition of a few references (exhaustive)', () => {
      let checked = 0;
      for (const reference of references) {
        for (const variant of adjacentTranspositions(reference)) {
          expect(isValidReference(variant), `${reference} → ${variant}`).to.equal(false);
          checked += 1;
        }
      }
      expect(checked).to.be.greaterThan(references.length * 3);
    });

    it('detects every single substitution and adjacent transposition of random references (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 10_000_000, max: 99_999_999 }), (body) => {
          const reference = String(body) + String(dammCheckDigit(String(body)));
          expect(isValidReference(reference)).to.equal(true);
          for (const variant of [...singleSubstitutions(reference), ...adjacentTranspositions(reference)]) {
            expect(isValidReference(variant), `${reference} → ${variant}`).to.equal(false);
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('generateReference', () => {
    const generated = Array.from({ length: 500 }, () => generateReference());

    it('gives nine digits that pass isValidReference', () => {
      for (const reference of generated) {
        expect(reference).to.match(/^\d{9}$/);
        expect(isValidReference(reference), reference).to.equal(true);
      }
    });

    it('never starts with 0', () => {
      for (const reference of generated) expect(reference[0], reference).to.not.equal('0');
    });

    it('is random, not sequential or constant', () => {
      // 8 random digits: 500 draws from 90 million values essentially never collide much.
      expect(new Set(generated).size).to.be.greaterThan(490);
      const firstDigits = new Set(generated.map((reference) => reference[0]));
      expect(firstDigits.size).to.be.greaterThan(5);
    });
  });

  describe('formatReference', () => {
    it('groups the digits 3-3-3 after the prefix', () => {
      expect(formatReference('123456789', 'SP-')).to.equal('SP-123-456-789');
    });

    it('works without a prefix', () => {
      expect(formatReference('123456789', '')).to.equal('123-456-789');
    });

    it('is read back by findReferences', () => {
      const reference = generateReference();
      expect(findReferences(`Tiket ${formatReference(reference, 'SP-')} mohon dicek`)).to.deep.equal({
        valid: [reference],
        mistyped: [],
      });
    });
  });

  describe('findReferences', () => {
    it('finds nothing in text without references', () => {
      expect(findReferences('')).to.deep.equal({ valid: [], mistyped: [] });
      expect(findReferences('Selamat pagi, izin usaha saya belum terbit')).to.deep.equal({ valid: [], mistyped: [] });
    });

    for (const [label, written] of [
      ['plain', '123456786'],
      ['grouped with spaces', '123 456 786'],
      ['grouped with dashes', '123-456-786'],
      ['grouped with dots', '123.456.786'],
      ['after the prefix', 'SP-123-456-786'],
      ['after the prefix, ungrouped', 'SP123456786'],
    ] as const) {
      it(`finds a reference written ${label}`, () => {
        expect(findReferences(`Nomor tiket saya ${written}, mohon info.`)).to.deep.equal({
          valid: [KNOWN_VALID],
          mistyped: [],
        });
      });
    }

    it('finds a reference at the very start and at the very end of the text', () => {
      expect(findReferences(`${KNOWN_VALID} tolong`).valid).to.deep.equal([KNOWN_VALID]);
      expect(findReferences(`tolong ${KNOWN_VALID}`).valid).to.deep.equal([KNOWN_VALID]);
    });

    it('puts a reference with a wrong check digit under mistyped', () => {
      expect(findReferences(`tiket SP-123-456-789`)).to.deep.equal({ valid: [], mistyped: [KNOWN_MISTYPED] });
    });

    it('separates valid from mistyped references in one text, in order of appearance', () => {
      const other = generateReference();
      const result = findReferences(
        `tiket ${KNOWN_MISTYPED} eh salah, maksud saya ${KNOWN_VALID} dan ${formatReference(other, 'SP-')}`,
      );
      expect(result.valid).to.deep.equal([KNOWN_VALID, other]);
      expect(result.mistyped).to.deep.equal([KNOWN_MISTYPED]);
    });

    for (const phone of [
      '081234567890',
      '+6281234567890',
      '6281234567890',
      '0812-3456-7890',
      '+62 812 3456 7890',
      '1234567890',
    ]) {
      it(`ignores the digits of a longer phone number ${phone}`, () => {
        expect(findReferences(`hubungi saya di ${phone} ya`)).to.deep.equal({ valid: [], mistyped: [] });
      });
    }

    it('ignores a valid reference that is only part of a longer run of digits', () => {
      expect(findReferences(`telp 08${KNOWN_VALID}`)).to.deep.equal({ valid: [], mistyped: [] });
      expect(findReferences(`+62${KNOWN_VALID}1`)).to.deep.equal({ valid: [], mistyped: [] });
    });

    it('still finds a reference quoted next to a phone number', () => {
      expect(findReferences(`telp 081234567890, tiket SP-${KNOWN_VALID}`)).to.deep.equal({
        valid: [KNOWN_VALID],
        mistyped: [],
      });
    });

    it('de-duplicates a reference quoted several times in different shapes', () => {
      const result = findReferences(
        `SP-123-456-786 ... ${KNOWN_VALID} ... 123 456 786 ... ${KNOWN_MISTYPED} ${KNOWN_MISTYPED}`,
      );
      expect(result).to.deep.equal({ valid: [KNOWN_VALID], mistyped: [KNOWN_MISTYPED] });
    });
  });
});
