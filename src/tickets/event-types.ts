/*
 * The audit trail's vocabulary in one place (issue 13): every `ticket_events.type` written today and
 * the shape of its `data`, as a discriminated union instead of a string and a Record. Subscribers
 * (SLA, routing, the live streams, metrics, the console's timeline) switch on `type`; with this,
 * a writer that misspells a type or forgets a key, or a reader that expects a key nobody writes,
 * is a compile error rather than a silent gap in the history.
 *
 * Shapes are as the writers write them now (see each group's files). Times inside `data` are ISO
 * strings (they go through JSON); ids are numbers. A type written with two shapes is a union of
 * both. Type-only imports, and only from the tickets and the channels' contract: a value that
 * belongs to another part (a routing strategy, a call-back outcome) is a string here, with where
 * its vocabulary lives, so that the tickets depend on none of the parts that follow them.
 */
import type { ChannelKind, DeliveryState, FinalCallStatus } from '../../channels/adapter.js';
import type { ThreadReason } from './threading.js';
import type { TicketStatus } from './ticket-statuses.js';
import type { Category, ComplaintType, Priority } from './vocabulary.js';

/** src/sla/policies.ts CLOCK_KINDS. */
export type ClockKind = 'first_response' | 'next_response' | 'resolution' | 'agency_followup';
/** src/sla/escalation-team-check.ts EscalationTeamProblem. */
type EscalationTeamProblem = 'team_inactive' | 'team_without_members';
/** calls.callback_reason: src/voice/call-end.ts MISSED_REASON, 'voicemail' (call-records.ts), 'requested' (ivr.ts). */
export type CallbackReason = 'busy' | 'no_answer' | 'failed' | 'abandoned' | 'voicemail' | 'requested';
/**
 * calls.outcome: what the menu last made of the call (voice/ivr.ts), what was recorded
 * (call-records.ts: complaint, voicemail), or why an unserved call ended (call-end.ts MISSED_REASON).
 */
export type CallOutcome =
  | 'information'
  | 'complaint_started'
  | 'agent_dialled'
  | 'agent_connected'
  | 'agent_no_answer'
  | 'status_read'
  | 'status_not_found'
  | 'callback_requested'
  | 'complaint'
  | 'voicemail'
  | 'busy'
  | 'no_answer'
  | 'failed'
  | 'abandoned';
/** An ISO 8601 timestamp, as `Date.toISOString()` writes it. */
type IsoTime = string;

/** The fields an agent edits (update-fields.ts TicketFieldsPatch), with the type of their values. */
interface TicketFieldValues {
  category: Category | null;
  complaint_type: ComplaintType | null;
  priority: Priority;
  permit_number: string | null;
  confidential: boolean;
  anonymous: boolean;
  subject: string | null;
  required_skills: string[];
}

/** One field's change: `from` and `to` typed by the field. `reason` only when not an agent's edit. */
export type FieldChanged = {
  [F in keyof TicketFieldValues]: {
    field: F;
    from: TicketFieldValues[F];
    to: TicketFieldValues[F];
    /** merge.ts: a duplicate's reporter protection carried over; sla/escalation.ts: priority raised on breach. */
    reason?: 'merge' | 'sla_breached';
  };
}[keyof TicketFieldValues];

/** No data: written as `{}`. */
type Empty = Record<string, never>;

/** The data shared by merged_into (on each source) and merged (on the target). */
interface MergeCounts {
  messages_moved: number;
  from_status: TicketStatus;
}

/** The data shared by sla_warning and sla_breached (sla/clock-firing.ts). */
interface ClockFiring {
  clock_id: number;
  kind: ClockKind;
  warn_at: IsoTime;
  due_at: IsoTime;
  /** The ticket's team at the moment: an escalation in the same transaction may move it. */
  team_id: number | null;
}

/** The data of every callback_attempt (tasks/attempts.ts). */
interface AttemptBase {
  task_id: number;
  attempt: number;
  /** One of src/tasks/attempt-outcomes.ts ATTEMPT_OUTCOMES: the tickets name no tasks' vocabulary. */
  outcome: string;
  note?: string;
  call_sid: string;
}

export type TicketEventData = {
  // Ticket lifecycle: inbox/ingest.ts, tickets/held-messages.ts (split), tickets/actions/*, tickets/citizen-returns.ts.
  ticket_created: { channel: ChannelKind; reference: string; split_from_ticket_id?: number };
  assigned:
    | { agent_id: number; team_id: number; strategy: string } // routing/assign.ts: the team's strategy (src/routing), never 'pull'
    | { agent_id: number; by: number; team_id: number; previous_agent_id: number | null }; // actions/assignment.ts
  claimed:
    | { agent_id: number; team_id: number; via: 'queue_next' } // routing/assign.ts (pull)
    | { agent_id: number; by: number; team_id: number }; // actions/assignment.ts
  returned_to_queue: { agent_id: number; reason: 'agent_offline' };
  transferred: {
    from_team: number | null;
    to_team: number;
    from_assignee: number | null;
    from_status: TicketStatus;
    to_status: 'new' | 'pending_agency';
    note: string;
    message_id: number;
  };
  field_changed: FieldChanged;
  merged_into: MergeCounts & { target_ticket_id: number; target_reference: string };
  merged: MergeCounts & { source_ticket_id: number; source_reference: string };
  resolved:
    | { from_status: TicketStatus; note: string | null; message_id: number | null } // actions/lifecycle.ts
    | { reason: 'no_answer_to_clarification'; automatic: true }; // clarification-timers.ts
  closed: { from_status: TicketStatus };
  reopened:
    | {
        from_status: TicketStatus;
        to_status: 'new' | 'open';
        assignee_id: number | null;
        note: string | null;
        message_id: number | null;
      } // actions/lifecycle.ts
    | { reason: 'citizen_replied' }; // citizen-returns.ts

  // Messages: inbox/ingest.ts, inbox/status-requests.ts, tickets/replies.ts, messages/dispatch.ts and delivery-status.ts.
  message_received: {
    message_id: number;
    channel: ChannelKind;
    threaded_by: ThreadReason | 'split';
    /** An auto-reply (ingest.ts): no citizen's word, so it starts no response clock. */
    auto_reply?: true;
  };
  sender_unverified: { message_id: number; note: string };
  message_held: { message_id: number; channel: ChannelKind; reason: 'sender_not_contact' };
  reference_mistyped: { message_id: number; quoted: string[] };
  acknowledgement_suppressed:
    | { reason: 'sender_rate_limit'; limit: number; note: string }
    | { reason: 'unverified_sender_limit'; limit: { perDomain: number; total: number }; note: string };
  /** inbox/ack-plausibility.ts UNVERIFIED_ACK_EVENT; its caps count these by `domain`. */
  acknowledgement_unverified: { domain: string; note: string };
  status_request: {
    channel: ChannelKind;
    provider_message_id: string;
    /** The request's first 160 characters. */
    text: string;
    /** The ticket's status when the lookup found it (the event is on that ticket), else null. */
    status: TicketStatus | null;
  };
  reply_queued: { message_id: number; channel: ChannelKind; canned_response_id?: number };
  note_added: { message_id: number };
  delivery_failed: {
    message_id: number;
    channel: ChannelKind;
    /** Only from a provider's delivery report (delivery-status.ts); absent when the send itself failed (dispatch.ts). */
    status?: Extract<DeliveryState, 'failed' | 'undelivered'>;
    code: string | null;
    /** The provider's words, masked; a report may carry none. */
    reason: string | null;
  };
  /** dispatch.ts: the channel has no provider configured; nothing was sent. */
  delivery_not_configured: { message_id: number; channel: ChannelKind; code: string | null; reason: string };

  // Clarification: tickets/clarification.ts, clarification-timers.ts, citizen-returns.ts.
  clarification_requested: {
    message_id: number;
    remind_at: IsoTime;
    expires_at: IsoTime;
    previous_status: TicketStatus;
  };
  clarification_reminded: Empty;
  clarification_answered: Empty;

  // Held messages (someone else quoted the ticket's reference): tickets/held-messages.ts.
  held_message_confirmed: { message_ids: number[]; merged_contact_id: number | null };
  held_message_split: { message_id: number; new_ticket_id: number; new_reference: string };

  // SLA: sla/clock-firing.ts, clock-sync.ts, escalation.ts, extension.ts.
  sla_warning: ClockFiring;
  sla_breached: ClockFiring & { late_ms: number };
  sla_clock_stopped: {
    clock_id: number;
    kind: ClockKind;
    outcome: 'met' | 'breached' | 'cancelled';
    due_at: IsoTime | null;
  };
  sla_escalated: {
    clock_id: number;
    kind: ClockKind;
    team_id: number | null;
    /** What was done, as English sentences (staff-texts.ts escalationActionText). */
    actions: string[];
    /** The supervisors mailed. */
    notified: number[];
  };
  escalated: {
    from_team: number | null;
    to_team: number;
    from_assignee: number | null;
    /** Moved by a disposition's rules (actions/transfer.ts moveToTeam); absent on events before that. */
    from_status?: TicketStatus;
    to_status?: 'new' | 'pending_agency';
    clock_id: number;
    kind: ClockKind;
  };
  escalation_team_unavailable: {
    team_id: number;
    problem: EscalationTeamProblem;
    policy_id: number;
    /** The admins mailed. */
    notified: number[];
  };
  sla_extended: { clock_id: number; days: number; reason: string; message_id: number };
  /** The channel the citizen's notice went on (a WhatsApp requester's goes by SMS). */
  sla_extension_notified: { channel: ChannelKind };

  // Call-backs and tasks: tasks/callback-tasks.ts, task-assignment.ts, callback-calls.ts, attempts.ts,
  // merge-tasks.ts, routing/return-to-queue.ts.
  callback_task_created: { task_id: number; reason: CallbackReason; due_at: IsoTime; call_sid: string };
  callback_requested_again: { task_id: number; reason: CallbackReason; call_sid: string };
  callback_assigned: { task_id: number; agent_id: number };
  callback_claimed: { task_id: number; agent_id: number };
  callback_returned: { task_id: number; agent_id: number; reason: 'agent_offline' };
  callback_call_started: { task_id: number; attempt: number; call_sid: string };
  callback_agent_unreachable: {
    task_id: number;
    call_sid: string;
    /** A final call status, as the voice contract spells it (FINAL_CALL_STATUSES, channels/adapter.ts). */
    call_status: FinalCallStatus;
  };
  callback_call_lost: { task_id: number; note: string };
  callback_attempt:
    | (AttemptBase & { task_status: 'done' | 'unreachable' })
    | (AttemptBase & { task_status: 'open'; next_attempt_at: IsoTime });
  callback_task_moved: { task_id: number; from_ticket_id: number };
  callback_task_merged: { task_id: number; merged_task_id: number; from_ticket_id: number };

  // Voice: voice/call-records.ts (a status check by phone that found the caller's ticket).
  phone_status_check: {
    call_sid: string;
    /** The call as agents read it on the timeline (describeCall). */
    text: string;
    menu_path: string;
    /** Null when the menu set none (the caller hung up before choosing). */
    outcome: CallOutcome | null;
    duration_seconds: number | null;
    callback_requested: boolean;
  };

  // Web forms and web chat write no events of their own: their contacts come through the inbox
  // (message_received, ticket_created above, with channel 'web' or 'webchat').
};

export type TicketEventType = keyof TicketEventData;

export type TicketEventOf<T extends TicketEventType> = {
  ticketId: number;
  type: T;
  actorType: 'citizen' | 'agent' | 'system';
  actorId?: number | null;
  /** Required for every type: no writer omits it today, the empty ones included (they write `{}`). */
  data: TicketEventData[T];
  at: Date;
};

/** One event of any type: narrow it with `switch (event.type)`. */
export type TypedTicketEvent = { [T in TicketEventType]: TicketEventOf<T> }[TicketEventType];
