import { randomInt } from 'node:crypto';

/**
 * Ticket reference numbers: eight random digits and a Damm check digit, shown as `SP-123-456-789`.
 * Digits only, so a caller can key one in on a phone pad; the Damm check catches every single
 * mistyped digit and every swap of two neighbouring digits, so a typo never reaches another
 * citizen's ticket. Random rather than sequential, so that numbers reveal nothing and cannot be
 * walked.
 */
const DAMM_TABLE = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export const REFERENCE_LENGTH = 9;

export function dammCheckDigit(digits: string): number {
  let interim = 0;
  for (const digit of digits) interim = DAMM_TABLE[interim]![Number(digit)]!;
  return interim;
}

export function isValidReference(digits: string): boolean {
  return new RegExp(`^\\d{${REFERENCE_LENGTH}}$`).test(digits) && dammCheckDigit(digits) === 0;
}

/** A fresh reference (digits only, never starting with 0 so it is not mistaken for a phone number). */
export function generateReference(): string {
  const body = String(randomInt(10_000_000, 100_000_000));
  return body + String(dammCheckDigit(body));
}

export function formatReference(digits: string, prefix: string): string {
  return `${prefix}${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

export interface QuotedReferences {
  valid: string[];
  /** Nine digits in the shape of a reference whose check digit is wrong: a typo. */
  mistyped: string[];
}

// Nine digits, optionally grouped 3-3-3 with spaces, dots or dashes, optionally after a prefix;
// not part of a longer run of digits (a phone number).
const QUOTED = /(?<![\d])(\d{3})[\s.-]?(\d{3})[\s.-]?(\d{3})(?![\d])/g;

/** The reference numbers a citizen quoted in free text. */
export function findReferences(text: string): QuotedReferences {
  const found: QuotedReferences = { valid: [], mistyped: [] };
  for (const match of text.matchAll(QUOTED)) {
    const digits = `${match[1]}${match[2]}${match[3]}`;
    const bucket = isValidReference(digits) ? found.valid : found.mistyped;
    if (!bucket.includes(digits)) bucket.push(digits);
  }
  return found;
}
