import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * One citizen, one number: `0812…`, `62812…`, `+62812…` and `whatsapp:+62812…` all become
 * `+62812…`. Returns undefined for what is not a possible phone number.
 */
export function normalizePhone(input: string, defaultRegion: string): string | undefined {
  const raw = input.trim().replace(/^whatsapp:/i, '');
  if (raw === '') return undefined;
  const region = defaultRegion.toUpperCase() as CountryCode;
  // "62812…" written without the plus: a national number cannot start with the country code,
  // so try it as international first.
  const candidates = /^\d+$/.test(raw) && !raw.startsWith('0') ? [`+${raw}`, raw] : [raw];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, region);
    if (parsed?.isPossible()) return parsed.number;
  }
  return undefined;
}
