import type { Knex } from 'knex';
import type { ChannelRegistry } from '../../channels/registry.js';
import type { Config } from '../config.js';
import type { InboxWriter } from '../inbox/inbox-writer.js';
import type { Logger } from '../logger.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { CallbackAttempts } from '../tasks/attempts.js';
import { CallbackCalls } from '../tasks/callback-calls.js';
import { parseRetryDelays } from '../tasks/retry-policy.js';
import { CallRecords } from './call-records.js';
import { PhoneMenu } from './ivr.js';
import { loadPrompts } from './prompts.js';
import type { VoiceContext, VoiceUrls } from './voice-context.js';

export interface VoiceServices {
  menu: PhoneMenu;
  records: CallRecords;
  callbacks: CallbackCalls;
  attempts: CallbackAttempts;
  context: VoiceContext;
}

export interface VoiceDependencies {
  config: Config;
  db: Knex;
  inbox: InboxWriter;
  channels: ChannelRegistry;
  queues: PipelineQueues;
  logger: Logger;
  /** Our voice webhooks' URLs, from the HTTP layer that mounts them. */
  urls: VoiceUrls;
  now?: () => Date;
}

/** The phone line's services, built once per process from the settings (prompts are read here, at start). */
export function createVoiceServices(dependencies: VoiceDependencies): VoiceServices {
  const { config, db } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const adapter = dependencies.channels.voiceAdapter();
  const prompts = loadPrompts(config.VOICE_PROMPTS_FILE);
  const context: VoiceContext = {
    db,
    adapter,
    urls: dependencies.urls,
    inbox: dependencies.inbox,
    prompts,
    logger: dependencies.logger,
    now,
    settings: {
      officeName: config.OFFICE_NAME,
      referencePrefix: config.REFERENCE_PREFIX,
      defaultRegion: config.DEFAULT_REGION,
      gatherTimeoutSeconds: config.VOICE_GATHER_TIMEOUT_SECONDS,
      referenceAttempts: config.VOICE_REFERENCE_ATTEMPTS,
      recordingMaxSeconds: config.VOICE_RECORDING_MAX_SECONDS,
      dialTimeoutSeconds: config.VOICE_DIAL_TIMEOUT_SECONDS,
      voiceFrom: config.TWILIO_VOICE_FROM,
    },
  };
  const attempts = new CallbackAttempts(db, dependencies.queues, dependencies.logger, {
    retryDelays: parseRetryDelays(config.CALLBACK_RETRY_DELAYS),
    officeName: config.OFFICE_NAME,
    referencePrefix: config.REFERENCE_PREFIX,
  });
  const callbacks = new CallbackCalls(
    db,
    adapter,
    attempts,
    prompts,
    {
      referencePrefix: config.REFERENCE_PREFIX,
      dialTimeoutSeconds: config.VOICE_DIAL_TIMEOUT_SECONDS,
      voiceFrom: config.TWILIO_VOICE_FROM,
    },
    dependencies.urls,
    now,
  );
  return { menu: new PhoneMenu(context), records: new CallRecords(context), callbacks, attempts, context };
}
