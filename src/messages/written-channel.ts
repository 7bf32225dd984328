/**
 * The channel a written message to the citizen goes on: their own, except
 * - a phone call's, which is answered by SMS to the same number (the voice line carries no text);
 * - a web form's, which is answered by email when the form gave an email address, else by SMS
 *   (a form has no channel of its own to write back on; `identities` are the kinds of identity
 *   the form gave: 'email', 'phone'; see webFormAddress in src/contacts/contact-address.ts).
 * Acknowledgements, replies, notices and routing all follow this one rule.
 */
export function writtenChannel(channel: string, identities: readonly string[] = []): string {
  if (channel === 'voice') return 'sms';
  if (channel === 'web') return identities.includes('email') ? 'email' : 'sms';
  return channel;
}
