import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { citizenName } from '../citizen-name';
import type { ApiClient, QueueQuery, QueueView } from '../api/client';
import type { Team, TicketPage } from '../api/types';
import { ChannelBadge } from '../components/channel-badge';
import { ErrorMessage } from '../components/error-message';
import { SlaBadge } from '../components/sla-badge';
import { useEvery } from '../clock';
import { formatDate } from '../dates';
import { useCoalesced } from '../coalesced';
import { useTexts } from '../i18n';
import { useShortcuts } from '../keyboard';
import type { LiveEvents } from '../live';
import { CHANNELS, PRIORITIES, STATUSES } from '../vocabulary';

interface QueueProps {
  api: ApiClient;
  live: LiveEvents;
  teams: Team[];
  timeZone: string;
  onOpen(ticketId: number): void;
  /** Where the queue opens: the supervisor's board links to a team's overdue tickets. */
  initial?: { view: QueueView; filters: Filters };
}

const VIEWS: QueueView[] = ['mine', 'waiting', 'all'];
export type Filters = Pick<QueueQuery, 'status' | 'channel' | 'priority' | 'team' | 'q' | 'overdue'>;

/** The queues: mine, my teams' waiting (routing order), all I may see; filtered, searched, paged. */
export function QueuePage({ api, live, teams, timeZone, onOpen, initial }: QueueProps) {
  const { t, word, language } = useTexts();
  const [view, setView] = useState<QueueView>(initial?.view ?? 'mine');
  const [filters, setFilters] = useState<Filters>(initial?.filters ?? {});
  const [search, setSearch] = useState('');
  // The page: a cursor (newest first) or an offset (routing order), as the API pages each view.
  const [page, setPage] = useState<{ cursor?: string; offset?: number }>({});
  const [result, setResult] = useState<(TicketPage & { fetchedAt: number }) | null>(null);
  const [pull, setPull] = useState<{ error?: unknown; message?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState(0);

  // Answers can come back out of order (a live event, then a filter change): only the latest counts.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    try {
      const answer = await api.queue({ view, ...filters, ...page });
      if (request !== latest.current) return;
      setResult({ ...answer, fetchedAt: Date.now() });
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api, view, filters, page]);

  useEffect(() => {
    void load();
  }, [load]);
  // Any event of the agent's stream may change what the list shows: fetch the page again, once
  // for a burst of events (useCoalesced).
  const reloadForEvents = useCoalesced(load);
  useEffect(() => live.listen(reloadForEvents), [live, reloadForEvents]);
  // The working-time countdowns are the server's: read again every minute (an office opening or closing).
  useEvery(60_000, load);

  // Pull mode: the next waiting ticket of my teams is mine, and opens; a call-back task is named.
  const pullNext = useCallback(async () => {
    setPull({});
    try {
      const next = await api.next();
      if (!next) setPull({ message: t.nothingWaiting });
      else if (next.kind === 'ticket') onOpen(next.data.id);
      else setPull({ message: t.taskTaken.replace('{id}', String(next.data.id)) });
    } catch (refused) {
      setPull({ error: refused });
    }
  }, [api, onOpen, t]);

  const rows = result?.data ?? [];
  const shortcuts = useMemo(
    () => ({
      j: () => setSelected((index) => Math.min(index + 1, Math.max(rows.length - 1, 0))),
      k: () => setSelected((index) => Math.max(index - 1, 0)),
      Enter: () => {
        const row = rows[selected];
        if (row) onOpen(row.id);
      },
      p: () => void pullNext(),
    }),
    [rows, selected, onOpen, pullNext],
  );
  useShortcuts(shortcuts);
  useEffect(() => {
    document.querySelector<HTMLElement>(`[data-row="${selected}"] a`)?.focus();
  }, [selected]);

  const choose = (next: QueueView) => {
    setView(next);
    setPage({});
    setSelected(0);
  };
  const filter = (key: keyof Filters, value: string) => {
    setFilters((current) => ({ ...current, [key]: value || undefined }));
    setPage({});
  };
  const select = (key: 'status' | 'channel' | 'priority', values: readonly string[]) => (
    <label>
      {t[key]}{' '}
      <select value={filters[key] ?? ''} onChange={(event) => filter(key, (event.target as HTMLSelectElement).value)}>
        <option value="">{t.any}</option>
        {values.map((code) => (
          <option key={code} value={code}>
            {word(key, code)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <main class="queue">
      <h1>{t.queueTitle}</h1>
      <nav aria-label={t.views} class="views">
        {VIEWS.map((name) => (
          <button key={name} type="button" aria-pressed={view === name} onClick={() => choose(name)}>
            {t[`view_${name}`]}
          </button>
        ))}
      </nav>
      <form
        class="filters"
        aria-label={t.filters}
        onSubmit={(event) => {
          event.preventDefault();
          filter('q', search.trim());
        }}
      >
        {select('status', STATUSES)}
        {select('channel', CHANNELS)}
        {select('priority', PRIORITIES)}
        <label>
          {t.team}{' '}
          <select
            value={filters.team ?? ''}
            onChange={(event) => filter('team', (event.target as HTMLSelectElement).value)}
          >
            <option value="">{t.any}</option>
            {teams.map((team) => (
              <option key={team.id} value={String(team.id)}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={filters.overdue === 'true'}
            onChange={(event) => filter('overdue', (event.target as HTMLInputElement).checked ? 'true' : '')}
          />{' '}
          {t.overdueOnly}
        </label>
        <label>
          {t.search}{' '}
          <input
            type="search"
            value={search}
            onInput={(event) => setSearch((event.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">{t.searchButton}</button>
      </form>
      <p class="hint">{t.shortcuts}</p>
      <p class="pull">
        <button type="button" aria-keyshortcuts="p" onClick={() => void pullNext()}>
          {t.pullNext}
        </button>
        {pull.message ? <span role="status">{pull.message}</span> : null}
      </p>
      <ErrorMessage error={pull.error} />
      <ErrorMessage error={error} />
      {result === null ? (
        <p>{t.loading}</p>
      ) : rows.length === 0 ? (
        <p>{t.noTickets}</p>
      ) : (
        <table class="tickets">
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.subject}</th>
              <th scope="col">{t.citizen}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.channel}</th>
              <th scope="col">{t.priority}</th>
              <th scope="col">{t.sla}</th>
              <th scope="col">{t.lastMessage}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((ticket, index) => (
              <tr
                key={ticket.id}
                data-row={index}
                data-ticket-id={ticket.id}
                class={index === selected ? 'selected' : ''}
              >
                <td>
                  <a
                    href={`/console/tickets/${ticket.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      onOpen(ticket.id);
                    }}
                  >
                    {ticket.reference}
                  </a>
                </td>
                <td class="subject">{ticket.subject ?? t.noSubject}</td>
                <td>{citizenName(ticket, t)}</td>
                <td>{word('status', ticket.status)}</td>
                <td>
                  <ChannelBadge channel={ticket.channel} />
                </td>
                <td>{word('priority', ticket.priority)}</td>
                <td>
                  <SlaBadge sla={ticket.sla} fetchedAt={result.fetchedAt} timeZone={timeZone} />
                </td>
                <td class="when">{formatDate(ticket.last_message_at, language, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pages" aria-label={t.morePages}>
        {page.cursor !== undefined || page.offset !== undefined ? (
          <button type="button" onClick={() => setPage({})}>
            {t.firstPage}
          </button>
        ) : null}
        {result?.next_cursor || result?.next_offset ? (
          <button
            type="button"
            onClick={() =>
              setPage(result.next_cursor ? { cursor: result.next_cursor } : { offset: result.next_offset ?? undefined })
            }
          >
            {t.morePages}
          </button>
        ) : null}
      </nav>
    </main>
  );
}
