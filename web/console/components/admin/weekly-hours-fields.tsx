import { WEEKDAYS, type Weekday } from '../../api/admin-types';
import { useTexts } from '../../i18n';
import { fieldValue } from './admin-kit';

/** The hours of a week as text per weekday ("08:00-12:00, 13:00-16:00"), one labelled field each. */
export function WeeklyHoursFields(props: {
  legend: string;
  hint: string;
  idPrefix: string;
  values: Partial<Record<Weekday, string>>;
  onChange(values: Partial<Record<Weekday, string>>): void;
}) {
  const { t } = useTexts();
  return (
    <fieldset class="choices week">
      <legend>{props.legend}</legend>
      <p class="hint" id={`${props.idPrefix}-hint`}>
        {props.hint}
      </p>
      {WEEKDAYS.map((day) => (
        <label key={day}>
          {t[`weekday_${day}`]}
          <input
            id={`${props.idPrefix}-${day}`}
            value={props.values[day] ?? ''}
            aria-describedby={`${props.idPrefix}-hint`}
            onInput={(event) => props.onChange({ ...props.values, [day]: fieldValue(event) })}
          />
        </label>
      ))}
    </fieldset>
  );
}

/** The Indonesian time zones an office keeps, and the calendar's own when it is another. */
export function TimeZoneSelect(props: { value: string; onChange(zone: string): void }) {
  const { t } = useTexts();
  const zones: Array<[string, string]> = [
    ['Asia/Jakarta', t.zoneWib],
    ['Asia/Makassar', t.zoneWita],
    ['Asia/Jayapura', t.zoneWit],
  ];
  if (!zones.some(([zone]) => zone === props.value)) zones.push([props.value, props.value]);
  return (
    <label>
      {t.timeZone}
      <select value={props.value} onChange={(event) => props.onChange(fieldValue(event))}>
        {zones.map(([zone, label]) => (
          <option key={zone} value={zone}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
