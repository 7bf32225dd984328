import type { Knex } from 'knex';
import type { VoiceAdapter, VoiceLanguage, VoiceStep } from '../../channels/adapter.js';
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
  gatherTimeoutSeconds: number;
  referenceAttempts: number;
  recordingMaxSeconds: number;
  dialTimeoutSeconds: number;
  /** Our number (TWILIO_VOICE_FROM): the caller ID of call-backs. */
  voiceFrom?: string;
}

/**
 * The absolute URLs of our voice webhooks that the provider is given for what comes next on a call
 * (it then signs them as given). The HTTP layer builds them from PUBLIC_URL and the paths it mounts
 * (src/http/webhooks/voice-urls.ts): the core writes no path.
 */
export interface VoiceUrls {
  /** A key of the main menu. */
  menu: string;
  /** The reference number keyed in for a ticket's status. */
  reference: string;
  /** The choice after no agent could answer: a voice message or a call-back. */
  offer: string;
  /** The outcome of the <Dial> to an agent. */
  dial: string;
  /** A recording made, for a complaint or a voice message. */
  recording(purpose: 'complaint' | 'voicemail'): string;
  transcription: string;
  /** A call-back's agent answered: what they hear, then the <Dial> to the citizen. */
  callbackAnswer(taskId: number): string;
  /** How a call-back's <Dial> to the citizen ended. */
  callbackDial(taskId: number): string;
  /** The final status of a call-back's leg to the agent. */
  callbackStatus(taskId: number): string;
}

export interface VoiceContext {
  db: Knex;
  adapter: VoiceAdapter;
  urls: VoiceUrls;
  inbox: InboxWriter;
  prompts: VoicePrompts;
  settings: VoiceSettings;
  logger: Logger;
  now: () => Date;
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
        action: context.urls.menu,
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
