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
  contact: { id: number; display_name: string | null };
  created_at: string | null;
  last_message_at: string | null;
  sla: { state: string; due_at: string | null };
}

export interface TicketPage {
  data: TicketSummary[];
  next_cursor: string | null;
  next_offset: number | null;
}

export interface TimelineMessage {
  id: number;
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
  messages: TimelineMessage[];
  events: TimelineEvent[];
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
