import type { ApiClient } from '../api/client';
import { useTexts } from '../i18n';
import type { Dictionary } from '../i18n/id';
import { PRESENCES } from '../vocabulary';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './error-message';
import { useNotifyPermission } from '../notifications';

export type MenuPage =
  | 'queue'
  | 'callbacks'
  | 'board'
  | 'summary'
  | 'admin/agents'
  | 'admin/teams'
  | 'admin/calendars'
  | 'admin/sla-policies'
  | 'admin/canned-responses';

/** Each menu entry's words. */
const MENU_TEXT = {
  queue: 'navQueue',
  callbacks: 'navCallbacks',
  board: 'navBoard',
  summary: 'navSummary',
  'admin/agents': 'adminAgents',
  'admin/teams': 'adminTeams',
  'admin/calendars': 'adminCalendars',
  'admin/sla-policies': 'adminSlaPolicies',
  'admin/canned-responses': 'adminCanned',
} as const satisfies Record<MenuPage, keyof Dictionary>;

interface HeaderProps {
  api: ApiClient;
  /** The pages of the menu: the queue and call-backs, and for supervisors the board and summary. */
  pages: MenuPage[];
  /** The administrator's pages, a menu of their own (only for admins). */
  adminPages: MenuPage[];
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
  adminPages,
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
  const [notify, askNotify] = useNotifyPermission();
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
      <Menu label={t.navigation} pages={pages} current={current} onNavigate={onNavigate} />
      <Menu label={t.adminNavigation} pages={adminPages} current={current} onNavigate={onNavigate} />
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
      {notify === 'default' ? (
        <button type="button" class="link" onClick={() => void askNotify()}>
          {t.enableNotifications}
        </button>
      ) : null}
      <button type="button" onClick={onSignOut}>
        {t.signOut}
      </button>
      <ErrorMessage error={error} />
    </header>
  );
}

/** A menu of pages, the current one marked; nothing when the role has none of them. */
function Menu(props: { label: string; pages: MenuPage[]; current: string; onNavigate(page: MenuPage): void }) {
  const { t } = useTexts();
  if (props.pages.length === 0) return null;
  return (
    <nav class="menu" aria-label={props.label}>
      {props.pages.map((page) => (
        <a
          key={page}
          href={page === 'queue' ? '/console' : `/console/${page}`}
          aria-current={props.current === page ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            props.onNavigate(page);
          }}
        >
          {t[MENU_TEXT[page]]}
        </a>
      ))}
    </nav>
  );
}
