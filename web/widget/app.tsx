import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { ChatApi, ChatApiError } from './api/client.js';
import type { ChatMessage, LiveEvent, SessionState, StartSessionBody } from './api/types.js';
import { BRIDGE, isBridgeMessage, type ToFrame, type ToLoader } from './bridge.js';
import { Composer } from './components/composer.js';
import { MessageList } from './components/message-list.js';
import { StartForm } from './components/start-form.js';
import {
  agentIsTyping,
  type Conversation,
  compareIds,
  EMPTY,
  lastMessageId,
  lastOutboundId,
  mergeMessages,
  type PendingMessage,
  TYPING_SHOWN_MS,
  unreadCount,
} from './conversation.js';
import { DICTIONARIES, type Language, TextsContext } from './i18n/index.js';
import { LiveConnection, type LiveState } from './live/connection.js';
import { Outbox } from './outbox.js';
import { type StoredSession, storage } from './storage.js';

type Action =
  | { type: 'messages'; messages: ChatMessage[] }
  | { type: 'pending'; pending: PendingMessage[] }
  | { type: 'typing'; at: number }
  | { type: 'read'; upTo: string }
  | { type: 'status'; open: boolean }
  | { type: 'reset'; open: boolean };

function reduce(state: Conversation, action: Action): Conversation {
  switch (action.type) {
    case 'messages':
      return mergeMessages(state, action.messages);
    case 'pending': {
      const known = new Set(state.messages.map((message) => message.clientId));
      return { ...state, pending: action.pending.filter((message) => !known.has(message.clientId)) };
    }
    case 'typing':
      return { ...state, agentTypingAt: action.at };
    case 'read':
      return state.readUpTo !== undefined && compareIds(action.upTo, state.readUpTo) <= 0
        ? state
        : { ...state, readUpTo: action.upTo };
    case 'status':
      return { ...state, open: action.open };
    case 'reset':
      return { ...EMPTY, open: action.open };
  }
}

function initialLanguage(): Language {
  const chosen = storage.language();
  if (chosen) return chosen;
  return new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'id';
}

type TranscriptState = 'idle' | 'sending' | 'sent' | 'failed' | 'noEmail' | 'empty' | 'limit';

/** A moment in words, in the office's time zone (the visitor's when unknown or unsupported). */
function when(iso: string, language: Language, timeZone?: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  };
  const locale = language === 'en' ? 'en-GB' : 'id-ID';
  try {
    return date.toLocaleString(locale, { ...options, timeZone, timeZoneName: 'short' });
  } catch {
    return date.toLocaleString(locale, options);
  }
}

const embedded = window.parent !== window;
function tellLoader(message: ToLoader): void {
  // The office's origin is not known here, and nothing in these messages is secret.
  if (embedded) window.parent.postMessage(message, '*');
}

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<StoredSession | undefined>(storage.session);
  const [notice, setNotice] = useState<'sessionEnded' | 'chatEnded' | undefined>();
  const [conversation, dispatch] = useReducer(reduce, { ...EMPTY, open: session?.open ?? true });
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [visible, setVisible] = useState(!embedded);
  const [transcript, setTranscript] = useState<TranscriptState>('idle');
  const [now, setNow] = useState(Date.now());
  const t = DICTIONARIES[language];

  const token = useRef<string | null>(session?.token ?? null);
  const latest = useRef(conversation);
  latest.current = conversation;
  const outbox = useRef<Outbox | undefined>(undefined);
  const live = useRef<LiveConnection | undefined>(undefined);

  /**
   * Forgets the session here: the server ended it (401), or the visitor asked (a shared computer:
   * the next person must not read the conversation). The ticket stays.
   */
  const endSession = useCallback((reason: 'sessionEnded' | 'chatEnded' = 'sessionEnded') => {
    token.current = null;
    storage.saveSession(undefined);
    storage.savePending([]);
    setSession(undefined);
    setNotice(reason);
    dispatch({ type: 'reset', open: true });
  }, []);
  const api = useMemo(
    () => new ChatApi({ token: () => token.current, onUnauthorized: () => endSession('sessionEnded') }),
    [endSession],
  );
  /** Changes the session kept (in state and in the frame's storage). */
  const updateSession = useCallback((patch: Partial<StoredSession>) => {
    setSession((current) => {
      if (!current) return current;
      const next = { ...current, ...patch };
      storage.saveSession(next);
      return next;
    });
  }, []);
  /** What the server knows of the session: the ticket's reference once there is one, the hours. */
  const refreshSession = useCallback(() => {
    api.session().then(
      (state: SessionState) => {
        updateSession({
          ticketReference: state.ticketReference,
          open: state.open,
          nextOpening: state.hours?.nextOpening ?? null,
          timeZone: state.hours?.timeZone,
          ...(state.email ? { hasEmail: true } : {}),
        });
        dispatch({ type: 'status', open: state.open });
      },
      () => undefined, // offline: the stored word stands; a 401 has ended the session already
    );
  }, [api, updateSession]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = DICTIONARIES[language].title;
  }, [language]);

  // The loader tells the frame when the chat is shown; Escape asks it to close.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || !isBridgeMessage<ToFrame>(event.data)) return;
      if (event.data.type === 'visibility') {
        setVisible(event.data.open);
        if (event.data.open) {
          const target = document.getElementById('chat-composer') ?? document.getElementById('chat-name');
          target?.focus();
        }
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') tellLoader({ ns: BRIDGE, type: 'close' });
    };
    addEventListener('message', onMessage);
    addEventListener('keydown', onKey);
    // Listening now: whatever the loader said before (a click while the frame loaded) is asked again.
    tellLoader({ ns: BRIDGE, type: 'ready' });
    return () => {
      removeEventListener('message', onMessage);
      removeEventListener('keydown', onKey);
    };
  }, []);

  // A session: its unsent messages, its live connection, reconnecting when the browser is back online.
  useEffect(() => {
    if (!session) return;
    const box = new Outbox({
      api,
      store: { load: storage.pending, save: storage.savePending },
      onChange: (pending) => dispatch({ type: 'pending', pending }),
    });
    outbox.current = box;
    dispatch({ type: 'pending', pending: box.list() });
    box.flush();
    const connection = new LiveConnection({
      api,
      lastMessageId: () => lastMessageId(latest.current),
      onEvent: (event: LiveEvent) => {
        if (event.kind === 'messages') {
          dispatch({ type: 'messages', messages: event.messages });
          box.settle(event.messages.flatMap((message) => (message.clientId ? [message.clientId] : [])));
          // The acknowledgement names the new ticket's reference: the header shows it.
          if (event.messages.some((message) => message.system)) refreshSession();
        } else if (event.kind === 'typing') dispatch({ type: 'typing', at: Date.now() });
        else if (event.kind === 'read') dispatch({ type: 'read', upTo: event.upTo });
        else {
          dispatch({ type: 'status', open: event.open });
          updateSession({ open: event.open, nextOpening: event.nextOpening ?? null });
        }
      },
      onState: setLiveState,
    });
    live.current = connection;
    connection.start();
    refreshSession();
    const onOnline = () => {
      connection.nudge();
      box.flush();
    };
    addEventListener('online', onOnline);
    return () => {
      removeEventListener('online', onOnline);
      connection.stop();
      box.stop();
    };
  }, [session?.token, api]);

  // Read marks: what the visitor has in view is read; the launcher shows the rest as unread.
  const newestOutbound = lastOutboundId(conversation);
  useEffect(() => {
    if (!session) return;
    const inView = visible && document.visibilityState === 'visible';
    if (inView && newestOutbound && (!session.readUpTo || compareIds(newestOutbound, session.readUpTo) > 0)) {
      updateSession({ readUpTo: newestOutbound });
      api.read(newestOutbound).catch(() => undefined); // a lost read mark is sent with the next one
    }
    tellLoader({ ns: BRIDGE, type: 'unread', count: inView ? 0 : unreadCount(conversation, session.readUpTo) });
  }, [visible, newestOutbound, session?.readUpTo, session?.token]);

  // The typing indicator fades by itself.
  useEffect(() => {
    if (!conversation.agentTypingAt) return;
    const timer = setTimeout(() => setNow(Date.now()), TYPING_SHOWN_MS + 50);
    return () => clearTimeout(timer);
  }, [conversation.agentTypingAt]);

  const start = async (body: StartSessionBody) => {
    const answer = await api.startSession({ ...body, language });
    const stored: StoredSession = {
      token: answer.token,
      sessionId: answer.sessionId,
      ticketReference: answer.ticketReference,
      open: answer.open,
      nextOpening: answer.hours?.nextOpening ?? null,
      timeZone: answer.hours?.timeZone,
      hasEmail: Boolean(body.email),
    };
    token.current = answer.token;
    storage.saveSession(stored);
    dispatch({ type: 'reset', open: answer.open });
    setNotice(undefined);
    setSession(stored);
    setTimeout(() => document.getElementById('chat-composer')?.focus(), 0);
  };

  const switchLanguage = () => {
    const next = language === 'id' ? 'en' : 'id';
    storage.saveLanguage(next);
    setLanguage(next);
  };

  const sendTranscript = async () => {
    setTranscript('sending');
    try {
      await api.transcript();
      setTranscript('sent');
    } catch (error) {
      const status = error instanceof ChatApiError ? error.status : 0;
      setTranscript(status === 422 ? 'noEmail' : status === 409 ? 'empty' : status === 429 ? 'limit' : 'failed');
    }
  };

  const typing = agentIsTyping(conversation, Math.max(now, Date.now()));
  const away = !conversation.open;
  const transcriptWords: Record<TranscriptState, string> = {
    idle: '',
    sending: t.transcriptSending,
    sent: t.transcriptSent,
    failed: t.transcriptFailed,
    noEmail: t.transcriptNoEmail,
    empty: t.transcriptEmpty,
    limit: t.transcriptLimit,
  };
  const nextOpening = session?.nextOpening ? when(session.nextOpening, language, session.timeZone) : undefined;

  return (
    <TextsContext.Provider value={t}>
      <div class="frame">
        <header class="bar">
          <div>
            <h1>{t.title}</h1>
            {session?.ticketReference && (
              <p class="reference">
                {t.reference}: <span>{session.ticketReference}</span>
              </p>
            )}
          </div>
          <button
            type="button"
            class="link"
            lang={language === 'id' ? 'en' : 'id'}
            aria-label={t.switchLanguageLabel}
            onClick={switchLanguage}
          >
            {t.switchLanguage}
          </button>
          {embedded && (
            <button
              type="button"
              class="close"
              aria-label={t.close}
              onClick={() => tellLoader({ ns: BRIDGE, type: 'close' })}
            >
              ×
            </button>
          )}
        </header>
        {!session ? (
          <main class="body">
            <StartForm onStart={start} notice={notice ? t[notice] : undefined} />
          </main>
        ) : (
          <main class="body chat">
            {away && (
              <section class="away" role="status" aria-labelledby="chat-away-title">
                <h2 id="chat-away-title">{t.awayTitle}</h2>
                <p>{t.awayText}</p>
                {nextOpening && (
                  <p>
                    {t.awayNextOpen}: {nextOpening}
                  </p>
                )}
              </section>
            )}
            <p class={`connection ${liveState}`} role="status">
              {liveState === 'offline' ? t.connectionOffline : ''}
            </p>
            <MessageList conversation={conversation} language={language} onRetry={() => outbox.current?.flush()} />
            <p class="typing" aria-live="polite">
              {typing ? t.typing : ''}
            </p>
            <Composer
              away={away}
              onSend={(text) => outbox.current?.add(text)}
              onTyping={() => api.typing().catch(() => undefined)}
            />
            <div class="tools">
              {session.hasEmail && (
                <button type="button" class="link" disabled={transcript === 'sending'} onClick={sendTranscript}>
                  {t.transcript}
                </button>
              )}
              <button type="button" class="link" onClick={() => endSession('chatEnded')}>
                {t.endChat}
              </button>
              <span role="status">{transcriptWords[transcript]}</span>
            </div>
          </main>
        )}
      </div>
    </TextsContext.Provider>
  );
}
