import type { PendingMessage } from './conversation.js';
import type { Language } from './i18n/index.js';

/**
 * What the frame keeps in its own localStorage (our origin's, never the office's page): the
 * visitor's session token, so that a reload or the next page of the office's site continues the
 * conversation; the messages not yet sent; the language chosen. A browser that refuses storage
 * (private mode, blocked third-party storage) gets a session that lasts as long as the frame.
 */
const PREFIX = 'satu-pintu.chat.';

export interface StoredSession {
  token: string;
  sessionId: string;
  ticketReference: string | null;
  open: boolean;
  /** When the office opens next (ISO) and its time zone, for the away notice. */
  nextOpening?: string | null;
  timeZone?: string;
  /** The visitor gave an email: the transcript can be sent. */
  hasEmail: boolean;
  /** The newest agent's message the visitor has seen (the read mark sent). */
  readUpTo?: string;
}

function read<T>(key: string): T | undefined {
  try {
    const value = localStorage.getItem(PREFIX + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // storage refused: memory only
  }
}

export const storage = {
  session: () => read<StoredSession>('session'),
  saveSession: (session: StoredSession | undefined) => write('session', session),
  pending: () => read<PendingMessage[]>('pending') ?? [],
  savePending: (pending: PendingMessage[]) => write('pending', pending.length > 0 ? pending : undefined),
  language: () => read<Language>('language'),
  saveLanguage: (language: Language) => write('language', language),
};
