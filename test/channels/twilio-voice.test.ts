import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { isVoiceAdapter, MalformedPayloadError } from '../../channels/adapter.js';
import { ChannelRegistry } from '../../channels/registry.js';
import { readCallForm } from '../../channels/twilio-voice/call-form.js';
import { callEnvelope, voicemailEnvelope } from '../../channels/twilio-voice/envelopes.js';
import { renderTwiml, EMPTY_VOICE_TWIML } from '../../channels/twilio-voice/twiml.js';
import { createTwilioVoiceAdapter } from '../../channels/twilio-voice/adapter.js';
import { defaultCalendar } from '../../src/calendar/calendar.js';
import { nextAttemptAt, parseRetryDelays } from '../../src/tasks/retry-policy.js';
import { DEFAULT_PROMPTS, PROMPT_KEYS, loadPrompts, mergePrompts, speak } from '../../src/voice/prompts.js';
import { outline, parseTwiml } from '../support/twilio-voice-payloads.js';

describe('channels/twilio-voice', () => {
  describe('renderTwiml', () => {
    it("renders each step as its TwiML verb, in order, speaking the call's language", () => {
      const xml = renderTwiml('en', [
        { say: 'Hello' },
        { gather: { action: 'https://x.go.id/menu', numDigits: 1, timeoutSeconds: 6, say: ['Press 1'] } },
        { record: { action: 'https://x.go.id/rec', maxLengthSeconds: 90, transcribeCallback: 'https://x.go.id/tr' } },
        {
          dial: {
            number: '+6281300000001',
            action: 'https://x.go.id/dial',
            timeoutSeconds: 20,
            callerId: '+6281100000002',
          },
        },
        { hangup: true },
      ]);
      const verbs = parseTwiml(xml);
      expect(outline(verbs)).to.deep.equal(['Say', 'Gather(Say)', 'Record', 'Dial(Number)', 'Hangup']);
      expect(verbs[0]).to.deep.include({ attrs: { language: 'en-US' }, text: 'Hello' });
      expect(verbs[1]!.attrs).to.deep.equal({
        input: 'dtmf',
        action: 'https://x.go.id/menu',
        method: 'POST',
        numDigits: '1',
        timeout: '6',
        actionOnEmptyResult: 'true',
      });
      expect(verbs[2]!.attrs).to.include({
        maxLength: '90',
        transcribe: 'true',
        transcribeCallback: 'https://x.go.id/tr',
        playBeep: 'true',
      });
      expect(verbs[3]!.attrs).to.include({ callerId: '+6281100000002', timeout: '20', action: 'https://x.go.id/dial' });
      expect(verbs[3]!.children[0]!.text).to.equal('+6281300000001');
    });

    it('escapes what it says (prompts are text an administrator edits)', () => {
      const xml = renderTwiml('id', [{ say: 'Tekan 1 <atau> 2 & selesai' }, { hangup: true }]);
      expect(xml).to.include('Tekan 1 &lt;atau&gt; 2 &amp; selesai');
      const verbs = parseTwiml(xml);
      expect(outline(verbs)).to.deep.equal(['Say', 'Hangup']); // no verb smuggled in
      expect(verbs[0]!.attrs.language).to.equal('id-ID');
    });

    it('answers reports with an empty response', () => {
      expect(parseTwiml(EMPTY_VOICE_TWIML)).to.deep.equal([]);
    });
  });

  describe('readCallForm', () => {
    const request = (body: Record<string, unknown>) => ({
      url: 'https://x.go.id/webhooks/twilio/voice',
      headers: {},
      body,
    });

    it("reads keys, recordings, transcriptions, dial and call statuses by Twilio's field names, in the contract's", () => {
      expect(
        readCallForm(request({ CallSid: 'CA1', From: '+6281234567890', To: '+6281100000002', Digits: '12#' })),
      ).to.include({ callId: 'CA1', from: '+6281234567890', digits: '12#' });
      expect(
        readCallForm(
          request({ CallSid: 'CA1', RecordingSid: 'RE1', RecordingUrl: 'https://r', RecordingDuration: '42' }),
        ).recording,
      ).to.deep.equal({ id: 'RE1', url: 'https://r', seconds: 42 });
      const transcribed = readCallForm(
        request({
          CallSid: 'CA1',
          RecordingSid: 'RE1',
          RecordingUrl: 'https://r',
          TranscriptionSid: 'TR1',
          TranscriptionText: 'halo',
          TranscriptionStatus: 'completed',
        }),
      );
      expect(transcribed.recording).to.equal(undefined);
      expect(transcribed.transcription).to.deep.equal({
        id: 'TR1',
        text: 'halo',
        status: 'completed',
        recordingId: 'RE1',
      });
      expect(
        readCallForm(request({ CallSid: 'CA1', TranscriptionSid: 'TR1', TranscriptionStatus: 'failed' })).transcription
          ?.status,
      ).to.equal('failed');
      expect(
        readCallForm(
          request({ CallSid: 'CA1', DialCallStatus: 'no-answer', CallStatus: 'completed', CallDuration: '61' }),
        ),
      ).to.include({ dialStatus: 'no-answer', status: 'completed', durationSeconds: 61 });
      expect(readCallForm(request({ CallSid: 'CA1', Digits: '' })).digits).to.equal(undefined);
    });

    it("leaves out a status word the contract does not have (never a final one), and Object's own keys", () => {
      expect(readCallForm(request({ CallSid: 'CA1', CallStatus: 'in-progress' })).status).to.equal('in-progress');
      expect(readCallForm(request({ CallSid: 'CA1', CallStatus: 'on-hold' })).status).to.equal(undefined);
      expect(readCallForm(request({ CallSid: 'CA1', CallStatus: 'constructor' })).status).to.equal(undefined);
      expect(readCallForm(request({ CallSid: 'CA1', DialCallStatus: 'toString' })).dialStatus).to.equal(undefined);
    });

    it('refuses a form without CallSid, or with one too long to be a SID', () => {
      expect(() => readCallForm(request({ From: '+62812' }))).to.throw(MalformedPayloadError, /CallSid/);
      expect(() => readCallForm(request({ CallSid: 'CA'.padEnd(80, '0') }))).to.throw(MalformedPayloadError);
    });
  });

  describe('envelopes', () => {
    it('keys a recording by its RecordingSid and the call by its CallSid, on the voice channel', () => {
      const at = new Date('2026-12-01T02:00:00Z');
      const voicemail = voicemailEnvelope({
        callId: 'CA1',
        from: '+6281234567890',
        to: '+6281100000002',
        recording: { id: 'RE1', url: 'https://r', seconds: 9 },
        purpose: 'voicemail',
        text: 'Pesan suara',
        at,
      });
      expect(voicemail).to.deep.include({
        channel: 'voice',
        provider: 'twilio-voice',
        externalId: 'RE1',
        kind: 'voicemail',
      });
      expect(voicemail.attachments).to.deep.equal([
        { url: 'https://r', storage: 'provider', contentType: 'audio/x-wav', filename: 'RE1.wav' },
      ]);
      const ended = { from: '+62', to: '+62', text: 'x', at, status: 'completed', durationSeconds: 12 };
      const missed = callEnvelope({
        callId: 'CA1',
        ...ended,
        missed: true,
        details: { menu_path: '5', outcome: null },
      });
      expect(missed).to.deep.include({ externalId: 'CA1', kind: 'missed_call' });
      // The raw record in Twilio's field names, with what the core adds beside them.
      expect(missed.raw).to.deep.equal({
        CallSid: 'CA1',
        CallStatus: 'completed',
        CallDuration: 12,
        menu_path: '5',
        outcome: null,
      });
      expect(callEnvelope({ callId: 'CA1', ...ended, missed: false, details: {} }).kind).to.equal('call');
    });
  });

  describe('the adapter', () => {
    it("keeps the voice contract: the registry finds it by the voice channel, and its provider's name", () => {
      const adapter = createTwilioVoiceAdapter({ accountSid: 'AC1', authToken: 'token' });
      expect(isVoiceAdapter(adapter)).to.equal(true);
      expect(adapter.provider).to.equal('twilio-voice');
      expect(adapter.documentType).to.equal('text/xml');
      expect(adapter.emptyDocument).to.equal(EMPTY_VOICE_TWIML);
      expect(new ChannelRegistry([adapter]).voiceAdapter()).to.equal(adapter);
      expect(() => new ChannelRegistry([]).voiceAdapter()).to.throw(/No voice adapter/);
      const { placeCall: _placeCall, emptyDocument: _emptyDocument, ...half } = adapter;
      expect(() => new ChannelRegistry([half as typeof adapter])).to.throw(/missing placeCall, emptyDocument/);
    });

    it('refuses unsigned webhooks and sends no text on voice', async () => {
      const adapter = createTwilioVoiceAdapter({ accountSid: 'AC1', authToken: 'token' });
      expect(adapter.kinds).to.deep.equal(['voice']);
      expect(() => adapter.verify({ url: 'https://x', headers: {}, body: {} })).to.throw(/X-Twilio-Signature/);
      let failure: unknown;
      await adapter.send({ channel: 'voice', to: '+62', body: 'x' }).catch((error) => (failure = error));
      expect(failure).to.have.property('permanent', true);
    });
  });
});

describe('voice prompts', () => {
  it('has every prompt in Bahasa Indonesia and English, and fills placeholders', () => {
    for (const key of PROMPT_KEYS) {
      expect(DEFAULT_PROMPTS.id[key], `id.${key}`).to.be.a('string').that.is.not.empty;
      expect(DEFAULT_PROMPTS.en[key], `en.${key}`).to.be.a('string').that.is.not.empty;
    }
    expect(speak(DEFAULT_PROMPTS, 'id', 'ticketStatus', { reference: 'SP 1', status: 'Baru' })).to.equal(
      'Status tiket SP 1: Baru.',
    );
  });

  it("takes an administrator's overrides from VOICE_PROMPTS_FILE and refuses unknown keys", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prompts-')), 'prompts.json');
    fs.writeFileSync(file, JSON.stringify({ id: { greeting: 'Selamat datang di Mal Pelayanan Publik.' } }));
    const prompts = loadPrompts(file);
    expect(prompts.id.greeting).to.equal('Selamat datang di Mal Pelayanan Publik.');
    expect(prompts.id.menu).to.equal(DEFAULT_PROMPTS.id.menu);
    expect(prompts.en).to.deep.equal(DEFAULT_PROMPTS.en);
    expect(() => mergePrompts({ id: { greting: 'x' } })).to.throw(/Invalid voice prompts/);
    expect(() => mergePrompts({ fr: {} })).to.throw(/Invalid voice prompts/);
    expect(loadPrompts(undefined)).to.equal(DEFAULT_PROMPTS);
  });
});

describe('call-back retry policy', () => {
  const calendar = defaultCalendar(); // WITA, 07:30–12:00 and 13:00–16:00 (Friday 11:30 / 16:30), 2026 holidays
  const delays = parseRetryDelays('30m,2h,next_working_day');
  const wita = (local: string) => new Date(`${local}+08:00`);

  it('reads the setting', () => {
    expect(delays).to.deep.equal([{ minutes: 30 }, { minutes: 120 }, 'next_working_day']);
    expect(() => parseRetryDelays('30m,soon')).to.throw(/soon/);
  });

  it('waits 30 minutes, then 2 hours, then the next working day; no fourth retry', () => {
    expect(nextAttemptAt(delays, 1, calendar, wita('2026-12-01T10:00'))).to.deep.equal(wita('2026-12-01T10:30'));
    expect(nextAttemptAt(delays, 2, calendar, wita('2026-12-01T09:00'))).to.deep.equal(wita('2026-12-01T11:00'));
    expect(nextAttemptAt(delays, 3, calendar, wita('2026-12-01T11:00'))).to.deep.equal(wita('2026-12-02T07:30'));
    expect(nextAttemptAt(delays, 4, calendar, wita('2026-12-01T11:00'))).to.equal(undefined);
  });

  it('moves a retry that falls outside working hours to the next opening: lunch, evening, weekend, holidays', () => {
    expect(nextAttemptAt(delays, 1, calendar, wita('2026-12-01T11:45'))).to.deep.equal(wita('2026-12-01T13:00'));
    expect(nextAttemptAt(delays, 1, calendar, wita('2026-12-01T15:50'))).to.deep.equal(wita('2026-12-02T07:30'));
    expect(nextAttemptAt(delays, 2, calendar, wita('2026-12-04T15:00'))).to.deep.equal(wita('2026-12-07T07:30')); // Friday → Monday
    // Wednesday 23 December: the 24th is cuti bersama, the 25th Christmas, then the weekend.
    expect(nextAttemptAt(delays, 3, calendar, wita('2026-12-23T10:00'))).to.deep.equal(wita('2026-12-28T07:30'));
  });
});
