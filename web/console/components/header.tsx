import type { ApiClient } from '../api/client';
import { useTexts } from '../i18n';
import { PRESENCES } from '../vocabulary';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './error-message';

interface HeaderProps {
  api: ApiClient;
  agentName: string;
  presence: string | undefined;
  onPresence(presence: string): void;
  onSwitchLanguage(): void;
  onSignOut(): void;
}

/** The bar on every signed-in page: who I am, my presence, the language switch, sign out. */
export function Header({ api, agentName, presence, onPresence, onSwitchLanguage, onSignOut }: HeaderProps) {
  const { t, word } = useTexts();
  const [error, setError] = useState<unknown>(null);
  const change = async (value: string) => {
    setError(null);
    try {
      onPresence((await api.setPresence(value)).presence ?? value);
    } catch (refused) {
      setError(refused);
    }
  };
  return (
    <header class="top">
      <a class="brand" href="/console">
        {t.appName}
      </a>
      <span class="who">{agentName}</span>
      <label class="presence">
        {t.presence}{' '}
        <select value={presence} onChange={(event) => change((event.target as HTMLSelectElement).value)}>
          {PRESENCES.map((code) => (
            <option key={code} value={code}>
              {word('presence', code)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        class="link"
        lang={t.switchLanguage === 'English' ? 'en' : 'id'}
        aria-label={t.switchLanguageLabel}
        onClick={onSwitchLanguage}
      >
        {t.switchLanguage}
      </button>
      <button type="button" onClick={onSignOut}>
        {t.signOut}
      </button>
      <ErrorMessage error={error} />
    </header>
  );
}
