import { expect } from 'chai';
import { createTransport } from 'nodemailer';
import { mailSender } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';

describe('Email inbound: SMTP AUTH when SMTP_AUTH_USER is set', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '0',
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      SMTP_AUTH_USER: 'relay',
      SMTP_AUTH_PASSWORD: 'rahasia-relay',
    });
  });
  after(async () => server?.stop());

  it('refuses mail without the credentials and accepts it with them', async () => {
    const anonymous = mailSender(server.runtime.smtpPort!);
    try {
      const refused = await anonymous.refusal(
        anonymous.send({ from: 'a@example.com', to: HELPDESK, subject: 'x', text: 'x' }),
      );
      expect(refused.responseCode).to.equal(530);
    } finally {
      anonymous.close();
    }
    const transport = createTransport({
      host: '127.0.0.1',
      port: server.runtime.smtpPort!,
      ignoreTLS: true,
      auth: { user: 'relay', pass: 'rahasia-relay' },
    });
    try {
      const info = await transport.sendMail({ from: 'a@example.com', to: HELPDESK, subject: 'x', text: 'x' });
      expect(String(info.response)).to.match(/^250/);
    } finally {
      transport.close();
    }
  });
});
