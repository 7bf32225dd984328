import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * One citizen, one number: `0812…`, `62812…`, `+62812…` and `whatsapp:+62812…` all become
 * `+62812…`. Returns undefined for what is not a possible phone number.
 */
export function normalizePhone(input: string, defaultRegion: string): string | undefined {
  const raw = input
    .trim()
    .replace(/^whatsapp:/i, '')
    .replace(/[\s().-]/g, '');
  if (raw === '') return undefined;
  const region = defaultRegion.toUpperCase() as CountryCode;
  // Digits without a plus or a trunk 0 are ambiguous: "62812…" is the country code written
  // without its plus, "812…" a mobile number without its 0. Starting with the region's calling
  // code means international; anything else is first read as a national number.
  let candidates = [raw];
  if (/^\d+$/.test(raw) && !raw.startsWith('0')) {
    candidates = raw.startsWith(getCountryCallingCode(region)) ? [`+${raw}`, raw] : [raw, `+${raw}`];
  }
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, region);
    if (parsed?.isValid()) return parsed.number;
  }
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, region);
    if (parsed?.isPossible()) return parsed.number;
  }
  return undefined;
}
