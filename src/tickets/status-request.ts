import { isValidReference } from './reference-number.js';

export interface StatusRequest {
  /** The nine digits asked about (check digit not yet verified: see `valid`). */
  digits: string;
  /** False when the check digit is wrong: a typo, answered as such without any lookup. */
  valid: boolean;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A text message that asks for a ticket's status: the reference number alone, or after `STATUS`
 * or `CEK` (any case), as citizens type it: grouped 3-3-3 with spaces, dots or dashes, with or
 * without the office's prefix (`SP-`), a closing full stop or question mark allowed. Anything more
 * is a message for an agent, whatever reference it quotes (threading decides where it goes).
 */
export function parseStatusRequest(text: string, referencePrefix: string): StatusRequest | undefined {
  // Never two `\s*` side by side (`\s*[:#]?\s*`): they share a run of spaces in every way, quadratic.
  const prefix = escapeRegExp(referencePrefix.replace(/[-\s]+$/, ''));
  const shape = new RegExp(
    `^(?:(?:status|cek)\\s*(?:[:#]\\s*)?)?(?:${prefix ? `${prefix}[\\s-]?` : ''})?` +
      `(\\d{3})[\\s.-]?(\\d{3})[\\s.-]?(\\d{3})\\s*[.!?]*$`,
    'i',
  );
  const match = shape.exec(text.trim());
  if (!match) return undefined;
  const digits = `${match[1]}${match[2]}${match[3]}`;
  return { digits, valid: isValidReference(digits) };
}
