import type { TicketSummary } from './api/types';
import type { Dictionary } from './i18n/id';

/**
 * The citizen as the queue and the ticket page name them: their name, or why there is none, since a
 * reporter who asked to stay unknown ("(dirahasiakan)") is not one who gave no name.
 */
export function citizenName(ticket: Pick<TicketSummary, 'anonymous' | 'contact'>, t: Dictionary): string {
  return ticket.contact.display_name ?? (ticket.anonymous ? t.anonymous : t.nameUnknown);
}
