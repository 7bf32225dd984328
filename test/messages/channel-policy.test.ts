import { expect } from 'chai';
import {
  laterNoticeChannel,
  WHATSAPP_WINDOW_MS,
  whatsAppWindowState,
  writtenChannel,
} from '../../src/messages/channel-policy.js';

describe('The channel policy (src/messages/channel-policy.ts)', () => {
  const at = new Date('2026-12-01T02:00:00Z');

  it("answers on the citizen's own channel, a call by SMS, a form by its email or else SMS", () => {
    expect(['sms', 'whatsapp', 'email', 'webchat'].map((channel) => writtenChannel(channel))).to.deep.equal([
      'sms',
      'whatsapp',
      'email',
      'webchat',
    ]);
    expect(writtenChannel('voice')).to.equal('sms');
    expect(writtenChannel('web', ['phone', 'email'])).to.equal('email');
    expect(writtenChannel('web', ['phone'])).to.equal('sms');
  });

  it('sends a later notice on WhatsApp only while its window is known to be open, else by SMS', () => {
    expect(laterNoticeChannel('whatsapp')).to.equal('sms');
    expect(laterNoticeChannel('whatsapp', [], true)).to.equal('whatsapp');
    expect(laterNoticeChannel('voice')).to.equal('sms');
    expect(laterNoticeChannel('web', ['email'])).to.equal('email');
    expect(laterNoticeChannel('email', [], true)).to.equal('email');
  });

  it('keeps the WhatsApp window open for 24 hours after the citizen last wrote, and closed if they never did', () => {
    const justInside = new Date(at.getTime() - WHATSAPP_WINDOW_MS + 1);
    expect(whatsAppWindowState(justInside, at)).to.deep.equal({
      open: true,
      last_citizen_message_at: justInside.toISOString(),
      closes_at: new Date(justInside.getTime() + WHATSAPP_WINDOW_MS).toISOString(),
    });
    expect(whatsAppWindowState(new Date(at.getTime() - WHATSAPP_WINDOW_MS), at).open).to.equal(false);
    expect(whatsAppWindowState(undefined, at)).to.deep.equal({
      open: false,
      last_citizen_message_at: null,
      closes_at: null,
    });
  });
});
