/**
 * The channel policy, in one place: which channel a message to the citizen leaves on.
 *
 * - **Replies and acknowledgements** go on the citizen's own channel (`writtenChannel`), except a
 *   phone call's, answered by SMS to the same number (the voice line carries no text), and a web
 *   form's, answered by email when the form gave an email address, else by SMS (a form has no
 *   channel of its own; `identities` are the kinds of identity the form gave: 'email', 'phone';
 *   see webFormAddress in src/contacts/contact-address.ts). An agent may choose another channel
 *   known for the citizen (src/tickets/replies.ts).
 * - **WhatsApp's 24-hour window**: free text goes on WhatsApp only within 24 hours of the
 *   citizen's last WhatsApp message (`whatsAppWindowState`); outside it an agent's reply is
 *   refused with SMS offered (or the approved template is sent), and the console shows the window.
 * - **Later notices** (clarification reminders and expiries, an SLA extension's notice, status
 *   updates to a subscriber) are sent days after the citizen last wrote: on WhatsApp they fall back
 *   to SMS to the same number, which always arrives, unless the window is known to be open
 *   (`laterNoticeChannel`).
 *
 * Acknowledgements, replies, notices and routing's channel of a ticket all follow these rules.
 */

/** WhatsApp accepts free-form messages only within 24 hours of the citizen's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;

/** The channel a reply or an acknowledgement to the citizen goes on. */
export function writtenChannel(channel: string, identities: readonly string[] = []): string {
  if (channel === 'voice') return 'sms';
  if (channel === 'web') return identities.includes('email') ? 'email' : 'sms';
  return channel;
}

/**
 * The channel of a notice sent long after the citizen last wrote: the written channel, with
 * WhatsApp falling back to SMS unless its window is open (`whatsAppWindowOpen`, when the caller
 * looked it up; a notice that did not look is sent as though the window were closed).
 */
export function laterNoticeChannel(
  channel: string,
  identities: readonly string[] = [],
  whatsAppWindowOpen = false,
): string {
  const written = writtenChannel(channel, identities);
  return written === 'whatsapp' && !whatsAppWindowOpen ? 'sms' : written;
}

export interface WhatsAppWindow {
  open: boolean;
  /** The citizen's last WhatsApp message (any of their tickets), null when they never wrote on it. */
  last_citizen_message_at: string | null;
  /** When the window closes (or closed): 24 hours after that message. */
  closes_at: string | null;
}

/** The window at `at`, given the citizen's last WhatsApp message (undefined: they never wrote on it). */
export function whatsAppWindowState(lastCitizenMessageAt: Date | undefined, at: Date): WhatsAppWindow {
  if (lastCitizenMessageAt === undefined) return { open: false, last_citizen_message_at: null, closes_at: null };
  const last = lastCitizenMessageAt.getTime();
  return {
    open: at.getTime() - last < WHATSAPP_WINDOW_MS,
    last_citizen_message_at: new Date(last).toISOString(),
    closes_at: new Date(last + WHATSAPP_WINDOW_MS).toISOString(),
  };
}
