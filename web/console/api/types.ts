/** The shapes the console reads from the API (docs: /api/v1/openapi.json), only the fields it uses. */
export interface Agent {
  id: number;
  name: string;
  role: string;
}

export interface AgentDetail extends Agent {
  presence?: string;
}

export interface TicketSummary {
  id: number;
  reference: string;
  status: string;
  channel: string;
  subject: string | null;
  priority: string;
  team_id: number | null;
  assignee_id: number | null;
  /** The reporter asked to stay unknown: their name is withheld from staff who may not see it. */
  anonymous: boolean;
  contact: { id: number; display_name: string | null };
  created_at: string | null;
  last_message_at: string | null;
  category?: string | null;
  complaint_type?: string | null;
  sla: SlaFlag;
}

/** The ticket's next SLA deadline, as the API counts it in its team's working time. */
export interface SlaFlag {
  state: 'ok' | 'warning' | 'breached' | null;
  due_at: string | null;
  warn_at?: string | null;
  kind?: string | null;
  working_minutes_left?: number | null;
  working_now?: boolean;
  paused?: boolean;
}

export interface SlaClock {
  id: number;
  kind: string;
  due_at: string | null;
  warn_at: string | null;
  paused_at: string | null;
  breached_at: string | null;
  stopped_at: string | null;
  outcome: string | null;
}

export interface WhatsAppWindow {
  open: boolean;
  last_citizen_message_at: string | null;
  closes_at: string | null;
  template_available: boolean;
}

export interface TicketPage {
  data: TicketSummary[];
  next_cursor: string | null;
  next_offset: number | null;
}

/** A file of a message; only the ones kept here have a download path (a provider's stay there). */
export interface MessageAttachment {
  id: number;
  content_type: string | null;
  filename: string | null;
  size_bytes: number | null;
  download_url: string | null;
}

export interface TimelineMessage {
  id: number;
  attachments?: MessageAttachment[];
  direction: string;
  channel: string;
  author_type: string;
  body: string | null;
  internal: boolean;
  delivery_status: string | null;
  created_at: string | null;
}

export interface TimelineEvent {
  id: number;
  type: string;
  actor_type: string;
  created_at: string | null;
}

export interface TicketDetail extends TicketSummary {
  /** The citizen's known addresses; none where the reporter is hidden from me. */
  contact: { id: number; display_name: string | null; identities?: Array<{ kind: string; value: string }> };
  messages: TimelineMessage[];
  events: TimelineEvent[];
  sla_clocks: SlaClock[];
  whatsapp_window: WhatsAppWindow | null;
  /** Who holds it, by name. */
  assignee_name: string | null;
  merged_into_id: number | null;
  permit_number: string | null;
  confidential: boolean;
}

/** What an action answered: the ticket's state after it, with what may be done next. */
export interface TicketState {
  id: number;
  status: string;
  team_id: number | null;
  assignee_id: number | null;
  merged_into_id: number | null;
  allowed_actions: string[];
}

export interface VocabularyTerm {
  code: string;
  label: { id: string; en: string };
}

export interface Vocabulary {
  categories: VocabularyTerm[];
  complaint_types: VocabularyTerm[];
}

export interface CannedResponse {
  id: number;
  name: string;
  language: string;
  body: string;
  team_id: number | null;
}

export interface Team {
  id: number;
  name: string;
  calendar_id?: number | null;
}

export interface Calendar {
  id: number;
  time_zone: string;
}

export interface LoginAnswer {
  token: string;
  expires_at: string;
  agent: Agent;
}

/** Another agent with the ticket open, and whether they are writing a reply. */
export interface TicketViewer {
  agent_id: number;
  name: string;
  activity: 'viewing' | 'replying';
  seen_at: string;
}

/** One team's active work, on one channel or in total (GET /api/v1/metrics/live). */
export interface QueueFigures {
  waiting: number;
  longest_waiting_seconds: number | null;
  assigned: number;
  pending_citizen: number;
  pending_agency: number;
  breached: number;
  warning: number;
}

export interface LiveAgent {
  id: number;
  name: string;
  role: string;
  presence: string;
  presence_seconds: number | null;
  team_ids: number[];
  channels: Array<{ channel: string; load: number; capacity: number }>;
}

/** The supervisor's live view: the same shape in the answer and in the stream's `queue` event. */
export interface LiveMetrics {
  at: string;
  teams: Array<{
    team_id: number;
    name: string;
    totals: QueueFigures;
    channels: Array<QueueFigures & { channel: string }>;
  }>;
  agents: LiveAgent[];
}

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface Compliance {
  met: number;
  breached: number;
  percent_met: number | null;
  breaches: number;
}

/** The figures of a period (GET /api/v1/metrics/summary). */
export interface SummaryMetrics {
  period: { from: string; to: string };
  volumes: { total: number; by_channel: Record<string, number>; by_category: Record<string, number> };
  first_response_minutes: Distribution;
  resolution_minutes: Distribution;
  sla: Record<'first_response' | 'next_response' | 'resolution' | 'agency_followup', Compliance>;
  breaches: number;
  reopened: number;
  calls: {
    abandoned: number;
    callbacks_done: number;
    callbacks_unreachable: number;
    callbacks_pending: number;
    callbacks_overdue: number;
  } | null;
}

/** A call-back or clarification task (GET /api/v1/tasks): the phone is null where the reporter is hidden. */
export interface CallbackTask {
  id: number;
  kind: 'callback' | 'clarification';
  status: 'open' | 'calling' | 'done' | 'unreachable' | 'cancelled';
  ticket: { id: number; reference: string };
  team_id: number | null;
  phone: string | null;
  reason: string | null;
  due_at: string | null;
  overdue: boolean;
  assignee_id: number | null;
  attempts: number;
  outcome: string | null;
  note: string | null;
  last_attempt_at: string | null;
}

/** An agent as a supervisor's or admin's list shows them (GET /api/v1/agents). */
export interface TeamAgent {
  id: number;
  name: string;
  role: string;
  active: boolean;
  teams: Array<{ id: number; name: string }>;
}
