import type { DayHours } from '../../api/admin-types';

/** A day's working ranges as people write them: "08:00-12:00, 13:00-16:00"; '' when closed. */
export function hoursText(hours: DayHours | undefined): string {
  return (hours ?? []).map(([from, to]) => `${from}-${to}`).join(', ');
}

const RANGE = /^(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})$/;
const time = (text: string) => {
  const [hours, minutes] = text.replace('.', ':').split(':');
  return `${hours!.padStart(2, '0')}:${minutes}`;
};

/**
 * Reads "08:00-12:00, 13:00-16:00" (or 08.00–12.00, as Indonesian offices write times) into
 * ranges; '' is closed. Answers undefined for anything else. Overlaps, order and 24:00 are the
 * server's to check (it names the problem).
 */
export function parseHours(text: string): DayHours | undefined {
  const parts = text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean);
  const ranges: DayHours = [];
  for (const part of parts) {
    const match = RANGE.exec(part);
    if (!match) return undefined;
    ranges.push([time(match[1]!), time(match[2]!)]);
  }
  return ranges;
}
