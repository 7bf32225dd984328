import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminCalendar, HOLIDAY_KINDS, type HolidayKind } from '../../api/admin-types';
import { useTexts } from '../../i18n';
import { ErrorMessage } from '../error-message';
import { OutcomeLine, useAction } from '../ticket-actions';
import { useFocusLater, useLoaded, fieldValue } from './admin-kit';
import { parseHolidayFile, yearOf } from './holiday-file';

/**
 * A calendar's holidays of one year (GET /calendars/{id}/holidays?year): one date added or taken
 * off, or the whole year loaded from a decree file (JSON or CSV, read here, PUT as the list).
 */
export function CalendarHolidays({ admin, calendar }: { admin: AdminApi; calendar: AdminCalendar }) {
  const { t } = useTexts();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [yearDraft, setYearDraft] = useState(String(year));
  const holidays = useLoaded(useCallback(() => admin.holidays(calendar.id, year), [admin, calendar.id, year]));
  const [draft, setDraft] = useState<{ date: string; name: string; kind: HolidayKind }>({
    date: '',
    name: '',
    kind: 'regional',
  });
  const [file, setFile] = useState<File | null>(null);
  const [outcome, run] = useAction();
  const [loaded, setLoaded] = useState<{ error?: unknown; done?: string }>({});
  const focus = useFocusLater();
  const kind = (code: string) => (t as Record<string, string>)[`holiday_${code}`] ?? code;

  const add = (event: Event) => {
    event.preventDefault();
    void run(t.holidaySaved, async () => {
      await admin.putHoliday(calendar.id, { date: draft.date, name: draft.name.trim(), kind: draft.kind });
      const added = Number(draft.date.slice(0, 4));
      setDraft({ date: '', name: '', kind: draft.kind });
      if (added !== year) {
        setYear(added);
        setYearDraft(String(added));
      } else await holidays.reload();
      focus(`[data-holiday="${draft.date}"] button`);
    });
  };
  const remove = (date: string) =>
    void run(t.holidayRemoved.replace('{date}', date), async () => {
      await admin.deleteHoliday(calendar.id, date);
      await holidays.reload();
      focus('#holiday-date');
    });
  const load = async (event: Event) => {
    event.preventDefault();
    const chosen = file;
    if (!chosen) return;
    setLoaded({});
    let list: ReturnType<typeof parseHolidayFile>;
    try {
      list = parseHolidayFile(chosen.name, await chosen.text());
    } catch (unreadable) {
      setLoaded({ error: new Error(`${t.holidayFileUnreadable} ${(unreadable as Error).message}`) });
      return;
    }
    const target = yearOf(list) ?? year;
    try {
      const counts = await admin.loadHolidays(calendar.id, target, list);
      setYear(target);
      setYearDraft(String(target));
      if (target === year) await holidays.reload();
      setLoaded({
        done: t.holidaysLoaded
          .replace('{year}', String(counts.year))
          .replace('{added}', String(counts.added))
          .replace('{updated}', String(counts.updated))
          .replace('{removed}', String(counts.removed))
          .replace('{unchanged}', String(counts.unchanged)),
      });
    } catch (refused) {
      setLoaded({ error: refused });
    }
  };

  return (
    <section class="admin-part" aria-labelledby="holidays-title">
      <h3 id="holidays-title">{t.holidaysOf.replace('{year}', String(year))}</h3>
      <form
        class="filters"
        aria-label={t.holidayYear}
        onSubmit={(event) => {
          event.preventDefault();
          if (/^\d{4}$/.test(yearDraft)) setYear(Number(yearDraft));
        }}
      >
        <label>
          {t.holidayYear}
          <input
            type="number"
            class="narrow"
            min={1970}
            max={9999}
            value={yearDraft}
            onInput={(event) => setYearDraft(fieldValue(event))}
          />
        </label>
        <button type="submit">{t.show}</button>
      </form>
      <ErrorMessage error={holidays.error} />
      {holidays.value && holidays.value.length === 0 ? <p>{t.noHolidays}</p> : null}
      {holidays.value && holidays.value.length > 0 ? (
        <table class="admin-list">
          <caption class="sr-only">{t.holidaysOf.replace('{year}', String(year))}</caption>
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.holidayKind}</th>
              <th scope="col">{t.actions}</th>
            </tr>
          </thead>
          <tbody>
            {holidays.value.map((holiday) => (
              <tr key={holiday.date} data-holiday={holiday.date}>
                <th scope="row">{holiday.date}</th>
                <td>{holiday.name}</td>
                <td>{kind(holiday.kind)}</td>
                <td>
                  <button
                    type="button"
                    class="link"
                    aria-label={`${t.remove}: ${holiday.date}`}
                    onClick={() => remove(holiday.date)}
                  >
                    {t.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form class="admin-form inline" aria-labelledby="holiday-add-title" onSubmit={add}>
        <h4 id="holiday-add-title">{t.addHoliday}</h4>
        <label>
          {t.date}
          <input
            id="holiday-date"
            type="date"
            value={draft.date}
            required
            onInput={(event) => setDraft({ ...draft, date: fieldValue(event) })}
          />
        </label>
        <label>
          {t.name}
          <input value={draft.name} required onInput={(event) => setDraft({ ...draft, name: fieldValue(event) })} />
        </label>
        <label>
          {t.holidayKind}
          <select
            value={draft.kind}
            onChange={(event) => setDraft({ ...draft, kind: fieldValue(event) as HolidayKind })}
          >
            {HOLIDAY_KINDS.map((code) => (
              <option key={code} value={code}>
                {kind(code)}
              </option>
            ))}
          </select>
        </label>
        <p class="buttons">
          <button type="submit">{t.addHoliday}</button>
        </p>
        <OutcomeLine outcome={outcome} />
      </form>
      <form class="admin-form inline" aria-labelledby="holiday-file-title" onSubmit={load}>
        <h4 id="holiday-file-title">{t.loadHolidayFile}</h4>
        <p class="hint" id="holiday-file-hint">
          {t.holidayFileHint}
        </p>
        <label>
          {t.holidayFile}
          <input
            type="file"
            accept=".json,.csv,application/json,text/csv"
            required
            aria-describedby="holiday-file-hint"
            onChange={(event) => setFile((event.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <p class="buttons">
          <button type="submit">{t.loadHolidays}</button>
        </p>
        {loaded.done ? <p role="status">{loaded.done}</p> : null}
        <ErrorMessage error={loaded.error} showDetails />
      </form>
    </section>
  );
}
