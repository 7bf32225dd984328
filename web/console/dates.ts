const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats an instant in the team calendar's time zone (WITA for Kaltim), in the user's language,
 * naming the zone. (Intl refuses `timeZoneName` together with `dateStyle`: the fields are spelt out.)
 */
export function formatDate(iso: string | null, language: 'id' | 'en', timeZone: string): string {
  if (!iso) return '';
  const key = `${language}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}
