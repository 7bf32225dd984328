import { useState } from 'preact/hooks';
import type { StartSessionBody } from '../api/types.js';
import { useTexts } from '../i18n/index.js';

interface Props {
  onStart: (body: StartSessionBody) => Promise<void>;
  /** The reason the form shows again, if any (the session ended). */
  notice?: string;
}

/** Name (required), phone and email (optional): what starts a visitor session. */
export function StartForm({ onStart, notice }: Props) {
  const t = useTexts();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    const name = field('name');
    if (!name) {
      setError(t.nameRequired);
      (document.getElementById('chat-name') as HTMLInputElement | null)?.focus();
      return;
    }
    const body: StartSessionBody = { name };
    if (field('phone')) body.phone = field('phone');
    if (field('email')) body.email = field('email');
    setBusy(true);
    setError(undefined);
    try {
      await onStart(body);
    } catch (failure) {
      const status = (failure as { status?: number }).status ?? 0;
      setError(status === 400 || status === 422 ? t.contactInvalid : t.startFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="start" onSubmit={submit} noValidate aria-describedby="chat-start-intro">
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p id="chat-start-intro">{t.startIntro}</p>
      <label for="chat-name">{t.name}</label>
      <input id="chat-name" name="name" autoComplete="name" required maxLength={120} />
      <label for="chat-phone">{t.phone}</label>
      <input
        id="chat-phone"
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        maxLength={32}
        aria-describedby="chat-phone-hint"
      />
      <span class="hint" id="chat-phone-hint">
        {t.phoneHint}
      </span>
      <label for="chat-email">{t.email}</label>
      <input
        id="chat-email"
        name="email"
        type="email"
        autoComplete="email"
        maxLength={254}
        aria-describedby="chat-email-hint"
      />
      <span class="hint" id="chat-email-hint">
        {t.emailHint}
      </span>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t.starting : t.start}
      </button>
      <p class="privacy">{t.privacy}</p>
    </form>
  );
}
