import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { openEventStream } from './api/event-stream';
import type { LoginAnswer, Team } from './api/types';
import { Header } from './components/header';
import { type Language, TextsContext, textsFor } from './i18n';
import { LiveEvents } from './live';
import { LoginPage } from './pages/login';
import { QueuePage } from './pages/queue';
import { TicketPage } from './pages/ticket';
import { loadLanguage, loadSession, type Session, saveLanguage, saveSession } from './session';
import { DEFAULT_TIME_ZONE } from './vocabulary';

/** The page the address names: the queue, or one ticket (its id is no secret; the token never is in it). */
type Route = { page: 'queue' } | { page: 'ticket'; id: number };
function routeOf(pathname: string): Route {
  const match = /^\/console\/tickets\/(\d{1,15})$/.exec(pathname);
  return match ? { page: 'ticket', id: Number(match[1]) } : { page: 'queue' };
}

export function App() {
  const [language, setLanguage] = useState<Language>(loadLanguage);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<'sessionExpired' | 'signedOut' | null>(null);
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname));
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

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
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
    api.teams().then(setTeams, () => undefined);
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
  }, [session, api, live, endSession]);

  const navigate = useCallback((next: Route) => {
    history.pushState(null, '', next.page === 'ticket' ? `/console/tickets/${next.id}` : '/console');
    setRoute(next);
  }, []);
  const openTicket = useCallback((id: number) => navigate({ page: 'ticket', id }), [navigate]);
  const backToQueue = useCallback(() => navigate({ page: 'queue' }), [navigate]);
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
              teams={teams}
              timeZone={timeZone}
              onBack={backToQueue}
              onOpen={openTicket}
            />
          ) : (
            <QueuePage api={api} live={live} teams={teams} timeZone={timeZone} onOpen={openTicket} />
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
