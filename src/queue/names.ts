/** Queue names and job payloads: the only shapes that cross Redis. */
export const QUEUE_INBOUND = 'inbound';
export const QUEUE_OUTBOUND = 'outbound';
export const QUEUE_ROUTING = 'routing';
export const QUEUE_SLA = 'sla';

export interface InboundJob {
  inboxId: number;
}

export interface OutboundJob {
  outboxId: number;
}

/** Something changed that may let waiting work meet a free agent. */
export type RoutingJob =
  | { kind: 'tickets'; ticketIds: number[] }
  | { kind: 'agents'; agentIds: number[] }
  | { kind: 'teams'; teamIds: number[] };

/** An SLA clock's warning or breach falls due: check it (the database decides what fires). */
export interface SlaJob {
  clockId: number;
  stage: 'warning' | 'breach';
}

/**
 * Deterministic job ids: enqueueing the same row twice while its job exists is a no-op. They name
 * the installation (its database: src/queue/installation-id.ts) as well as the row, because row
 * numbers start again at 1 in a new database while the jobs of the old one may still be in Redis
 * (kept an hour once completed, a week once failed), and BullMQ ignores an add whose id it holds.
 */
export const inboundJobId = (installationId: string, inboxId: number): string => `inbox-${installationId}-${inboxId}`;
export const outboundJobId = (installationId: string, outboxId: number): string =>
  `outbox-${installationId}-${outboxId}`;
/** One job per clock, stage and instant: a moved clock gets new ids, and its old jobs are removed. */
export const slaJobId = (installationId: string, clockId: number, stage: SlaJob['stage'], at: Date): string =>
  `sla-${installationId}-${clockId}-${stage}-${at.getTime()}`;
