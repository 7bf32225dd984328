import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { TicketDetail, TicketSummary } from '../api/types';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { ErrorMessage } from './error-message';

/**
 * The citizen's other tickets, newest first, found by the first phone or email the ticket shows me:
 * the API's contact filter, with the visibility of every list (a hidden reporter shows none).
 */
export function OtherTickets(props: {
  api: ApiClient;
  ticket: TicketDetail;
  timeZone: string;
  onOpen(id: number): void;
}) {
  const { api, ticket, timeZone, onOpen } = props;
  const { t, word, language } = useTexts();
  const address = ticket.contact.identities?.find((identity) => identity.kind === 'phone' || identity.kind === 'email');
  const [others, setOthers] = useState<TicketSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!address) return;
    let current = true;
    api.ticketsOfContact(address.value).then(
      (page) => current && setOthers(page.data.filter((other) => other.id !== ticket.id).slice(0, 10)),
      (refused) => current && setError(refused),
    );
    return () => {
      current = false;
    };
  }, [api, address?.value, ticket.id]);
  if (!address) return null;
  return (
    <section class="other-tickets" aria-labelledby="other-tickets-title">
      <h3 id="other-tickets-title">{t.otherTickets}</h3>
      <ErrorMessage error={error} />
      {others === null ? null : others.length === 0 ? (
        <p>{t.noOtherTickets}</p>
      ) : (
        <ul>
          {others.map((other) => (
            <li key={other.id}>
              <a
                href={`/console/tickets/${other.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  onOpen(other.id);
                }}
              >
                {other.reference}
              </a>{' '}
              · {word('status', other.status)} · {other.subject ?? t.noSubject} ·{' '}
              {formatDate(other.created_at, language, timeZone)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
