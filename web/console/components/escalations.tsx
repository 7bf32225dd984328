import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { TicketSummary } from '../api/types';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { ChannelBadge } from './channel-badge';
import { ErrorMessage } from './error-message';
import { SlaBadge } from './sla-badge';

interface EscalationsProps {
  api: ApiClient;
  /** Changes with every event of the supervisors' stream and breach count: the list reads again. */
  changes: string;
  /** Tickets whose escalation named me (the stream's `sla_escalated` events): shown first, marked. */
  toMe: ReadonlySet<number>;
  timeZone: string;
  onOpen(ticketId: number): void;
}

/**
 * What is escalated to me. The API keeps no list of escalations (a breach mails the supervisors of
 * the ticket's team, after any escalation moved it: src/sla/escalation.ts), so the list is what
 * those mails are about: the tickets past a deadline that I may see, that is my teams' (an admin's:
 * every team's), as the API's overdue filter answers them; those whose escalation named me while the
 * board was open (the `sla_escalated` event lists who was mailed) first, and marked.
 */
export function Escalations({ api, changes, toMe, timeZone, onOpen }: EscalationsProps) {
  const { t, word, language } = useTexts();
  const [tickets, setTickets] = useState<{ data: TicketSummary[]; fetchedAt: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const page = await api.queue({ view: 'all', overdue: 'true' });
      setTickets({ data: page.data, fetchedAt: Date.now() });
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api]);
  // `changes` is the signal to read again (an event of the supervisors' stream).
  useEffect(() => {
    void load();
  }, [load, changes]);

  return (
    <section class="escalations" aria-labelledby="escalations-title">
      <h2 id="escalations-title">{t.escalationsTitle}</h2>
      <p class="hint">{t.escalationsHint}</p>
      <ErrorMessage error={error} />
      {tickets === null ? (
        <p>{t.loading}</p>
      ) : tickets.data.length === 0 ? (
        <p>{t.escalationsNone}</p>
      ) : (
        <ul>
          {[...tickets.data]
            .sort((a, b) => Number(toMe.has(b.id)) - Number(toMe.has(a.id)))
            .map((ticket) => (
              <li key={ticket.id} data-ticket-id={ticket.id}>
                {toMe.has(ticket.id) ? <strong class="to-me">{t.escalatedToMe}</strong> : null}{' '}
                <a
                  href={`/console/tickets/${ticket.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(ticket.id);
                  }}
                >
                  {ticket.reference}
                </a>{' '}
                <ChannelBadge channel={ticket.channel} /> {word('priority', ticket.priority)} ·{' '}
                {ticket.subject ?? t.noSubject}{' '}
                <SlaBadge sla={ticket.sla} fetchedAt={tickets.fetchedAt} timeZone={timeZone} />{' '}
                <span class="detail">{formatDate(ticket.sla.due_at, language, timeZone)}</span>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
