import { createTransport } from 'nodemailer';

export interface SmtpRefusal extends Error {
  responseCode?: number;
  response?: string;
}

/**
 * A mail client on loopback: nodemailer speaking real SMTP to our listener. `raw` sends bytes as
 * they are (the fixtures); an empty `from` is the null sender of bounces and auto-replies.
 */
export function mailSender(port: number) {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5000,
  });
  return {
    async sendRaw(raw: Buffer | string, envelope: { from: string; to: string[] }): Promise<string> {
      const info = await transport.sendMail({ envelope, raw });
      return String(info.response);
    },
    async send(message: {
      from: string;
      to: string;
      subject?: string;
      text?: string;
      html?: string;
      headers?: Record<string, string>;
      messageId?: string;
      inReplyTo?: string;
      references?: string[];
      attachments?: Array<{ filename: string; content: Buffer; contentType?: string; cid?: string }>;
    }): Promise<string> {
      const info = await transport.sendMail(message);
      return String(info.response);
    },
    /** The refusal of a send that must fail, with the SMTP code the server answered. */
    async refusal(send: Promise<unknown>): Promise<SmtpRefusal> {
      const outcome = await send.then(
        () => undefined,
        (error: SmtpRefusal) => error,
      );
      if (!outcome) throw new Error('The server accepted a mail it should have refused');
      return outcome;
    },
    close: () => transport.close(),
  };
}
