/**
 * Masking of personal data (UU 27/2022) for logs and for readers who need not see it whole.
 * Enough stays visible for an operator to tell two numbers apart.
 */
export function maskPhone(value: string): string {
  const prefix = value.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const digits = value.slice(prefix.length);
  if (digits.length <= 6) return prefix + '*'.repeat(digits.length);
  return prefix + digits.slice(0, 5) + '*'.repeat(digits.length - 8) + digits.slice(-3);
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***@${value.slice(at + 1)}`;
}

const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[a-z]{2,}/gi;
// Phone numbers: international (+ and 9 to 15 digits, spaces or dashes allowed) or national
// (0… / 62… with 9 to 14 digits). Dates, times and 9-digit reference numbers do not match.
const PHONE = /(whatsapp:)?(\+\d[\d -]{7,17}\d|\b0\d{8,13}\b|\b62\d{8,13}\b)/g;
// NIK: exactly 16 digits.
const NIK = /\b\d{16}\b/g;

/** Masks anything that looks like an email, a NIK or a phone number inside free text. */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, (match) => maskEmail(match))
    .replace(NIK, (match) => match.slice(0, 4) + '*'.repeat(12))
    .replace(PHONE, (match) => maskPhone(match.replace(/[\s-]/g, '')));
}
