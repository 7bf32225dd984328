import { findNumbers, type CountryCode } from 'libphonenumber-js/max';

/**
 * Masking of personal data (UU 27/2022) for logs and for readers who need not see it whole.
 * Enough stays visible for an operator to tell two numbers apart.
 */
export function maskPhone(value: string): string {
  const prefix = value.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const digits = value.slice(prefix.length);
  if (digits.length <= 8) return prefix + '*'.repeat(digits.length);
  return prefix + digits.slice(0, 5) + '*'.repeat(digits.length - 8) + digits.slice(-3);
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***@${value.slice(at + 1)}`;
}

// Characters an address in running text is made of (anything but spaces, brackets, quotes and @).
const ADDRESS_CHAR = /[^\s@<>"'()[\]]/;
const LETTER = /[a-z]/i;
// NIK: exactly 16 digits.
const NIK = /\b\d{16}\b/g;
// A run of digits that could be a phone number at all: cheap pre-check before libphonenumber.
const MAYBE_PHONE = /\d[\d\s().-]{6,}\d/;

/**
 * Masks anything that looks like an email, a NIK or a phone number inside free text. Phone numbers
 * are found by libphonenumber (as written in Indonesia by default: 0812-3456-7890, (021) 555-0123,
 * +62 812…), so dates, times and reference numbers are left alone.
 */
export function maskPersonalData(text: string, defaultRegion = 'ID'): string {
  const withoutEmailsAndNiks = maskEmails(text).replace(NIK, (match) => match.slice(0, 4) + '*'.repeat(12));
  if (!MAYBE_PHONE.test(withoutEmailsAndNiks)) return withoutEmailsAndNiks;
  const found = findNumbers(withoutEmailsAndNiks, { defaultCountry: defaultRegion as CountryCode, v2: true });
  let masked = '';
  let cursor = 0;
  for (const number of found) {
    masked += withoutEmailsAndNiks.slice(cursor, number.startsAt);
    masked += maskPhone(withoutEmailsAndNiks.slice(number.startsAt, number.endsAt).replace(/[\s().-]/g, ''));
    cursor = number.endsAt;
  }
  return masked + withoutEmailsAndNiks.slice(cursor);
}

/**
 * Masks every `local@domain.tld` in the text. Written as a scan from each `@` rather than as one
 * regular expression: /[^@…]+@[^@…]+\.[a-z]{2,}/g retries its greedy local part from every position
 * of a long word without an `@`, quadratic in its length (40,000 characters: 6 s). Here each
 * character is looked at a bounded number of times, and the matches are the regular expression's:
 * the longest local part before the `@`, and the domain up to its last `.` followed by two letters.
 */
function maskEmails(text: string): string {
  let masked = '';
  let cursor = 0; // everything before it is copied or masked already
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > cursor && ADDRESS_CHAR.test(text[start - 1]!)) start -= 1;
    if (start === at) continue;
    let runEnd = at + 1;
    while (runEnd < text.length && ADDRESS_CHAR.test(text[runEnd]!)) runEnd += 1;
    const end = domainEnd(text, at + 1, runEnd);
    if (end === undefined) continue;
    masked += text.slice(cursor, start) + maskEmail(text.slice(start, end));
    cursor = end;
    at = end - 1;
  }
  return masked + text.slice(cursor);
}

/**
 * Where a domain in text[from, runEnd) ends: after the letters of its last `.xx`, or undefined.
 * The dots are looked for inside the run only: lastIndexOf went on back past `from` to the text's
 * last dot before it, for every `@` (1 MB of `+62@@`: 38 s).
 */
function domainEnd(text: string, from: number, runEnd: number): number | undefined {
  for (let dot = runEnd - 1; dot > from; dot -= 1) {
    if (text[dot] !== '.') continue;
    let end = dot + 1;
    while (end < runEnd && LETTER.test(text[end]!)) end += 1;
    if (end - dot - 1 >= 2) return end;
  }
  return undefined;
}
