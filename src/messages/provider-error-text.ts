import { maskPersonalData } from '../privacy-mask.js';

/**
 * A provider's error text quotes what it refused: Twilio's "The 'To' number +62812… is not a valid
 * phone number", a bounce's "<budi@…>: mailbox unknown". The text is kept on the message, the
 * outbox, the ticket's timeline and (a retried send) in the queue's record of the failed job, and
 * the reporter of an anonymous report must not be found there: numbers, addresses and NIKs are
 * masked before any of them is written. A NUL goes too: PostgreSQL refuses it in text, and Office
 * 365's bounce report carries one ("LinkId\0000…"), which left the bounce unrecorded (451, retried).
 */
export function maskProviderText(text: string): string;
export function maskProviderText(text: string | null | undefined): string | null;
export function maskProviderText(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : maskPersonalData(text.replaceAll('\u0000', ''));
}

/** The error itself, its message masked in place: it is stored, logged and rethrown to the queue. */
export function maskProviderError<E extends Error>(error: E): E {
  error.message = maskProviderText(error.message);
  return error;
}
