import { simpleParser } from 'mailparser';
import type { SmtpCapture } from '../test/support/smtp-capture.js';
import type { TwilioStandIn } from './twilio-stand-in.js';

/** One message that left the help desk and reached a stand-in: an SMS, a WhatsApp message or a mail. */
export interface Delivered {
  channel: 'sms' | 'whatsapp' | 'email';
  to: string;
  subject?: string;
  text: string;
}

const LABEL = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'email' } as const;

/**
 * What the stand-ins received, in arrival order, each printed once as it arrives ("→ SMS to …");
 * the demo waits on it for the acknowledgements and replies its citizens expect.
 */
export class Outbox {
  readonly delivered: Delivered[] = [];
  private twilioSeen = 0;
  private mailSeen = 0;
  private readonly timer: NodeJS.Timeout;
  private polling = Promise.resolve();

  constructor(
    private readonly twilio: TwilioStandIn,
    private readonly mail: SmtpCapture,
    private readonly print: (line: string) => void,
  ) {
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, 50);
  }

  /** The first delivery (after `after` of them) that `matches`; fails after `timeoutMs`. */
  async next(what: string, matches: (item: Delivered) => boolean, after = 0, timeoutMs = 15_000): Promise<Delivered> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.delivered.slice(after).find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Nothing reached the stand-ins for ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** How many deliveries there are so far (all taken in): `next` after it waits for newer ones. */
  async mark(): Promise<number> {
    await this.flush();
    return this.delivered.length;
  }

  /** Waits until nothing more has reached the stand-ins for `ms` (late acknowledgements, replies). */
  async quiet(ms = 750): Promise<void> {
    let seen = -1;
    while (seen !== this.delivered.length) {
      seen = this.delivered.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      await this.flush();
    }
  }

  /** Takes in (and prints) whatever reached the stand-ins so far. */
  async flush(): Promise<void> {
    this.polling = this.polling.then(() => this.poll());
    await this.polling;
  }

  /** Stops watching, once what arrived is printed. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async poll(): Promise<void> {
    while (this.twilioSeen < this.twilio.messages.length) {
      const message = this.twilio.messages[this.twilioSeen++]!;
      this.add({ channel: message.channel, to: message.to, text: message.body });
    }
    while (this.mailSeen < this.mail.messages.length) {
      const mail = this.mail.messages[this.mailSeen++]!;
      const parsed = await simpleParser(mail.raw);
      this.add({
        channel: 'email',
        to: mail.rcptTo.join(', '),
        subject: parsed.subject ?? '',
        text: (parsed.text ?? '').trim(),
      });
    }
  }

  private add(item: Delivered): void {
    this.delivered.push(item);
    const text = item.text.replace(/\s+/g, ' ');
    const subject = item.subject === undefined ? '' : `[${item.subject}] `;
    this.print(
      `   → ${LABEL[item.channel]} to ${item.to}: ${subject}${text.length > 220 ? `${text.slice(0, 217)}...` : text}`,
    );
  }
}
