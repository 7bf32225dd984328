import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { LoginAnswer } from '../api/types';
import { ErrorMessage } from '../components/error-message';
import { useTexts } from '../i18n';

interface LoginProps {
  api: ApiClient;
  notice: string | null;
  onSignedIn(answer: LoginAnswer): void;
  onSwitchLanguage(): void;
}

export function LoginPage({ api, notice, onSignedIn, onSwitchLanguage }: LoginProps) {
  const { t } = useTexts();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(email, password));
    } catch (refused) {
      setError(refused);
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>{t.loginTitle}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <label>
          {t.email}
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(event) => setEmail((event.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t.password}
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
        <ErrorMessage error={error} />
      </form>
      <button type="button" class="link" aria-label={t.switchLanguageLabel} onClick={onSwitchLanguage}>
        {t.switchLanguage}
      </button>
    </main>
  );
}
