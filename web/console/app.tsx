import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { openEventStream } from './api/event-stream';
import type { LoginAnswer, Team } from './api/types';
import { Header, type MenuPage } from './components/header';
import { type Language, TextsContext, textsFor } from './i18n';
import { LiveEvents } from './live';
import { useTicketNotifications } from './notifications';
import { ADMIN_SECTIONS, type AdminSection, AdminPages } from './pages/admin/admin-pages';
import { LoginPage } from './pages/login';
import { BoardPage } from './pages/board';
import { CallbacksPage } from './pages/callbacks';
import { type Filters, QueuePage } from './pages/queue';
import { SummaryPage } from './pages/summary';
import { TicketPage } from './pages/ticket';
import { loadLanguage, loadSession, type Session, saveLanguage, saveSession } from './session';
import { DEFAULT_TIME_ZONE } from './vocabulary';

/**
 * The page the address names: the queue (perhaps a team's overdue tickets, from the board), one
 * ticket (its id is no secret; the token never is in the address), the board, the summary, or
 * one of the administrator's pages (/console/admin/agents…).
 */
type Route =
  | { page: 'queue'; overdueTeam?: number }
  | { page: 'ticket'; id: number }
  | { page: 'board' }
  | { page: 'summary' }
  | { page: 'callbacks' }
  | { page: 'admin'; section: AdminSection };
function routeOf(pathname: string, search = ''): Route {
  const match = /^\/console\/tickets\/(\d{1,15})$/.exec(pathname);
  if (match) return { page: 'ticket', id: Number(match[1]) };
  if (pathname === '/console/board') return { page: 'board' };
  if (pathname === '/console/summary') return { page: 'summary' };
  if (pathname === '/console/callbacks') return { page: 'callbacks' };
  const section = /^\/console\/admin\/([a-z-]+)$/.exec(pathname)?.[1];
  const known = ADMIN_SECTIONS.find((name) => name === section);
  if (known) return { page: 'admin', section: known };
  const params = new URLSearchParams(search);
  const team = params.get('team');
  return params.get('overdue') === 'true' && team && /^\d{1,15}$/.test(team)
    ? { page: 'queue', overdueTeam: Number(team) }
    : { page: 'queue' };
}
function pathOf(route: Route): string {
  if (route.page === 'ticket') return `/console/tickets/${route.id}`;
  if (route.page === 'queue')
    return route.overdueTeam === undefined ? '/console' : `/console?view=all&overdue=true&team=${route.overdueTeam}`;
  if (route.page === 'admin') return `/console/admin/${route.section}`;
  return `/console/${route.page}`;
}
/** The menu entry of a route, marked as the current page. */
const menuPageOf = (route: Route): string => (route.page === 'admin' ? `admin/${route.section}` : route.page);
/** The menus a role gets: the supervisor's pages, and the administrator's. */
function menusOf(role: string): { pages: MenuPage[]; adminPages: MenuPage[] } {
  return {
    pages: watches(role) ? ['queue', 'callbacks', 'board', 'summary'] : ['queue', 'callbacks'],
    adminPages: role === 'admin' ? ADMIN_SECTIONS.map((section) => `admin/${section}` as const) : [],
  };
}
/** The supervisor's pages are for supervisors and admins (the metrics routes refuse agents anyway). */
const watches = (role: string) => role === 'supervisor' || role === 'admin';

export function App() {
  const [language, setLanguage] = useState<Language>(loadLanguage);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<'sessionExpired' | 'signedOut' | null>(null);
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname, location.search));
  const [presence, setPresence] = useState<string | undefined>();
  const [teams, setTeams] = useState<Team[]>([]);
  const [timeZone, setTimeZone] = useState(DEFAULT_TIME_ZONE);
  const token = useRef<string | null>(session?.token ?? null);

  const endSession = useCallback((reason: 'sessionExpired' | 'signedOut') => {
    token.current = null;
    saveSession(null);
    setSession(null);
    setNotice(reason);
  }, []);
  const api = useMemo(
    () =>
      new ApiClient(
        () => token.current,
        () => endSession('sessionExpired'),
      ),
    [endSession],
  );
  const live = useMemo(() => new LiveEvents(), []);
  const texts = useMemo(() => textsFor(language), [language]);
  const loadTeams = useCallback(() => {
    api.teams().then(setTeams, () => undefined);
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname, location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  // Signed in: who I am, my teams and their calendar's time zone, and the live stream.
  useEffect(() => {
    if (!session) return;
    api.me().then(
      (me) => setPresence(me.presence),
      () => undefined,
    );
    loadTeams();
    api.calendars().then(
      (calendars) => {
        const zone = calendars[0]?.time_zone;
        if (zone) setTimeZone(zone);
      },
      () => undefined,
    );
    return openEventStream({
      url: '/api/v1/events/stream',
      token: () => token.current,
      onEvent: (event) => live.publish(event),
      onUnauthorized: () => endSession('sessionExpired'),
    });
  }, [session, api, live, endSession, loadTeams]);

  const navigate = useCallback((next: Route) => {
    history.pushState(null, '', pathOf(next));
    setRoute(next);
  }, []);
  const openTicket = useCallback((id: number) => navigate({ page: 'ticket', id }), [navigate]);
  // Signed out, no stream runs: nothing arrives to notify of.
  useTicketNotifications({ api, live, agentId: session?.agent.id ?? 0, t: texts.t, onOpen: openTicket });
  const backToQueue = useCallback(() => navigate({ page: 'queue' }), [navigate]);
  const overdueOf = useCallback((team: number) => navigate({ page: 'queue', overdueTeam: team }), [navigate]);
  const currentToken = useCallback(() => token.current, []);
  const streamEnded = useCallback(() => endSession('sessionExpired'), [endSession]);
  const switchLanguage = () => {
    const next = language === 'id' ? 'en' : 'id';
    saveLanguage(next);
    setLanguage(next);
  };
  const signedIn = (answer: LoginAnswer) => {
    const next = { token: answer.token, agent: answer.agent };
    token.current = answer.token;
    saveSession(next);
    setNotice(null);
    setSession(next);
  };
  const signOut = async () => {
    try {
      await api.logout(); // revokes the token on the server: a copy left anywhere stops working
    } catch {
      // already expired or the server is away: forgotten here all the same
    }
    endSession('signedOut');
  };

  return (
    <TextsContext.Provider value={texts}>
      {session ? (
        <>
          <Header
            api={api}
            {...menusOf(session.agent.role)}
            current={menuPageOf(route)}
            onNavigate={(page) => navigate(routeOf(page === 'queue' ? '/console' : `/console/${page}`))}
            agentName={session.agent.name}
            presence={presence}
            onPresence={setPresence}
            onSwitchLanguage={switchLanguage}
            onSignOut={signOut}
          />
          {route.page === 'ticket' ? (
            <TicketPage
              key={route.id}
              api={api}
              live={live}
              ticketId={route.id}
              agentId={session.agent.id}
              role={session.agent.role}
              teams={teams}
              timeZone={timeZone}
              onBack={backToQueue}
              onOpen={openTicket}
            />
          ) : route.page === 'board' && watches(session.agent.role) ? (
            <BoardPage
              api={api}
              agentId={session.agent.id}
              token={currentToken}
              timeZone={timeZone}
              onUnauthorized={streamEnded}
              onOverdue={overdueOf}
              onOpen={openTicket}
            />
          ) : route.page === 'summary' && watches(session.agent.role) ? (
            <SummaryPage api={api} teams={teams} timeZone={timeZone} />
          ) : route.page === 'callbacks' ? (
            <CallbacksPage api={api} live={live} agentId={session.agent.id} timeZone={timeZone} onOpen={openTicket} />
          ) : route.page === 'admin' ? (
            <AdminPages
              key={route.section}
              api={api}
              section={route.section}
              role={session.agent.role}
              onTeamsChanged={loadTeams}
            />
          ) : (
            <QueuePage
              key={route.page === 'queue' ? (route.overdueTeam ?? 'queue') : 'queue'}
              api={api}
              live={live}
              teams={teams}
              timeZone={timeZone}
              onOpen={openTicket}
              initial={initialQueue(route)}
            />
          )}
        </>
      ) : (
        <LoginPage
          api={api}
          notice={notice ? texts.t[notice] : null}
          onSignedIn={signedIn}
          onSwitchLanguage={switchLanguage}
        />
      )}
    </TextsContext.Provider>
  );
}

/** The queue a route opens: a team's overdue tickets among all I may see, or my own by default. */
function initialQueue(route: Route): { view: 'all'; filters: Filters } | undefined {
  if (route.page !== 'queue' || route.overdueTeam === undefined) return undefined;
  return { view: 'all', filters: { overdue: 'true', team: String(route.overdueTeam) } };
}
