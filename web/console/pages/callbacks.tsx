import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { CallbackTask } from '../api/types';
import { ErrorMessage } from '../components/error-message';
import { useCoalesced } from '../coalesced';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import type { LiveEvents } from '../live';

/** The outcomes an agent reports of their own call (busy and failed come from Twilio). */
const OUTCOMES = ['reached', 'no_answer', 'voicemail_left', 'wrong_number'] as const;

interface CallbacksProps {
  api: ApiClient;
  live: LiveEvents;
  agentId: number;
  timeZone: string;
  onOpen(ticketId: number): void;
}

/**
 * Call-backs: the citizens who asked to be called (a missed call, the IVR's call-back choice),
 * overdue first. "Call" rings the agent's own phone, then the citizen's with the office's number;
 * after the call the agent says how it went, and a missed one is tried again by the server.
 */
export function CallbacksPage({ api, live, agentId, timeZone, onOpen }: CallbacksProps) {
  const { t, language } = useTexts();
  const [tasks, setTasks] = useState<CallbackTask[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setTasks(await api.callbacks());
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  const reload = useCoalesced(load);
  useEffect(() => live.listen(reload), [live, reload]);

  return (
    <main class="callbacks">
      <h1>{t.callbacksTitle}</h1>
      <ErrorMessage error={error} />
      {tasks === null ? (
        <p>{t.loading}</p>
      ) : tasks.length === 0 ? (
        <p>{t.noCallbacks}</p>
      ) : (
        <table>
          <caption class="sr-only">{t.callbacksTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.phone}</th>
              <th scope="col">{t.callbackReason}</th>
              <th scope="col">{t.due}</th>
              <th scope="col">{t.attempts}</th>
              <th scope="col">{t.actions}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <CallbackRow
                key={task.id}
                api={api}
                task={task}
                mine={task.assignee_id === agentId}
                due={formatDate(task.due_at, language, timeZone)}
                onChanged={reload}
                onOpen={onOpen}
              />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function CallbackRow(props: {
  api: ApiClient;
  task: CallbackTask;
  mine: boolean;
  due: string;
  onChanged(): void;
  onOpen(ticketId: number): void;
}) {
  const { api, task, mine, due, onChanged, onOpen } = props;
  const { t } = useTexts();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string>('reached');
  const [note, setNote] = useState('');
  const act = async (work: () => Promise<unknown>, said: string) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(said);
      onChanged();
    } catch (refused) {
      setError(refused);
    }
  };
  const calling = task.status === 'calling' && mine;
  return (
    <tr data-task={task.id} class={task.overdue ? 'overdue' : undefined}>
      <td>
        <a
          href={`/console/tickets/${task.ticket.id}`}
          onClick={(event) => {
            event.preventDefault();
            onOpen(task.ticket.id);
          }}
        >
          {task.ticket.reference}
        </a>
      </td>
      <td>{task.phone ?? t.hiddenReporter}</td>
      <td>{task.reason ?? '—'}</td>
      <td>
        {due}
        {task.overdue ? <strong class="overdue-mark"> · {t.overdue}</strong> : null}
      </td>
      <td>{task.attempts}</td>
      <td>
        <button type="button" onClick={() => void act(() => api.callTask(task.id), t.callPlaced)}>
          {t.callNow}
        </button>
        {calling ? (
          <form
            class="outcome"
            onSubmit={(event) => {
              event.preventDefault();
              void act(() => api.recordOutcome(task.id, outcome, note.trim() || undefined), t.outcomeRecorded);
            }}
          >
            <label>
              {t.callOutcome}{' '}
              <select value={outcome} onChange={(event) => setOutcome((event.target as HTMLSelectElement).value)}>
                {OUTCOMES.map((code) => (
                  <option key={code} value={code}>
                    {(t as Record<string, string>)[`outcome_${code}`] ?? code}
                  </option>
                ))}
              </select>
            </label>{' '}
            <label>
              {t.callNote}{' '}
              <input
                value={note}
                maxLength={2000}
                onInput={(event) => setNote((event.target as HTMLInputElement).value)}
              />
            </label>{' '}
            <button type="submit">{t.recordOutcome}</button>
          </form>
        ) : null}
        {notice ? <span role="status">{notice}</span> : null}
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}
