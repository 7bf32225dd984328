import { useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import type { AdminCalendar, DeadlinePreview } from '../../api/admin-types';
import { formatDate } from '../../dates';
import { useTexts } from '../../i18n';
import { ErrorMessage } from '../error-message';
import { fieldValue } from './admin-kit';

const pad = (n: number) => String(n).padStart(2, '0');

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return Math.round((wall - Math.floor(at / 60_000) * 60_000) / 60_000);
}

/** '2026-08-14T15:00' read as the wall time of the calendar's zone: '2026-08-14T15:00:00+08:00'. */
export function wallTimeIso(wall: string, timeZone: string): string {
  const guess = Date.parse(`${wall}:00Z`);
  const offset = offsetMinutes(timeZone, guess - offsetMinutes(timeZone, guess) * 60_000);
  const abs = Math.abs(offset);
  return `${wall}:00${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Now as the wall time of the zone, for a datetime-local field. */
function nowIn(timeZone: string): string {
  const at = Date.now();
  return new Date(at + offsetMinutes(timeZone, at) * 60_000).toISOString().slice(0, 16);
}

/**
 * GET /calendars/{id}/deadline: from a start (the calendar's local time) and N working days,
 * hours or minutes, when it is due, in the calendar's time zone; whether the office is open then.
 */
export function DeadlinePreviewForm({ admin, calendar }: { admin: AdminApi; calendar: AdminCalendar }) {
  const { t, language } = useTexts();
  const [from, setFrom] = useState(() => nowIn(calendar.time_zone));
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<'days' | 'hours' | 'minutes'>('days');
  const [answer, setAnswer] = useState<DeadlinePreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const n = Number(amount);
    try {
      setAnswer(
        await admin.deadline(
          calendar.id,
          wallTimeIso(from, calendar.time_zone),
          unit === 'days' ? { working_days: n } : { working_minutes: unit === 'hours' ? n * 60 : n },
        ),
      );
    } catch (refused) {
      setAnswer(null);
      setError(refused);
    }
  };
  const when = (iso: string | null) => formatDate(iso, language, calendar.time_zone);
  return (
    <form class="admin-form" aria-labelledby="deadline-title" onSubmit={submit}>
      <h3 id="deadline-title">{t.deadlinePreview}</h3>
      <p class="hint">{t.deadlinePreviewHint.replace('{zone}', calendar.time_zone)}</p>
      <label>
        {t.deadlineFrom}
        <input type="datetime-local" value={from} required onInput={(event) => setFrom(fieldValue(event))} />
      </label>
      <label>
        {t.deadlineAmount}
        <input
          type="number"
          class="narrow"
          min={0}
          value={amount}
          required
          onInput={(event) => setAmount(fieldValue(event))}
        />
      </label>
      <label>
        {t.deadlineUnit}
        <select value={unit} onChange={(event) => setUnit(fieldValue(event) as typeof unit)}>
          <option value="days">{t.workingDays}</option>
          <option value="hours">{t.workingHours}</option>
          <option value="minutes">{t.workingMinutes}</option>
        </select>
      </label>
      <p class="buttons">
        <button type="submit">{t.showDeadline}</button>
      </p>
      <ErrorMessage error={error} />
      <div role="status">
        {answer ? (
          <dl class="figures-list">
            <dt>{t.deadlineDue}</dt>
            <dd data-deadline-local={answer.deadline_local ?? ''}>
              <time dateTime={answer.deadline ?? undefined}>{when(answer.deadline)}</time>
            </dd>
            <dt>{t.deadlineOpenAtStart}</dt>
            <dd>{answer.is_open ? t.yes : t.nextOpening.replace('{date}', when(answer.next_opening))}</dd>
          </dl>
        ) : null}
      </div>
    </form>
  );
}
