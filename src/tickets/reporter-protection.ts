import type { AuthenticatedAgent } from '../auth/tokens.js';

/**
 * An anonymous report (anonim) hides who made it from the agents who work it; supervisors and
 * admins, who answer for the protection, still see the reporter.
 */
export function reporterHidden(row: { anonymous?: unknown }, agent: Pick<AuthenticatedAgent, 'role'>): boolean {
  return Boolean(row.anonymous) && agent.role === 'agent';
}

/** Timeline events whose `reason` is a provider's error text (dispatch, delivery reports). */
const PROVIDER_TEXT_EVENTS = new Set(['delivery_failed', 'delivery_not_configured']);

/**
 * A provider's error text may quote the reporter's number or address ("The 'To' number … is not a
 * valid phone number"). It is masked before it is stored, but a masked number keeps its first and
 * last digits, enough to confirm a guess, and rows stored earlier are not masked at all: a viewer
 * from whom the reporter is hidden gets no text. The error code, which names the problem, stays.
 */
export function providerTextFor<T>(text: T, hidden: boolean): T | null {
  return hidden ? null : text;
}

/** An event's data as a viewer may read it: a hidden reporter's provider error text taken out. */
export function eventDataFor<Data extends Record<string, unknown> | null>(
  type: string,
  data: Data,
  hidden: boolean,
): Data {
  if (!hidden || data === null || !PROVIDER_TEXT_EVENTS.has(type) || !('reason' in data)) return data;
  return { ...data, reason: null };
}
