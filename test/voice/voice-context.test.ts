import { expect } from 'chai';
import { VOICE_WEBHOOK_PATH, voiceUrls } from '../../src/http/webhooks/voice-urls.js';
import { DEFAULT_PROMPTS, mergePrompts } from '../../src/voice/prompts.js';
import { goodbyeSteps, line, menuSteps, type VoiceContext, type VoiceSettings } from '../../src/voice/voice-context.js';

const settings: VoiceSettings = {
  officeName: 'DPMPTSP Kota Makassar',
  referencePrefix: 'SP',
  defaultRegion: 'ID',
  gatherTimeoutSeconds: 6,
  referenceAttempts: 3,
  recordingMaxSeconds: 120,
  dialTimeoutSeconds: 20,
};
/** What the HTTP layer gives the core: its webhooks' URLs under PUBLIC_URL. */
const urls = voiceUrls('https://layanan.example.go.id');
/**
 * These helpers read the settings, the URLs and the prompts only: a context with nothing else, whose
 * other members throw when touched, shows that they reach for no database, adapter or clock.
 */
const contextWith = (prompts = DEFAULT_PROMPTS): VoiceContext =>
  new Proxy({ settings, urls, prompts } as unknown as VoiceContext, {
    get(target, name) {
      if (name === 'settings' || name === 'urls' || name === 'prompts') return Reflect.get(target, name);
      throw new Error(`the helper read context.${String(name)}`);
    },
  });

describe("Voice: the phone line's common steps (src/voice/voice-context.ts)", () => {
  const context = contextWith();

  it('is given absolute webhook URLs under PUBLIC_URL by the HTTP layer, which the provider signs as given', () => {
    expect(VOICE_WEBHOOK_PATH).to.equal('/webhooks/twilio/voice');
    expect(urls.menu).to.equal('https://layanan.example.go.id/webhooks/twilio/voice/menu');
    expect(urls.recording('voicemail')).to.equal(
      'https://layanan.example.go.id/webhooks/twilio/voice/recording?purpose=voicemail',
    );
    expect(urls.transcription).to.equal('https://layanan.example.go.id/webhooks/twilio/voice/transcription');
    expect(urls.callbackAnswer(7)).to.equal(
      'https://layanan.example.go.id/webhooks/twilio/voice/callback/answer?task=7',
    );
    expect(urls.callbackDial(7)).to.equal('https://layanan.example.go.id/webhooks/twilio/voice/callback/dial?task=7');
    expect(urls.callbackStatus(7)).to.equal(
      'https://layanan.example.go.id/webhooks/twilio/voice/callback/status?task=7',
    );
  });

  it("speaks a line in the call's language with the office's name filled in", () => {
    expect(line(context, 'id', 'greeting')).to.equal(
      'Selamat datang di layanan pengaduan dan informasi DPMPTSP Kota Makassar.',
    );
    expect(line(context, 'en', 'goodbye')).to.equal('Thank you for calling DPMPTSP Kota Makassar. Goodbye.');
    expect(line(context, 'en', 'ticketStatus', { reference: 'SP 123 456 786', status: 'Resolved' })).to.equal(
      'The status of ticket SP 123 456 786 is: Resolved.',
    );
  });

  it("uses the administrator's prompts, not the defaults, when VOICE_PROMPTS_FILE overrides one", () => {
    const custom = contextWith(mergePrompts({ id: { goodbye: 'Terima kasih, {office}.' } }));
    expect(line(custom, 'id', 'goodbye')).to.equal('Terima kasih, DPMPTSP Kota Makassar.');
  });

  it('asks for one key of the main menu, after what comes before it, within the gather timeout', () => {
    expect(menuSteps(context, 'id', ['Halo.', 'Kantor tutup.'])).to.deep.equal([
      {
        gather: {
          action: 'https://layanan.example.go.id/webhooks/twilio/voice/menu',
          numDigits: 1,
          timeoutSeconds: 6,
          say: ['Halo.', 'Kantor tutup.', DEFAULT_PROMPTS.id.menu],
        },
      },
    ]);
    expect(menuSteps(context, 'en')[0])
      .to.have.nested.property('gather.say')
      .that.deep.equals([DEFAULT_PROMPTS.en.menu]);
  });

  it('says what comes before, then goodbye, then hangs up', () => {
    expect(goodbyeSteps(context, 'en', ['We did not receive a recording.'])).to.deep.equal([
      { say: 'We did not receive a recording.' },
      { say: 'Thank you for calling DPMPTSP Kota Makassar. Goodbye.' },
      { hangup: true },
    ]);
    expect(goodbyeSteps(context, 'id').at(-1)).to.deep.equal({ hangup: true });
  });
});
