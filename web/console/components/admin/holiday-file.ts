import { HOLIDAY_KINDS, type Holiday, type HolidayKind, type HolidayList } from '../../api/admin-types';

/**
 * A year's holidays from a file the admin chose, read in the browser into the body that
 * PUT /calendars/{id}/holidays/{year} takes:
 * - JSON: the decree file as published ({year, national_holidays, cuti_bersama, regional_holidays},
 *   like test/fixtures/data/holidays-id-2026.json) or an array of {date, name, kind}; sent as it is,
 *   the server checks every entry and names a bad one.
 * - CSV: one holiday a line, `date,name[,kind]` (kind national, cuti_bersama or regional; national
 *   when left out), a header line `date,…` allowed, commas in a name inside double quotes.
 * Throws an Error naming the line (in English: the console shows it after its own words).
 */
export function parseHolidayFile(name: string, text: string): HolidayList {
  const content = text.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(name) || /^\s*[[{]/.test(content)) {
    const parsed = JSON.parse(content) as unknown;
    if (Array.isArray(parsed) || (parsed !== null && typeof parsed === 'object')) return parsed as HolidayList;
    throw new Error('The JSON file holds no holiday list');
  }
  const holidays: Holiday[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const [date = '', holidayName = '', kind = ''] = csvFields(line).map((field) => field.trim());
    if (index === 0 && /^(date|tanggal)$/i.test(date)) return;
    const normal = (kind || 'national').toLowerCase().replace(/\s+/g, '_') as HolidayKind;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !holidayName || !HOLIDAY_KINDS.includes(normal))
      throw new Error(
        `Line ${index + 1}: expected date (YYYY-MM-DD), name and an optional kind (${HOLIDAY_KINDS.join(', ')})`,
      );
    holidays.push({ date, name: holidayName, kind: normal });
  });
  if (holidays.length === 0) throw new Error('The file holds no holiday');
  return holidays;
}

/** One CSV line's fields (RFC 4180 quoting: "a, b" and "" for a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The year a list names (a decree file's `year`, else its first date's), if any. */
export function yearOf(list: HolidayList): number | undefined {
  if (Array.isArray(list)) {
    const first = list[0]?.date;
    return first ? Number(first.slice(0, 4)) : undefined;
  }
  if (typeof list.year === 'number') return list.year;
  const first = list.national_holidays?.[0]?.date ?? list.cuti_bersama?.[0]?.date;
  return first ? Number(first.slice(0, 4)) : undefined;
}
