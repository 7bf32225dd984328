import type { CallRow } from './call-store.js';

/** The final call statuses that mean nobody took the call (channels/adapter.ts), as call-back reasons. */
const MISSED_REASON: Record<string, string> = {
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'abandoned',
};

/** Where a finished call is recorded. */
export type CallRecordPlace =
  /** Through the inbox, on the contact's ticket (opened for it if none is open, and acknowledged). */
  | 'inbox'
  /** As an event on the ticket a status check found: no new ticket, no acknowledgement, nothing reopened. */
  | 'found_ticket'
  /** Nowhere but the calls table: a status check that found nothing, and nothing else asked for. */
  | 'nowhere';

export interface CallEnd {
  /** Set when the call ends abandoned: the outcome, and the call-back reason (when the number is known). */
  missed?: { outcome: string; callbackReason: string | null };
  place: CallRecordPlace;
}

/**
 * What a call's end means, from its row as the menu left it. A caller who was served once (heard
 * a status or the information, reached an agent, left a message) is not abandoned whatever keys
 * they pressed after; one who only tried a status check that found nothing is not abandoned
 * either (as a mature IVR: self-service, no ticket unless they leave a message or ask for a
 * call). Every other caller who hung up unserved without asking for a call-back is abandoned.
 */
export function callEnd(
  call: Pick<CallRow, 'served' | 'callback_reason' | 'phone' | 'outcome' | 'ticket_id' | 'recording_sid'>,
  finalStatus: string | undefined,
): CallEnd {
  const triedStatusOnly = call.outcome === 'status_not_found';
  const abandoned = !call.served && !call.callback_reason && !triedStatusOnly;
  const reason = MISSED_REASON[finalStatus ?? ''] ?? 'abandoned';
  const missed = abandoned ? { outcome: reason, callbackReason: call.phone ? reason : null } : undefined;
  // A message left is a message: it goes to its ticket the way every message does.
  if (call.recording_sid) return { missed, place: 'inbox' };
  if (call.ticket_id !== null) return { missed, place: 'found_ticket' };
  if (triedStatusOnly && !call.served && !call.callback_reason) return { missed, place: 'nowhere' };
  return { missed, place: 'inbox' };
}
