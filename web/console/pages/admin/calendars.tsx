import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminCalendar, WEEKDAYS, type Weekday, type WeeklyHours } from '../../api/admin-types';
import { AdminPage, AdminTable, useFocusLater, useLoaded, fieldValue } from '../../components/admin/admin-kit';
import { CalendarExceptions } from '../../components/admin/calendar-exceptions';
import { CalendarHolidays } from '../../components/admin/calendar-holidays';
import { DeadlinePreviewForm } from '../../components/admin/deadline-preview';
import { hoursText, parseHours } from '../../components/admin/hours';
import { TimeZoneSelect, WeeklyHoursFields } from '../../components/admin/weekly-hours-fields';
import { ErrorMessage } from '../../components/error-message';
import { OutcomeLine, useAction } from '../../components/ticket-actions';
import { type Texts, useTexts } from '../../i18n';

type WeekTexts = Partial<Record<Weekday, string>>;
const weekTexts = (hours: WeeklyHours): WeekTexts =>
  Object.fromEntries(WEEKDAYS.map((day) => [day, hoursText(hours[day])]));

/** The week from its texts: every weekday given (a blank one is closed), or an Error naming the day. */
function weekOf(texts: WeekTexts, t: Texts['t']): WeeklyHours {
  const week: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const hours = parseHours(texts[day] ?? '');
    if (!hours) throw new Error(t.hoursInvalid.replace('{day}', t[`weekday_${day}`]));
    week[day] = hours;
  }
  return week;
}

/**
 * Working-time calendars (GET/POST/PATCH/DELETE /calendars): the list, a new one, and the one
 * chosen: its name, time zone and weekly hours, its holidays, its exceptions, a deadline preview.
 */
export function CalendarsAdmin({ admin }: { admin: AdminApi }) {
  const { t } = useTexts();
  const calendars = useLoaded(useCallback(() => admin.calendars(), [admin]));
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [draft, setDraft] = useState({ slug: '', name: '', time_zone: 'Asia/Makassar', copy_from: 'default' });
  const [outcome, run] = useAction();
  const [rowOutcome, runRow] = useAction();
  const focus = useFocusLater();
  const chosen = calendars.value?.find((calendar) => calendar.id === chosenId) ?? null;

  const open = (calendar: AdminCalendar) => {
    setChosenId(calendar.id);
    focus('#calendar-detail-title');
  };
  const create = (event: Event) => {
    event.preventDefault();
    const template =
      draft.copy_from === 'default'
        ? calendars.value?.find((calendar) => calendar.is_default)?.id
        : draft.copy_from
          ? Number(draft.copy_from)
          : undefined;
    void run(t.calendarCreated, async () => {
      const created = await admin.createCalendar({
        slug: draft.slug.trim(),
        name: draft.name.trim(),
        time_zone: draft.time_zone,
        ...(template === undefined ? {} : { copy_from: template }),
      });
      await calendars.reload();
      setDraft({ ...draft, slug: '', name: '' });
      open(created);
    });
  };
  const remove = (calendar: AdminCalendar) =>
    void runRow(t.calendarDeleted.replace('{name}', calendar.name), async () => {
      await admin.deleteCalendar(calendar.id);
      if (chosenId === calendar.id) setChosenId(null);
      await calendars.reload();
      focus('#calendars-title');
    });

  return (
    <AdminPage name="calendars" title={t.adminCalendars} intro={t.adminCalendarsIntro}>
      <ErrorMessage error={calendars.error} />
      <h2 id="calendars-title" tabIndex={-1}>
        {t.calendarList}
      </h2>
      <AdminTable
        loaded={calendars}
        caption={t.calendarList}
        columns={[t.name, t.slug, t.timeZone, t.weeklyHours, t.teams, t.actions]}
      >
        {(rows) =>
          rows.map((calendar) => (
            <tr key={calendar.id} data-calendar-id={calendar.id}>
              <th scope="row">
                {calendar.name}
                {calendar.is_default ? <span class="detail"> ({t.defaultMark})</span> : null}
              </th>
              <td>{calendar.slug}</td>
              <td>{calendar.time_zone}</td>
              <td>
                {WEEKDAYS.map(
                  (day) => `${t[`weekday_${day}`]} ${hoursText(calendar.weekly_hours[day]) || t.closed}`,
                ).join('; ')}
              </td>
              <td>{calendar.teams.map((team) => team.slug).join(', ')}</td>
              <td class="buttons">
                <button
                  type="button"
                  class="link open"
                  aria-label={`${t.manage}: ${calendar.name}`}
                  aria-pressed={chosenId === calendar.id}
                  onClick={() => open(calendar)}
                >
                  {t.manage}
                </button>
                {calendar.is_default ? null : (
                  <button
                    type="button"
                    class="link"
                    aria-label={`${t.delete}: ${calendar.name}`}
                    onClick={() => remove(calendar)}
                  >
                    {t.delete}
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </AdminTable>
      <OutcomeLine outcome={rowOutcome} />
      {chosen ? (
        <CalendarDetail
          key={chosen.id}
          admin={admin}
          calendar={chosen}
          onSaved={calendars.reload}
          onClose={() => {
            setChosenId(null);
            focus(`[data-calendar-id="${chosen.id}"] .open`);
          }}
        />
      ) : null}
      <form class="admin-form" aria-labelledby="calendar-new-title" onSubmit={create}>
        <h2 id="calendar-new-title">{t.newCalendar}</h2>
        <label>
          {t.slug}
          <input
            value={draft.slug}
            required
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            aria-describedby="calendar-slug-hint"
            onInput={(event) => setDraft({ ...draft, slug: fieldValue(event) })}
          />
        </label>
        <p class="hint" id="calendar-slug-hint">
          {t.slugHint}
        </p>
        <label>
          {t.name}
          <input value={draft.name} required onInput={(event) => setDraft({ ...draft, name: fieldValue(event) })} />
        </label>
        <TimeZoneSelect value={draft.time_zone} onChange={(time_zone) => setDraft({ ...draft, time_zone })} />
        <label>
          {t.copyFrom}
          <select value={draft.copy_from} onChange={(event) => setDraft({ ...draft, copy_from: fieldValue(event) })}>
            <option value="">{t.copyNothing}</option>
            <option value="default">{t.defaultCalendar}</option>
            {(calendars.value ?? [])
              .filter((calendar) => !calendar.is_default)
              .map((calendar) => (
                <option key={calendar.id} value={String(calendar.id)}>
                  {calendar.name}
                </option>
              ))}
          </select>
        </label>
        <p class="buttons">
          <button type="submit">{t.createCalendar}</button>
        </p>
        <OutcomeLine outcome={outcome} />
      </form>
    </AdminPage>
  );
}

/** One calendar: name, time zone and weekly hours (PATCH), then its days and the deadline preview. */
function CalendarDetail(props: {
  admin: AdminApi;
  calendar: AdminCalendar;
  onSaved(): Promise<void>;
  onClose(): void;
}) {
  const { admin, calendar } = props;
  const { t } = useTexts();
  const [name, setName] = useState(calendar.name);
  const [zone, setZone] = useState(calendar.time_zone);
  const [week, setWeek] = useState<WeekTexts>(() => weekTexts(calendar.weekly_hours));
  const [outcome, run] = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    void run(t.calendarSaved, async () => {
      await admin.updateCalendar(calendar.id, { name: name.trim(), time_zone: zone, weekly_hours: weekOf(week, t) });
      await props.onSaved();
    });
  };
  return (
    <section class="admin-detail" aria-labelledby="calendar-detail-title" data-calendar={calendar.id}>
      <h2 id="calendar-detail-title" tabIndex={-1}>
        {t.calendarDetail.replace('{name}', calendar.name)}
      </h2>
      <p class="buttons">
        <button type="button" class="link" onClick={props.onClose}>
          {t.closeDetail}
        </button>
      </p>
      <form class="admin-form" aria-labelledby="calendar-hours-title" onSubmit={save}>
        <h3 id="calendar-hours-title">{t.calendarSettings}</h3>
        <label>
          {t.name}
          <input value={name} required onInput={(event) => setName(fieldValue(event))} />
        </label>
        <TimeZoneSelect value={zone} onChange={setZone} />
        <WeeklyHoursFields
          legend={t.weeklyHours}
          hint={t.weeklyHoursHint}
          idPrefix="week"
          values={week}
          onChange={setWeek}
        />
        <p class="buttons">
          <button type="submit">{t.saveCalendar}</button>
        </p>
        <OutcomeLine outcome={outcome} />
      </form>
      <CalendarHolidays admin={admin} calendar={calendar} />
      <CalendarExceptions admin={admin} calendar={calendar} />
      <DeadlinePreviewForm admin={admin} calendar={calendar} />
    </section>
  );
}
