import { expect } from 'chai';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { dammCheckDigit, isValidReference } from '../../src/tickets/reference-number.js';
import { lookUpReference } from '../../src/tickets/reference-lookup.js';

/** A database that must not be asked: the checks that come before any lookup are what is tested here. */
const untouchable = new Proxy(() => undefined, {
  apply: () => {
    throw new Error('the database was queried');
  },
  get: (_target, name) => {
    throw new Error(`the database was touched (${String(name)})`);
  },
}) as unknown as Knex;

describe('A reference given for a ticket status (phone pad, SMS), before any lookup (lookUpReference)', () => {
  const phone = '+6281234567890';

  it('a mistyped number (wrong check digit, wrong length, nothing keyed) is caught by its check digit alone', async () => {
    for (const digits of ['123456789', '12345678', '1234567860', '', undefined])
      expect(await lookUpReference(untouchable, digits, phone, 'id'), String(digits)).to.deep.equal({
        kind: 'mistyped',
      });
  });

  it('law: any single mistyped digit of a valid number is caught without asking the database', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^\d{8}$/),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        async (body, position, shift) => {
          const valid = `${body}${dammCheckDigit(body)}`;
          expect(isValidReference(valid)).to.equal(true);
          const typo =
            valid.slice(0, position) + String((Number(valid[position]) + shift) % 10) + valid.slice(position + 1);
          expect(await lookUpReference(untouchable, typo, phone, 'en')).to.deep.equal({ kind: 'mistyped' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a valid number from a withheld caller is not found, without a lookup: nobody can read a ticket without its phone', async () => {
    expect(await lookUpReference(untouchable, '123456786', null, 'id')).to.deep.equal({ kind: 'not_found' });
  });
});
