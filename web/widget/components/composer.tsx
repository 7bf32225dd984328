import { useRef, useState } from 'preact/hooks';
import { useTexts } from '../i18n/index.js';

/** The longest message the widget sends in one piece. */
export const MAX_MESSAGE_LENGTH = 4000;
/** The visitor's typing is signalled at most this often. */
const TYPING_EVERY_MS = 3000;

interface Props {
  away: boolean;
  onSend: (text: string) => void;
  onTyping: () => void;
}

/** The text box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ away, onSend, onTyping }: Props) {
  const t = useTexts();
  const [text, setText] = useState('');
  const lastTyping = useRef(0);
  const tooLong = text.length > MAX_MESSAGE_LENGTH;
  const label = away ? t.leaveMessageLabel : t.composerLabel;

  const send = () => {
    const trimmed = text.trim();
    if (!trimmed || tooLong) return;
    onSend(trimmed);
    setText('');
    lastTyping.current = 0;
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label for="chat-composer" class="visually-hidden">
        {label}
      </label>
      <textarea
        id="chat-composer"
        rows={2}
        value={text}
        placeholder={away ? `${t.leaveMessageLabel}…` : t.composerPlaceholder}
        aria-invalid={tooLong}
        aria-describedby={tooLong ? 'chat-composer-error' : undefined}
        onInput={(event) => {
          setText((event.currentTarget as HTMLTextAreaElement).value);
          const now = Date.now();
          if (now - lastTyping.current > TYPING_EVERY_MS) {
            lastTyping.current = now;
            onTyping();
          }
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" disabled={tooLong || text.trim() === ''}>
        {t.send}
      </button>
      {tooLong && (
        <p id="chat-composer-error" class="error" role="alert">
          {t.tooLong}
        </p>
      )}
    </form>
  );
}
