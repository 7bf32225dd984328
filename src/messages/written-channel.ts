/**
 * The channel a written message to the citizen goes on: their own, except a phone call's, which is
 * answered by SMS to the same number (the voice line carries no text). Acknowledgements, replies
 * and routing's capacity slots all follow this one rule.
 */
export function writtenChannel(channel: string): string {
  return channel === 'voice' ? 'sms' : channel;
}
