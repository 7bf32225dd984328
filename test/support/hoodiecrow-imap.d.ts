// hoodiecrow-imap ships no types: the little of it the tests use.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  interface HoodiecrowOptions {
    plugins?: string[];
    /** Mailboxes by name, each with its messages: `{ INBOX: { messages: [{ raw, flags }] } }`. */
    storage?: Record<string, { messages: Array<{ raw: string; flags?: string[] }> }>;
    debug?: boolean;
  }

  interface HoodiecrowServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
  }

  export default function hoodiecrow(options?: HoodiecrowOptions): HoodiecrowServer;
}
