import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './error-message';

interface ComposerProps {
  id: string;
  label: string;
  submitLabel: string;
  doneMessage: string;
  textareaRef: Ref<HTMLTextAreaElement>;
  send(body: string): Promise<unknown>;
}

/** A text box and its button (reply, note): the API's refusal stays shown next to it. */
export function Composer({ id, label, submitLabel, doneMessage, textareaRef, send }: ComposerProps) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await send(body);
      setBody('');
      setDone(true);
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="composer" onSubmit={submit}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        ref={textareaRef}
        rows={3}
        value={body}
        onInput={(event) => setBody((event.target as HTMLTextAreaElement).value)}
      />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
      {done ? <p role="status">{doneMessage}</p> : null}
      <ErrorMessage error={error} />
    </form>
  );
}
