/** The shapes of the public chat API (docs: webdoor design, "Chat: the contract both build to"). */

export interface ChatMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  /** ISO time the server recorded it. */
  at: string;
  /** The agent's display name, on outbound messages. */
  author?: string;
  /** The widget's own id of an inbound message, when the server echoes it. */
  clientId?: string;
  /** An automatic message (the acknowledgement with the ticket's reference), not a person's. */
  system?: boolean;
}

export interface OfficeHours {
  open?: boolean;
  timeZone?: string;
  /** When the office opens next (ISO), null when unknown. */
  nextOpening?: string | null;
}

/** GET /session: the session as the server has it (no token). */
export interface SessionState {
  sessionId: string;
  ticketReference: string | null;
  open: boolean;
  hours?: OfficeHours;
  email?: string | null;
}

/** POST /sessions: the same, with the token. */
export interface SessionAnswer extends SessionState {
  token: string;
}

export interface StartSessionBody {
  name?: string;
  phone?: string;
  email?: string;
  language?: 'id' | 'en';
}

/** What the live connection hands the conversation. */
export type LiveEvent =
  | { kind: 'messages'; messages: ChatMessage[] }
  | { kind: 'typing' }
  | { kind: 'read'; upTo: string }
  | { kind: 'status'; open: boolean; nextOpening?: string | null };

/** Any message-like value from the server, made into a ChatMessage (ids as strings); undefined when it is none. */
export function toMessage(value: unknown): ChatMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  const id = raw.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof raw.text !== 'string') return undefined;
  if (raw.direction !== 'inbound' && raw.direction !== 'outbound') return undefined;
  const message: ChatMessage = {
    id: String(id),
    direction: raw.direction,
    text: raw.text,
    at: typeof raw.at === 'string' ? raw.at : new Date().toISOString(),
  };
  if (typeof raw.author === 'string' && raw.author !== '') message.author = raw.author;
  if (typeof raw.clientId === 'string') message.clientId = raw.clientId;
  if (raw.system === true) message.system = true;
  return message;
}
