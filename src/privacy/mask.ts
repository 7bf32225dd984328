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

const EMAIL = /[^\s@<>"'()[\]]+@[^\s@<>"'()[\]]+\.[a-z]{2,}/gi;
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
  const withoutEmailsAndNiks = text
    .replace(EMAIL, (match) => maskEmail(match))
    .replace(NIK, (match) => match.slice(0, 4) + '*'.repeat(12));
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
