export const TICKET_STATUSES = ['new', 'open', 'pending_citizen', 'pending_agency', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which a ticket still takes the citizen's next message on its channel. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending_citizen', 'pending_agency'];
