/** The API's vocabularies the filters offer (src/tickets/ticket-statuses.ts, vocabulary.ts, channels/adapter.ts). */
export const STATUSES = ['new', 'open', 'pending_citizen', 'pending_agency', 'resolved', 'closed'] as const;
export const CHANNELS = ['sms', 'whatsapp', 'voice', 'email', 'webchat', 'web'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const PRESENCES = ['available', 'busy', 'away', 'offline'] as const;
/** Kaltim's offices keep WITA; used until the team's calendar says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Makassar';
