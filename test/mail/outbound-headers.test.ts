import { expect } from 'chai';
import { mailSubject } from '../../src/mail/outbound-headers.js';

const row = (ticket_subject: string | null, ticket_language = 'id') => ({
  reference: '123456789',
  ticket_subject,
  ticket_language,
});

describe('mailSubject', () => {
  it('tags the ticket subject with the formatted reference', () => {
    expect(mailSubject(row('Izin usaha mikro'), 'SP-', false)).to.equal('[SP-123-456-789] Izin usaha mikro');
    expect(mailSubject(row('Izin usaha mikro'), 'PTSP/', false)).to.equal('[PTSP/123-456-789] Izin usaha mikro');
  });

  it('answers with Re:, never Re: Re:, taking off the citizen prefixes and an earlier tag', () => {
    expect(mailSubject(row('Re: RE: Fwd: Izin usaha'), 'SP-', true)).to.equal('Re: [SP-123-456-789] Izin usaha');
    expect(mailSubject(row('Balas: [SP-123-456-789] Izin usaha'), 'SP-', true)).to.equal(
      'Re: [SP-123-456-789] Izin usaha',
    );
    expect(mailSubject(row('AW: [SP 123 456 789]   Izin   usaha'), 'SP-', false)).to.equal(
      '[SP-123-456-789] Izin usaha',
    );
  });

  it('names an untitled ticket in the citizen language', () => {
    expect(mailSubject(row(null), 'SP-', false)).to.equal('[SP-123-456-789] Pesan Anda');
    expect(mailSubject(row('Re:', 'en'), 'SP-', false)).to.equal('[SP-123-456-789] Your message');
  });
});
