import type { ApiClient } from '../api/client';
import type { TicketDetail } from '../api/types';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { Attachments } from './attachments';

/**
 * Messages, notes and events in the order they happened. A citizen's words are rendered as text
 * nodes only (JSX children), never as markup: `<script>` in an SMS shows as the characters it is.
 */
export function Timeline({ api, ticket, timeZone }: { api: ApiClient; ticket: TicketDetail; timeZone: string }) {
  const { t, language } = useTexts();
  const entries = [
    ...ticket.messages.map((message) => ({ at: message.created_at ?? '', key: `m${message.id}`, message })),
    ...ticket.events.map((event) => ({ at: event.created_at ?? '', key: `e${event.id}`, event })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  const author = (type: string) => (type === 'citizen' ? t.fromCitizen : type === 'agent' ? t.fromAgent : t.fromSystem);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t.timeline}</h2>
      <ol class="timeline">
        {entries.map((entry) =>
          'message' in entry && entry.message ? (
            <li
              key={entry.key}
              class={`message ${entry.message.internal ? 'note' : entry.message.direction}`}
              data-message-id={entry.message.id}
            >
              <p class="meta">
                {entry.message.internal ? t.internalNote : author(entry.message.author_type)} ·{' '}
                <time dateTime={entry.message.created_at ?? undefined}>
                  {formatDate(entry.message.created_at, language, timeZone)}
                </time>
                {entry.message.direction === 'outbound' && !entry.message.internal ? (
                  <span class="delivery" data-delivery={entry.message.delivery_status ?? ''}>
                    {' '}
                    · {t.delivery}: {entry.message.delivery_status ?? '—'}
                  </span>
                ) : null}
              </p>
              <p class="body">{entry.message.body ?? ''}</p>
              <Attachments api={api} attachments={entry.message.attachments ?? []} />
            </li>
          ) : 'event' in entry && entry.event ? (
            <li key={entry.key} class="event">
              <p class="meta">
                {t.event} ·{' '}
                <time dateTime={entry.event.created_at ?? undefined}>
                  {formatDate(entry.event.created_at, language, timeZone)}
                </time>
              </p>
              <p class="body" data-event={entry.event.type}>
                {(t as Record<string, string>)[`event_${entry.event.type}`] ?? entry.event.type}
              </p>
            </li>
          ) : null,
        )}
      </ol>
    </section>
  );
}
