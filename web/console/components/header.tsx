import type { ApiClient } from '../api/client';
import { useTexts } from '../i18n';
import { PRESENCES } from '../vocabulary';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './error-message';

export type MenuPage = 'queue' | 'board' | 'summary';

interface HeaderProps {
  api: ApiClient;
  /** The pages of the menu (none for an agent: the queue is all there is). */
  pages: MenuPage[];
  current: string;
  onNavigate(page: MenuPage): void;
  agentName: string;
  presence: string | undefined;
  onPresence(presence: string): void;
  onSwitchLanguage(): void;
  onSignOut(): void;
}

/** The bar on every signed-in page: who I am, my presence, the language switch, sign out. */
export function Header({
  api,
  pages,
  current,
  onNavigate,
  agentName,
  presence,
  onPresence,
  onSwitchLanguage,
  onSignOut,
}: HeaderProps) {
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
      {pages.length > 0 ? (
        <nav class="menu" aria-label={t.navigation}>
          {pages.map((page) => (
            <a
              key={page}
              href={page === 'queue' ? '/console' : `/console/${page}`}
              aria-current={current === page ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                onNavigate(page);
              }}
            >
              {t[page === 'queue' ? 'navQueue' : page === 'board' ? 'navBoard' : 'navSummary']}
            </a>
          ))}
        </nav>
      ) : null}
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
