import { ACCOUNT_SID } from '../test/support/twilio-payloads.js';
import {
  VOICE,
  callForm,
  callSid,
  parseTwiml,
  recordingSid,
  transcriptionSid,
  type Verb,
} from '../test/support/twilio-voice-payloads.js';
import type { TwilioWebhooks } from './citizens.js';

export interface CallScript {
  /** What the caller keys in at each <Gather>, in turn; when none are left, they hang up. */
  keys: string[];
  /** What the caller says at a <Record>, as Twilio's transcription gives it back. */
  says?: string;
  recordingSeconds?: number;
}

/** Roughly how long the line takes to say a sentence. */
const secondsToSay = (text: string) => Math.ceil(text.split(/\s+/).length / 2.5);

/**
 * One call to the help desk's voice number, played the way Twilio plays it: the first webhook,
 * then the TwiML of each answer followed verb by verb (<Say> is heard, <Gather> posts the keys to
 * its action, <Record> posts the recording, <Dial> reports the agent's phone not answered,
 * <Hangup> or the end of a document ends the call), then the call's status callback, and last,
 * as Twilio sends it after the call, the recording's transcription. Returns the CallSid.
 */
export async function phoneCall(
  webhooks: TwilioWebhooks,
  from: string,
  script: CallScript,
  print: (line: string) => void,
): Promise<string> {
  const sid = callSid();
  const keys = [...script.keys];
  let seconds = 0;
  let transcription: { url: string; params: Record<string, string> } | undefined;
  const hear = (text = '') => {
    seconds += secondsToSay(text);
    print(`   ☎ line: ${text.length > 110 ? `${text.slice(0, 107)}...` : text}`);
  };

  print(`   ☎ ${from} calls the help desk`);
  let twiml: string | undefined = await webhooks.post(VOICE, callForm(sid, from));
  calling: while (twiml !== undefined) {
    const verbs: Verb[] = parseTwiml(twiml);
    twiml = undefined;
    for (const verb of verbs) {
      if (verb.verb === 'Say') {
        hear(verb.text);
      } else if (verb.verb === 'Gather') {
        for (const say of verb.children) hear(say.text);
        const digits = keys.shift();
        if (digits === undefined) {
          print('   ☎ the caller hangs up');
          break calling;
        }
        print(`   ☎ the caller presses ${digits}`);
        twiml = await webhooks.post(verb.attrs.action!, callForm(sid, from, { Digits: digits }));
        continue calling;
      } else if (verb.verb === 'Record') {
        const duration = script.recordingSeconds ?? 30;
        seconds += duration;
        print(`   ☎ after the beep (${duration} s): "${script.says ?? ''}"`);
        const recordingId = recordingSid();
        const recording = {
          RecordingSid: recordingId,
          RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingId}`,
          RecordingDuration: String(duration),
        };
        if (verb.attrs.transcribeCallback && script.says) {
          transcription = {
            url: verb.attrs.transcribeCallback,
            params: {
              TranscriptionSid: transcriptionSid(),
              TranscriptionText: script.says,
              TranscriptionStatus: 'completed',
              RecordingSid: recording.RecordingSid,
              RecordingUrl: recording.RecordingUrl,
            },
          };
        }
        twiml = await webhooks.post(verb.attrs.action!, callForm(sid, from, recording));
        continue calling;
      } else if (verb.verb === 'Dial') {
        print('   ☎ the agent’s phone rings; nobody answers');
        twiml = await webhooks.post(verb.attrs.action!, callForm(sid, from, { DialCallStatus: 'no-answer' }));
        continue calling;
      } else if (verb.verb === 'Hangup') {
        break calling;
      }
    }
  }
  await webhooks.post(
    `${VOICE}/status`,
    callForm(sid, from, { CallStatus: 'completed', CallDuration: String(seconds) }),
  );
  print(`   ☎ call over (${seconds} s)`);
  if (transcription) await webhooks.post(transcription.url, callForm(sid, from, transcription.params));
  return sid;
}
