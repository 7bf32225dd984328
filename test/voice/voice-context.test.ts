import { expect } from 'chai';
import { DEFAULT_PROMPTS, mergePrompts } from '../../src/voice/prompts.js';
import {
  VOICE_WEBHOOK_PATH,
  goodbyeSteps,
  line,
  menuSteps,
  voiceUrl,
  type VoiceContext,
  type VoiceSettings,
} from '../../src/voice/voice-context.js';

const settings: VoiceSettings = {
  officeName: 'DPMPTSP Kota Makassar',
  referencePrefix: 'SP',
  defaultRegion: 'ID',
  publicUrl: 'https://layanan.example.go.id',
  gatherTimeoutSeconds: 6,
  referenceAttempts: 3,
  recordingMaxSeconds: 120,
  dialTimeoutSeconds: 20,
};
/**
 * These helpers read the settings and the prompts only: a context with nothing else, whose other
 * members throw when touched, shows that they reach for no database, adapter or clock.
 */
const contextWith = (prompts = DEFAULT_PROMPTS): VoiceContext =>
  new Proxy({ settings, prompts } as unknown as VoiceContext, {
    get(target, name) {
      if (name === 'settings' || name === 'prompts') return Reflect.get(target, name);
      throw new Error(`the helper read context.${String(name)}`);
    },
  });

describe("Voice: the phone line's common steps (src/voice/voice-context.ts)", () => {
  const context = contextWith();

  it('gives Twilio absolute webhook URLs under PUBLIC_URL, which it signs as given', () => {
    expect(VOICE_WEBHOOK_PATH).to.equal('/webhooks/twilio/voice');
    expect(voiceUrl(context, '/menu')).to.equal('https://layanan.example.go.id/webhooks/twilio/voice/menu');
    expect(voiceUrl(context, '/recording?purpose=voicemail')).to.equal(
      'https://layanan.example.go.id/webhooks/twilio/voice/recording?purpose=voicemail',
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
