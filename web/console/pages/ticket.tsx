import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { TicketDetail } from '../api/types';
import { Composer } from '../components/composer';
import { ErrorMessage } from '../components/error-message';
import { Timeline } from '../components/timeline';
import { useTexts } from '../i18n';
import { useShortcuts } from '../keyboard';
import { type LiveEvents, ticketIdOf } from '../live';

interface TicketProps {
  api: ApiClient;
  live: LiveEvents;
  ticketId: number;
  timeZone: string;
  onBack(): void;
}

/** One ticket: its timeline, reply on its channel, internal note, resolve; live while open. */
export function TicketPage({ api, live, ticketId, timeZone, onBack }: TicketProps) {
  const { t, word } = useTexts();
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [resolved, setResolved] = useState(false);
  const reply = useRef<HTMLTextAreaElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setTicket(await api.ticket(ticketId));
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api, ticketId]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () =>
      live.listen((event) => {
        if (ticketIdOf(event) === ticketId) void load();
      }),
    [live, ticketId, load],
  );
  // Focus moves to the ticket's title when it opens, so that a screen reader announces it.
  useEffect(() => {
    if (ticket) heading.current?.focus();
  }, [ticket?.id]);

  const shortcuts = useMemo(
    () => ({ r: () => reply.current?.focus(), n: () => note.current?.focus(), Escape: onBack }),
    [onBack],
  );
  useShortcuts(shortcuts);

  const after = async <T,>(action: Promise<T>) => {
    const answer = await action;
    await load();
    return answer;
  };
  const resolve = async () => {
    setActionError(null);
    setResolved(false);
    try {
      await after(api.resolve(ticketId));
      setResolved(true);
    } catch (refused) {
      setActionError(refused);
    }
  };

  if (!ticket) {
    return (
      <main class="ticket">
        <button type="button" class="link" onClick={onBack}>
          {t.backToQueue}
        </button>
        {error ? <ErrorMessage error={error} /> : <p>{t.loading}</p>}
      </main>
    );
  }
  return (
    <main class="ticket">
      <button type="button" class="link" onClick={onBack}>
        {t.backToQueue}
      </button>
      <h1 tabIndex={-1} ref={heading}>
        {ticket.reference} · {ticket.subject ?? t.noSubject}
      </h1>
      <p class="facts">
        <span data-status={ticket.status}>{word('status', ticket.status)}</span> · {word('channel', ticket.channel)} ·{' '}
        {word('priority', ticket.priority)} · {ticket.contact.display_name ?? t.anonymous}
      </p>
      <ErrorMessage error={error} />
      <Timeline ticket={ticket} timeZone={timeZone} />
      <Composer
        id="reply"
        label={t.replyLabel}
        submitLabel={t.sendReply}
        doneMessage={t.replyQueued}
        textareaRef={reply}
        send={(body) => after(api.reply(ticketId, body))}
      />
      <Composer
        id="note"
        label={t.noteLabel}
        submitLabel={t.addNote}
        doneMessage={t.noteSaved}
        textareaRef={note}
        send={(body) => after(api.note(ticketId, body))}
      />
      <button type="button" onClick={resolve}>
        {t.resolve}
      </button>
      {resolved ? <p role="status">{t.resolved}</p> : null}
      <ErrorMessage error={actionError} />
    </main>
  );
}
