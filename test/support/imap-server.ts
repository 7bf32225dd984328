import type { AddressInfo } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';

export interface TestImapServer {
  /** IMAP_URL of the mailbox (user testuser, password testpass). */
  url: string;
  /** UIDs of the INBOX messages not yet \Seen, asked over IMAP as any client would. */
  unseen(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * A real IMAP server on loopback (hoodiecrow-imap, in memory) holding the given INBOX, for the
 * poller to fetch from. Mails flagged `seen` start as read.
 */
export async function startImapServer(messages: Array<{ raw: string; seen?: boolean }>): Promise<TestImapServer> {
  const server = hoodiecrow({
    plugins: [
      'ID',
      'UIDPLUS',
      'ENABLE',
      'SPECIAL-USE',
      'LITERALPLUS',
      'NAMESPACE',
      'UNSELECT',
      'SASL-IR',
      'AUTH-PLAIN',
    ],
    storage: { INBOX: { messages: messages.map(({ raw, seen }) => ({ raw, flags: seen ? ['\\Seen'] : [] })) } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `imap://testuser:testpass@127.0.0.1:${port}/INBOX`,
    async unseen() {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: 'testuser', pass: 'testpass' },
        logger: false,
      });
      await client.connect();
      try {
        const lock = await client.getMailboxLock('INBOX');
        try {
          return ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
