import type { ChatMessage } from './api/types.js';

/**
 * The conversation as the frame shows it: the server's messages (unique by id, in the server's
 * order) and the visitor's messages not yet acknowledged (by clientId). Pure functions, so that the
 * order and the deduplication are tested without a browser: a message can arrive three ways (the
 * stream, the refetch after a reconnect, the long poll) and must show once.
 */

export interface PendingMessage {
  clientId: string;
  text: string;
  at: string;
  /**
   * sending: on its way; retrying: waiting to be sent again; sent: the server has it and the
   * message itself is on its way back; failed: refused for good (too long, invalid).
   */
  state: 'sending' | 'retrying' | 'sent' | 'failed';
}

export interface Conversation {
  messages: ChatMessage[];
  pending: PendingMessage[];
  /** The agent has read the visitor's messages up to this id. */
  readUpTo?: string;
  /** When the agent was last seen typing (ms), 0 when not. */
  agentTypingAt: number;
  open: boolean;
}

export const EMPTY: Conversation = { messages: [], pending: [], agentTypingAt: 0, open: true };

/** Ids are compared as numbers when both are digits (the server's row ids), else as strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds the messages not yet known; a message already there keeps its place. */
export function mergeMessages(state: Conversation, incoming: ChatMessage[]): Conversation {
  const known = new Set(state.messages.map((message) => message.id));
  const fresh = incoming.filter((message) => {
    if (known.has(message.id)) return false;
    known.add(message.id);
    return true;
  });
  const settled = new Set(fresh.map((message) => message.clientId ?? ''));
  const pending = state.pending.filter((message) => !settled.has(message.clientId));
  if (fresh.length === 0 && pending.length === state.pending.length) return state;
  const messages = [...state.messages, ...fresh].sort((a, b) => compareIds(a.id, b.id));
  // An agent's message ends their typing.
  const agentTypingAt = fresh.some((message) => message.direction === 'outbound') ? 0 : state.agentTypingAt;
  return { ...state, messages, pending, agentTypingAt };
}

/** The newest id the frame has: what `after=` asks for on a reconnect. */
export function lastMessageId(state: Conversation): string | undefined {
  return state.messages.at(-1)?.id;
}

/** The newest agent's message: what the visitor's read mark covers when the chat is in view. */
export function lastOutboundId(state: Conversation): string | undefined {
  for (let index = state.messages.length - 1; index >= 0; index -= 1) {
    const message = state.messages[index]!;
    if (message.direction === 'outbound') return message.id;
  }
  return undefined;
}

/** Agents' messages after the visitor's last read mark. */
export function unreadCount(state: Conversation, visitorReadUpTo: string | undefined): number {
  return state.messages.filter(
    (message) =>
      message.direction === 'outbound' &&
      (visitorReadUpTo === undefined || compareIds(message.id, visitorReadUpTo) > 0),
  ).length;
}

export function isReadByAgent(state: Conversation, message: ChatMessage): boolean {
  return message.direction === 'inbound' && state.readUpTo !== undefined && compareIds(message.id, state.readUpTo) <= 0;
}

/** How long a typing signal lasts without another one. */
export const TYPING_SHOWN_MS = 6000;

export function agentIsTyping(state: Conversation, now: number): boolean {
  return state.agentTypingAt > 0 && now - state.agentTypingAt < TYPING_SHOWN_MS;
}
