import { useEffect, useRef } from 'preact/hooks';
import type { ChatMessage } from '../api/types.js';
import { type Conversation, isReadByAgent, type PendingMessage } from '../conversation.js';
import { useTexts } from '../i18n/index.js';

interface Props {
  conversation: Conversation;
  language: string;
  onRetry: () => void;
}

function time(at: string, language: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString(language === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit' });
}

/**
 * The conversation, oldest first. A log region: screen readers announce each message added (and
 * only additions, not the status words that change under the visitor's own messages). Every text
 * is a text node (Preact escapes it): markup a visitor or an agent typed shows as typed.
 */
export function MessageList({ conversation, language, onRetry }: Props) {
  const t = useTexts();
  const log = useRef<HTMLDivElement>(null);
  /** The visitor is reading the newest messages (not scrolled back): new ones and resizes keep them in view. */
  const atEnd = useRef(true);
  const count = conversation.messages.length + conversation.pending.length;
  const toEnd = () => {
    const element = log.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  };
  useEffect(toEnd, [count]);
  useEffect(() => {
    const element = log.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(toEnd); // the away notice, the keyboard of a phone, a rotation
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const status = (message: ChatMessage) => (isReadByAgent(conversation, message) ? t.read : t.sent);
  const pendingStatus = (message: PendingMessage) =>
    message.state === 'failed'
      ? t.failed
      : message.state === 'retrying'
        ? t.retrying
        : message.state === 'sent'
          ? t.sent
          : t.sending;

  return (
    <div
      ref={log}
      onScroll={(event) => {
        const element = event.currentTarget as HTMLDivElement;
        atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      }}
      class="messages"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard (axe: scrollable-region-focusable)
      tabIndex={0}
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={t.messages}
    >
      <ol>
        {count === 0 && <li class="empty">{t.emptyConversation}</li>}
        {conversation.messages.map((message) => (
          <li
            key={message.id}
            class={`message ${message.direction}${message.system ? ' system' : ''}`}
            data-message-id={message.id}
          >
            <span class="author">
              {message.direction === 'inbound' ? t.you : message.system ? t.system : (message.author ?? t.agent)}
            </span>
            <p class="text">{message.text}</p>
            <span class="meta">
              <time dateTime={message.at}>{time(message.at, language)}</time>
              {message.direction === 'inbound' && <span class="state"> · {status(message)}</span>}
            </span>
          </li>
        ))}
        {conversation.pending.map((message) => (
          <li key={message.clientId} class={`message inbound pending ${message.state}`}>
            <span class="author">{t.you}</span>
            <p class="text">{message.text}</p>
            <span class="meta">
              <span class="state">{pendingStatus(message)}</span>
              {message.state === 'retrying' && (
                <button type="button" class="link" onClick={onRetry}>
                  {t.send}
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
