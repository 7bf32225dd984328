import twilio from 'twilio';
import { mailSender } from '../test/support/mail-sender.js';
import { inboundSms, inboundWhatsApp } from '../test/support/twilio-payloads.js';

/**
 * Posts webhooks to the help desk the way Twilio does: a form, signed in X-Twilio-Signature with
 * the auth token over the full URL and the sorted parameters (the twilio package's own function,
 * the counterpart of the validateRequest the server checks with).
 */
export class TwilioWebhooks {
  constructor(
    private readonly publicUrl: string,
    private readonly authToken: string,
  ) {}

  /** The answer's body (TwiML); throws on anything but 200. */
  async post(pathOrUrl: string, params: Record<string, string>): Promise<string> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : this.publicUrl + pathOrUrl;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(this.authToken, url, params),
      },
      body: new URLSearchParams(params),
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`Webhook ${url} answered ${response.status}: ${body.slice(0, 300)}`);
    return body;
  }
}

const MESSAGING = '/webhooks/twilio/messaging';

/** The citizens' side of the morning: their SMS and WhatsApp through Twilio, their mail over SMTP. */
export class Citizens {
  constructor(
    private readonly twilio: TwilioWebhooks,
    private readonly smtpPort: number,
    private readonly print: (line: string) => void,
  ) {}

  async sms(from: string, body: string): Promise<void> {
    this.print(`   ← SMS from ${from}: ${body}`);
    await this.twilio.post(MESSAGING, inboundSms(from, body));
  }

  async whatsApp(from: string, name: string, body: string): Promise<void> {
    this.print(`   ← WhatsApp from ${from} (${name}): ${body}`);
    await this.twilio.post(MESSAGING, inboundWhatsApp(from, body, { ProfileName: name }));
  }

  /** A mail over real SMTP to the help desk's own listener, as the citizen's mail server delivers it. */
  async email(mail: { from: string; to: string; subject: string; text: string }): Promise<void> {
    this.print(`   ← email from ${mail.from}: [${mail.subject}] ${mail.text.split('\n')[0]}`);
    const sender = mailSender(this.smtpPort);
    try {
      await sender.send(mail);
    } finally {
      sender.close();
    }
  }
}
