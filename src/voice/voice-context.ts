import type { Knex } from 'knex';
import type { VoiceAdapter } from '../../channels/twilio-voice/adapter.js';
import type { VoiceLanguage, VoiceStep } from '../../channels/twilio-voice/twiml.js';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { FRONT_DESK_SLUG } from '../tickets/actions/transfer.js';
import type { Calendar } from '../calendar/calendar.js';
import type { InboxWriter } from '../inbox/inbox-writer.js';
import type { Logger } from '../logger.js';
import { speak, type PromptKey, type VoicePrompts } from './prompts.js';

export interface VoiceSettings {
  officeName: string;
  referencePrefix: string;
  defaultRegion: string;
  /** PUBLIC_URL: Twilio is given absolute action URLs under it, which it then signs. */
  publicUrl: string;
  gatherTimeoutSeconds: number;
  referenceAttempts: number;
  recordingMaxSeconds: number;
  dialTimeoutSeconds: number;
  /** Our number (TWILIO_VOICE_FROM): the caller ID of call-backs. */
  voiceFrom?: string;
}

export interface VoiceContext {
  db: Knex;
  adapter: VoiceAdapter;
  inbox: InboxWriter;
  prompts: VoicePrompts;
  settings: VoiceSettings;
  logger: Logger;
  now: () => Date;
}

export const VOICE_WEBHOOK_PATH = '/webhooks/twilio/voice';

/** The absolute URL of one of our voice webhooks. */
export function voiceUrl(context: VoiceContext, path: string): string {
  return `${context.settings.publicUrl}${VOICE_WEBHOOK_PATH}${path}`;
}

/** A prompt of this installation in the call's language, with the office's name filled in. */
export function line(
  context: VoiceContext,
  language: VoiceLanguage,
  key: PromptKey,
  values: Record<string, string> = {},
): string {
  return speak(context.prompts, language, key, { office: context.settings.officeName, ...values });
}

/** The front desk answers the line: its team id, and its calendar (or the default). */
export async function frontDesk(context: VoiceContext): Promise<{ teamId: number | null; calendar: Calendar }> {
  const team = await context.db('teams').where({ slug: FRONT_DESK_SLUG }).first('id');
  const teamId = team ? Number(team.id) : null;
  return { teamId, calendar: await loadTeamCalendar(context.db, teamId) };
}

/** The main menu, as a <Gather> that any of `before` leads into. */
export function menuSteps(context: VoiceContext, language: VoiceLanguage, before: string[] = []): VoiceStep[] {
  return [
    {
      gather: {
        action: voiceUrl(context, '/menu'),
        numDigits: 1,
        timeoutSeconds: context.settings.gatherTimeoutSeconds,
        say: [...before, line(context, language, 'menu')],
      },
    },
  ];
}

export function goodbyeSteps(context: VoiceContext, language: VoiceLanguage, before: string[] = []): VoiceStep[] {
  return [...before.map((text) => ({ say: text })), { say: line(context, language, 'goodbye') }, { hangup: true }];
}
