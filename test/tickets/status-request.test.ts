import { expect } from 'chai';
import { parseStatusRequest } from '../../src/tickets/status-request.js';

describe('parseStatusRequest', () => {
  const valid = '262591945'; // a reference with a correct check digit (see the agent text frame's example)

  it('reads a bare reference, grouped or not, with or without the prefix', () => {
    for (const text of [
      valid,
      '262 591 945',
      '262-591-945',
      '262.591.945',
      'SP-262-591-945',
      'sp 262591945',
      ' 262591945. ',
    ])
      expect(parseStatusRequest(text, 'SP-'), text).to.deep.equal({ digits: valid, valid: true });
  });

  it('reads STATUS and CEK in any case', () => {
    for (const text of [
      'STATUS 262591945',
      'status: SP-262-591-945',
      'Cek 262 591 945?',
      'CEK#262591945',
      'cek sp262591945',
    ])
      expect(parseStatusRequest(text, 'SP-'), text).to.deep.equal({ digits: valid, valid: true });
  });

  it('marks a wrong check digit as mistyped', () => {
    expect(parseStatusRequest('cek 262591946', 'SP-')).to.deep.equal({ digits: '262591946', valid: false });
  });

  it('leaves everything else to the agents', () => {
    for (const text of [
      'Tiket 262591945 kapan selesai?',
      'cek',
      '26259194',
      '2625919451',
      '081262591945',
      'cek izin 262591945',
      '',
    ])
      expect(parseStatusRequest(text, 'SP-'), text).to.equal(undefined);
  });
});
