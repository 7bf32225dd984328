import {
  isRawMessageAdapter,
  isVoiceAdapter,
  isWebhookAdapter,
  missingVoiceMembers,
  type ChannelAdapter,
  type ChannelKind,
  type ProviderMedia,
  type RawMessageAdapter,
  type VoiceAdapter,
  type WebhookAdapter,
} from './adapter.js';
import { createEmailAdapter, type EmailSettings } from './email/adapter.js';
import { createWebchatAdapter, type WebchatSettings } from './webchat/adapter.js';
import { createTwilioMessagingAdapter, type TwilioMessagingSettings } from './twilio-messaging/adapter.js';
import { createTwilioVoiceAdapter, type TwilioVoiceSettings } from './twilio-voice/adapter.js';

export interface ChannelSettings {
  twilio: TwilioMessagingSettings;
  email: EmailSettings;
  /** The phone line (Twilio Voice); without it the registry carries no voice channel. */
  twilioVoice?: TwilioVoiceSettings;
  /** The web chat (always carried: its "provider" is our own chat API). */
  webchat?: WebchatSettings;
}

export class ChannelRegistry {
  private readonly byKind = new Map<ChannelKind, ChannelAdapter>();
  private readonly byProvider = new Map<string, ChannelAdapter>();

  constructor(adapters: ChannelAdapter[]) {
    for (const adapter of adapters) {
      assertAdapter(adapter);
      this.byProvider.set(adapter.provider, adapter);
      for (const kind of adapter.kinds) this.byKind.set(kind, adapter);
    }
  }

  /** The adapter that sends on a channel; undefined when no adapter carries it yet. */
  forChannel(kind: ChannelKind): ChannelAdapter | undefined {
    return this.byKind.get(kind);
  }

  forProvider(provider: string): ChannelAdapter {
    const adapter = this.byProvider.get(provider);
    if (!adapter) throw new Error(`No channel adapter for provider ${provider}`);
    return adapter;
  }

  webhookAdapter(provider: string): WebhookAdapter {
    const adapter = this.forProvider(provider);
    if (!isWebhookAdapter(adapter)) throw new Error(`The ${provider} adapter receives no webhooks`);
    return adapter;
  }

  /**
   * A file a provider keeps (attachments with `storage: 'provider'`), from that provider's adapter;
   * undefined when no adapter of that name can fetch it.
   */
  async fetchMedia(provider: string, url: string): Promise<ProviderMedia | undefined> {
    return this.byProvider.get(provider)?.fetchMedia?.(url);
  }

  /** The phone line's adapter (IVR, recordings, call-backs): the one that carries the voice channel. */
  voiceAdapter(): VoiceAdapter {
    const adapter = this.byKind.get('voice');
    if (!adapter || !isVoiceAdapter(adapter)) throw new Error('No voice adapter: no provider carries the phone line');
    return adapter;
  }

  rawMessageAdapter(provider: string): RawMessageAdapter {
    const adapter = this.forProvider(provider);
    if (!isRawMessageAdapter(adapter)) throw new Error(`The ${provider} adapter parses no raw messages`);
    return adapter;
  }
}

/** Checked at boot, so that a half-written adapter fails the start, not the first message. */
function assertAdapter(adapter: ChannelAdapter): void {
  const missing: string[] = [];
  if (!adapter.provider) missing.push('provider');
  if (!adapter.kinds?.length) missing.push('kinds');
  if (typeof adapter.send !== 'function') missing.push('send');
  if (!isWebhookAdapter(adapter) && !isRawMessageAdapter(adapter)) missing.push('verify and parse, or parseRaw');
  // The voice channel is carried by a whole VoiceAdapter (the phone line's webhooks, steps, call-backs).
  if (adapter.kinds?.includes('voice')) missing.push(...missingVoiceMembers(adapter));
  if (missing.length > 0)
    throw new Error(`Channel adapter ${adapter.provider || '(unnamed)'} is incomplete: missing ${missing.join(', ')}`);
}

export function createChannelRegistry(settings: ChannelSettings): ChannelRegistry {
  const adapters: ChannelAdapter[] = [
    createTwilioMessagingAdapter(settings.twilio),
    createEmailAdapter(settings.email),
    createWebchatAdapter(settings.webchat),
  ];
  if (settings.twilioVoice) adapters.push(createTwilioVoiceAdapter(settings.twilioVoice));
  return new ChannelRegistry(adapters);
}
