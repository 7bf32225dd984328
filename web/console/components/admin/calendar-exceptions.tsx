import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminCalendar, WEEKDAYS, type Weekday, type WeeklyHours } from '../../api/admin-types';
import { useTexts } from '../../i18n';
import { ErrorMessage } from '../error-message';
import { OutcomeLine, useAction } from '../ticket-actions';
import { useFocusLater, useLoaded, fieldValue } from './admin-kit';
import { hoursText, parseHours } from './hours';
import { WeeklyHoursFields } from './weekly-hours-fields';

/**
 * A calendar's dated exceptions (GET /calendars/{id}/exceptions): one date's own hours or a day
 * off, and a range by weekday (Ramadan hours: PUT /calendars/{id}/exceptions).
 */
export function CalendarExceptions({ admin, calendar }: { admin: AdminApi; calendar: AdminCalendar }) {
  const { t } = useTexts();
  const exceptions = useLoaded(useCallback(() => admin.exceptions(calendar.id), [admin, calendar.id]));
  const [day, setDay] = useState({ date: '', hours: '', note: '' });
  const [range, setRange] = useState<{
    from: string;
    to: string;
    note: string;
    week: Partial<Record<Weekday, string>>;
  }>({ from: '', to: '', note: '', week: {} });
  const [dayOutcome, runDay] = useAction();
  const [rangeOutcome, runRange] = useAction();
  const focus = useFocusLater();

  const saveDay = (event: Event) => {
    event.preventDefault();
    void runDay(t.exceptionSaved, async () => {
      const hours = parseHours(day.hours);
      if (!hours) throw new Error(t.hoursInvalid.replace('{day}', day.date));
      await admin.putException(calendar.id, day.date, hours, day.note.trim() || null);
      await exceptions.reload();
      focus(`[data-exception="${day.date}"] button`);
      setDay({ date: '', hours: '', note: '' });
    });
  };
  const saveRange = (event: Event) => {
    event.preventDefault();
    void runRange(t.exceptionRangeSaved, async () => {
      const weekly: WeeklyHours = {};
      for (const weekday of WEEKDAYS) {
        const text = (range.week[weekday] ?? '').trim();
        if (!text) continue; // the usual hours
        const hours = text === '-' ? [] : parseHours(text);
        if (!hours) throw new Error(t.hoursInvalid.replace('{day}', t[`weekday_${weekday}`]));
        weekly[weekday] = hours;
      }
      await admin.putExceptionRange(calendar.id, {
        from: range.from,
        to: range.to,
        weekly_hours: weekly,
        note: range.note.trim() || null,
      });
      await exceptions.reload();
    });
  };
  const remove = (date: string) =>
    void runDay(t.exceptionRemoved.replace('{date}', date), async () => {
      await admin.deleteException(calendar.id, date);
      await exceptions.reload();
      focus('#exception-date');
    });

  return (
    <section class="admin-part" aria-labelledby="exceptions-title">
      <h3 id="exceptions-title">{t.exceptions}</h3>
      <p class="hint">{t.exceptionsHint}</p>
      <ErrorMessage error={exceptions.error} />
      {exceptions.value && exceptions.value.length === 0 ? <p>{t.noExceptions}</p> : null}
      {exceptions.value && exceptions.value.length > 0 ? (
        <table class="admin-list">
          <caption class="sr-only">{t.exceptions}</caption>
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col">{t.openingHours}</th>
              <th scope="col">{t.note}</th>
              <th scope="col">{t.actions}</th>
            </tr>
          </thead>
          <tbody>
            {exceptions.value.map((exception) => (
              <tr key={exception.date} data-exception={exception.date}>
                <th scope="row">{exception.date}</th>
                <td>{exception.hours.length === 0 ? t.closed : hoursText(exception.hours)}</td>
                <td>{exception.note ?? ''}</td>
                <td>
                  <button
                    type="button"
                    class="link"
                    aria-label={`${t.remove}: ${exception.date}`}
                    onClick={() => remove(exception.date)}
                  >
                    {t.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form class="admin-form inline" aria-labelledby="exception-day-title" onSubmit={saveDay}>
        <h4 id="exception-day-title">{t.exceptionDay}</h4>
        <label>
          {t.date}
          <input
            id="exception-date"
            type="date"
            value={day.date}
            required
            onInput={(event) => setDay({ ...day, date: fieldValue(event) })}
          />
        </label>
        <label>
          {t.openingHours}
          <input
            value={day.hours}
            aria-describedby="exception-hours-hint"
            onInput={(event) => setDay({ ...day, hours: fieldValue(event) })}
          />
        </label>
        <label>
          {t.note}
          <input value={day.note} onInput={(event) => setDay({ ...day, note: fieldValue(event) })} />
        </label>
        <p class="hint" id="exception-hours-hint">
          {t.exceptionHoursHint}
        </p>
        <p class="buttons">
          <button type="submit">{t.saveException}</button>
        </p>
        <OutcomeLine outcome={dayOutcome} />
      </form>
      <form class="admin-form" aria-labelledby="exception-range-title" onSubmit={saveRange}>
        <h4 id="exception-range-title">{t.exceptionRange}</h4>
        <label>
          {t.periodFrom}
          <input
            type="date"
            value={range.from}
            required
            onInput={(event) => setRange({ ...range, from: fieldValue(event) })}
          />
        </label>
        <label>
          {t.periodTo}
          <input
            type="date"
            value={range.to}
            required
            onInput={(event) => setRange({ ...range, to: fieldValue(event) })}
          />
        </label>
        <label>
          {t.note}
          <input value={range.note} onInput={(event) => setRange({ ...range, note: fieldValue(event) })} />
        </label>
        <WeeklyHoursFields
          legend={t.rangeHours}
          hint={t.rangeHoursHint}
          idPrefix="range"
          values={range.week}
          onChange={(week) => setRange({ ...range, week })}
        />
        <p class="buttons">
          <button type="submit">{t.saveExceptionRange}</button>
        </p>
        <OutcomeLine outcome={rangeOutcome} />
      </form>
    </section>
  );
}
