import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { openEventStream } from '../api/event-stream';
import type { LiveMetrics, QueueFigures } from '../api/types';
import { ChannelBadge } from '../components/channel-badge';
import { ErrorMessage } from '../components/error-message';
import { Escalations } from '../components/escalations';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { workingSpan } from '../sla';

interface BoardProps {
  api: ApiClient;
  agentId: number;
  token: () => string | null;
  timeZone: string;
  onUnauthorized(): void;
  /** Opens the queue on a team's tickets past a deadline. */
  onOverdue(teamId: number): void;
  onOpen(ticketId: number): void;
}

/** Seconds between the stream's snapshots: a deadline passing sends no event of its own before the SLA sweep. */
const SNAPSHOT_SECONDS = 10;
const FIGURES: Array<keyof QueueFigures> = [
  'waiting',
  'longest_waiting_seconds',
  'assigned',
  'pending_citizen',
  'pending_agency',
  'warning',
  'breached',
];

/**
 * The supervisor's live board: per team and channel what waits and for how long, what is assigned
 * or pending, the SLA warnings and breaches now; the agents with presence and load. It follows the
 * supervisors' stream (GET /api/v1/metrics/stream): its `queue` snapshots carry the numbers, and
 * any other event (a ticket created, assigned, breached...) reads them again at once.
 */
export function BoardPage({ api, agentId, token, timeZone, onUnauthorized, onOverdue, onOpen }: BoardProps) {
  const { t, word, language } = useTexts();
  const [live, setLive] = useState<LiveMetrics | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [changes, setChanges] = useState(0);
  // The escalations whose mail named me, heard on the stream since the page opened.
  const [toMe, setToMe] = useState<ReadonlySet<number>>(new Set());
  // Answers can come back out of order (a snapshot, then a read): the newest `at` wins.
  const newest = useRef('');
  const show = useCallback((next: LiveMetrics) => {
    if (next.at < newest.current) return;
    newest.current = next.at;
    setLive(next);
  }, []);
  const load = useCallback(async () => {
    try {
      show(await api.liveMetrics());
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api, show]);

  useEffect(() => {
    void load();
    return openEventStream({
      url: `/api/v1/metrics/stream?snapshot_seconds=${SNAPSHOT_SECONDS}`,
      token,
      onUnauthorized,
      onEvent: (event) => {
        if (event.event === 'queue') show(event.data as LiveMetrics);
        else {
          const notified = (event.data as { ticket_id?: number; data?: { notified?: unknown } }).data?.notified;
          const ticketId = (event.data as { ticket_id?: number }).ticket_id;
          if (event.event === 'sla_escalated' && Array.isArray(notified) && notified.includes(agentId) && ticketId)
            setToMe((current) => new Set([...current, ticketId]));
          void load();
          setChanges((count) => count + 1); // the escalations list reads again too
        }
      },
    });
  }, [load, show, token, onUnauthorized, agentId]);

  // Waits are wall-clock time (the office closed or not): the span's words without "working".
  // A deadline passing shows in a snapshot, with no event: the list reads again when the count moves.
  const breachedNow = live?.teams.reduce((sum, team) => sum + team.totals.breached, 0) ?? 0;
  const wait = (seconds: number | null) => (seconds === null ? '–' : workingSpan(t, seconds / 60));
  const cell = (figures: QueueFigures, key: keyof QueueFigures) =>
    key === 'longest_waiting_seconds' ? wait(figures[key]) : String(figures[key]);

  return (
    <main class="board">
      <h1>{t.boardTitle}</h1>
      <p class="hint" role="status">
        {live ? t.boardAt.replace('{time}', formatDate(live.at, language, timeZone)) : t.loading}
      </p>
      <ErrorMessage error={error} />
      {live?.teams.length === 0 ? <p>{t.boardNoTeams}</p> : null}
      {live?.teams.map((team) => (
        <section
          key={team.team_id}
          class="board-team"
          data-team={team.team_id}
          aria-labelledby={`team-${team.team_id}`}
        >
          <h2 id={`team-${team.team_id}`}>{team.name}</h2>
          {/* No scrolling box: on a phone each row stacks, a figure a line named by its data-label (the style sheet). */}
          <table class="figures">
            <caption class="sr-only">{t.boardTableCaption.replace('{team}', team.name)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.channel}</th>
                {FIGURES.map((key) => (
                  <th key={key} scope="col">
                    {t[`figure_${key}`]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {team.channels.map((row) => (
                <tr key={row.channel} data-channel={row.channel}>
                  <th scope="row">
                    <ChannelBadge channel={row.channel} />
                  </th>
                  {FIGURES.map((key) => (
                    <td
                      key={key}
                      data-figure={key}
                      data-label={t[`figure_${key}`]}
                      class={key === 'breached' && row.breached > 0 ? 'alarm' : ''}
                    >
                      {cell(row, key)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr class="total" data-channel="total">
                <th scope="row">{t.total}</th>
                {FIGURES.map((key) => (
                  <td
                    key={key}
                    data-figure={key}
                    data-label={t[`figure_${key}`]}
                    class={key === 'breached' && team.totals.breached > 0 ? 'alarm' : ''}
                  >
                    {cell(team.totals, key)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p>
            <a
              href={`/console?view=all&overdue=true&team=${team.team_id}`}
              onClick={(event) => {
                event.preventDefault();
                onOverdue(team.team_id);
              }}
            >
              {t.boardOverdueLink.replace('{n}', String(team.totals.breached)).replace('{team}', team.name)}
            </a>
          </p>
          <h3>{t.boardAgents}</h3>
          <ul class="board-agents">
            {live.agents
              .filter((agent) => agent.team_ids.includes(team.team_id))
              .map((agent) => (
                <li key={agent.id} data-agent={agent.id}>
                  <span class="name">{agent.name}</span>{' '}
                  <span class={`presence-${agent.presence}`}>{word('presence', agent.presence)}</span>
                  {agent.presence_seconds !== null ? (
                    <span class="detail"> · {t.since.replace('{time}', wait(agent.presence_seconds))}</span>
                  ) : null}
                  {agent.channels.length > 0 ? (
                    <span class="load">
                      {' · '}
                      {agent.channels
                        .map((load) =>
                          t.loadOf
                            .replace('{channel}', word('channel', load.channel))
                            .replace('{load}', String(load.load))
                            .replace('{capacity}', String(load.capacity)),
                        )
                        .join(', ')}
                    </span>
                  ) : null}
                </li>
              ))}
          </ul>
        </section>
      ))}
      <Escalations api={api} toMe={toMe} changes={`${changes}:${breachedNow}`} timeZone={timeZone} onOpen={onOpen} />
    </main>
  );
}
