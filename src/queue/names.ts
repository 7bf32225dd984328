/** Queue names and job payloads: the only shapes that cross Redis. */
export const QUEUE_INBOUND = 'inbound';
export const QUEUE_OUTBOUND = 'outbound';

export interface InboundJob {
  inboxId: number;
}

export interface OutboundJob {
  outboxId: number;
}

/** Deterministic job ids: enqueueing the same row twice while its job exists is a no-op. */
export const inboundJobId = (inboxId: number): string => `inbox-${inboxId}`;
export const outboundJobId = (outboxId: number): string => `outbox-${outboxId}`;
