import { expect } from 'chai';
import fc from 'fast-check';
import { withKey } from '../../src/voice/call-store.js';

describe('Voice: the keys a caller pressed, kept on the call (withKey)', () => {
  it('adds each key after the ones before, with a space, from an empty path', () => {
    expect(withKey('', '3')).to.equal('3');
    expect(withKey('3', '-')).to.equal('3 -');
    expect(withKey('3 -', '5')).to.equal('3 - 5');
  });

  it('law: the path fits its column (255), ends with the key just pressed, and keeps the latest keys when it is full', () => {
    const keyArb = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', '-');
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 300, size: 'max' }), (keys) => {
        let path = '';
        for (const key of keys) {
          path = withKey(path, key);
          expect(path.length).to.be.at.most(255);
          expect(path.endsWith(key)).to.equal(true);
        }
        const whole = keys.join(' ');
        expect(path).to.equal(whole.slice(-255).trim());
      }),
      { numRuns: 300 },
    );
  });
});
