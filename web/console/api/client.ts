import type {
  AgentDetail,
  CallbackTask,
  Calendar,
  CannedResponse,
  TeamAgent,
  LiveMetrics,
  LoginAnswer,
  SummaryMetrics,
  Team,
  TicketDetail,
  TicketPage,
  TicketState,
  TicketViewer,
  Vocabulary,
} from './types';

/** An answer the API refused: its status and the message it gave (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    /** What the API listed under the message (the entries of a list it refused, say). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A report's period (dates of the office's calendar) and team, as the metrics routes take them. */
export interface PeriodQuery {
  from: string;
  to: string;
  team?: string;
}

const periodParams = (period: PeriodQuery): string => {
  const params = new URLSearchParams({ from: period.from, to: period.to });
  if (period.team) params.set('team', period.team);
  return params.toString();
};

export type QueueView = 'mine' | 'waiting' | 'all';

export interface QueueQuery {
  view: QueueView;
  status?: string;
  channel?: string;
  priority?: string;
  team?: string;
  q?: string;
  /** 'true': only tickets past an SLA deadline. */
  overdue?: string;
  cursor?: string;
  offset?: number;
}

/**
 * The typed client of /api/v1. The token travels only in the Authorization header, never in a
 * URL; a 401 on any call means the session ended (expired or revoked) and calls `onExpired`.
 */
export class ApiClient {
  constructor(
    private token: () => string | null,
    private onExpired: () => void,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, keepalive = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      keepalive, // a request sent as the tab closes still goes
    });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as {
      error?: { message?: string; code?: string; details?: unknown };
    };
    if (!response.ok) {
      if (response.status === 401 && token) this.onExpired();
      const error = answer.error;
      throw new ApiError(response.status, error?.message ?? response.statusText, error?.code, error?.details);
    }
    return answer as T;
  }

  /**
   * A stored file (GET /api/v1/attachments/:id) as a Blob: fetched with the token in its header,
   * since a plain link would carry no token (it is never in a URL or a cookie).
   */
  async attachment(downloadPath: string): Promise<Blob> {
    const token = this.token();
    const response = await fetch(downloadPath, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      cache: 'no-store',
    });
    if (!response.ok) {
      if (response.status === 401 && token) this.onExpired();
      const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
      throw new ApiError(response.status, answer.error?.message ?? response.statusText, answer.error?.code);
    }
    return response.blob();
  }

  /** A citizen's tickets, newest first, by their phone or email (the same visibility as every list). */
  async ticketsOfContact(address: string): Promise<TicketPage> {
    return this.call('GET', `/api/v1/tickets?${new URLSearchParams({ contact: address, limit: '11' })}`);
  }

  /** The agents I may see: a supervisor their teams', an admin everyone. */
  async agents(): Promise<TeamAgent[]> {
    return (await this.call<{ data: TeamAgent[] }>('GET', '/api/v1/agents')).data;
  }

  /** A supervisor or admin hands the ticket to an agent of its team. */
  assign(id: number, agentId: number): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/assign`, { agent_id: agentId });
  }

  /** Open call-backs I may see, overdue first (mine and my teams' unassigned ones). */
  async callbacks(): Promise<CallbackTask[]> {
    return (await this.call<{ data: CallbackTask[] }>('GET', '/api/v1/tasks?kind=callback&status=open,calling')).data;
  }

  /** Rings my phone, then the citizen's (Twilio); the task is mine and `calling`. */
  async callTask(id: number): Promise<CallbackTask> {
    return (await this.call<{ data: CallbackTask }>('POST', `/api/v1/tasks/${id}/call`)).data;
  }

  async recordOutcome(id: number, outcome: string, note?: string): Promise<CallbackTask> {
    const body = note ? { outcome, note } : { outcome };
    return (await this.call<{ data: CallbackTask }>('POST', `/api/v1/tasks/${id}/outcome`, body)).data;
  }

  /** Any route of /api/v1, for the administrator's client (api/admin.ts), which is built on it. */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call(method, path, body);
  }

  login(email: string, password: string): Promise<LoginAnswer> {
    return this.call('POST', '/api/v1/auth/login', { email, password });
  }

  logout(): Promise<void> {
    return this.call('POST', '/api/v1/auth/logout');
  }

  async me(): Promise<AgentDetail> {
    return (await this.call<{ data: AgentDetail }>('GET', '/api/v1/agents/me')).data;
  }

  async setPresence(presence: string): Promise<AgentDetail> {
    return (await this.call<{ data: AgentDetail }>('PUT', '/api/v1/agents/me/presence', { presence })).data;
  }

  queue(query: QueueQuery): Promise<TicketPage> {
    const path = { mine: '/api/v1/queue/mine', waiting: '/api/v1/queue/waiting', all: '/api/v1/tickets' }[query.view];
    const params = new URLSearchParams();
    for (const key of ['status', 'channel', 'priority', 'team', 'q', 'overdue', 'cursor'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (query.offset) params.set('offset', String(query.offset));
    const search = params.toString();
    return this.call('GET', search ? `${path}?${search}` : path);
  }

  async ticket(id: number): Promise<TicketDetail> {
    return (await this.call<{ data: TicketDetail }>('GET', `/api/v1/tickets/${id}`)).data;
  }

  reply(
    id: number,
    body: string,
    options: { channel?: string; based_on_canned_response_id?: number } = {},
  ): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/replies`, { body, ...options });
  }

  /** The approved WhatsApp template, which reopens a closed 24-hour window. */
  replyTemplate(id: number): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/replies`, { template: true });
  }

  async cannedResponses(): Promise<CannedResponse[]> {
    return (await this.call<{ data: CannedResponse[] }>('GET', '/api/v1/canned-responses')).data;
  }

  /** A canned response with this ticket's values filled in, to edit before sending. */
  async previewCanned(id: number, cannedResponseId: number): Promise<string> {
    const answer = await this.call<{ data: { body: string } }>('POST', `/api/v1/tickets/${id}/reply-preview`, {
      canned_response_id: cannedResponseId,
    });
    return answer.data.body;
  }

  clarify(id: number, body: string): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/clarification`, { body });
  }

  private async act(id: number, action: string, body: unknown = {}): Promise<TicketState> {
    return (await this.call<{ data: TicketState }>('POST', `/api/v1/tickets/${id}/${action}`, body)).data;
  }

  claim(id: number): Promise<TicketState> {
    return this.act(id, 'claim');
  }

  reopen(id: number): Promise<TicketState> {
    return this.act(id, 'reopen');
  }

  transfer(id: number, teamId: number, note: string): Promise<TicketState> {
    return this.act(id, 'transfer', { team_id: teamId, note });
  }

  /** Merges `sourceId` into `targetId`: the source is finished, its messages go to the target. */
  merge(targetId: number, sourceId: number): Promise<TicketState> {
    return this.act(targetId, 'merge', { source_ticket_ids: [sourceId] });
  }

  async classify(id: number, fields: Record<string, unknown>): Promise<TicketState> {
    return (await this.call<{ data: TicketState }>('PATCH', `/api/v1/tickets/${id}`, fields)).data;
  }

  /** The ticket a reference number names, among those the caller may see. */
  async findByReference(reference: string): Promise<number | undefined> {
    const page = await this.call<TicketPage>('GET', `/api/v1/tickets?q=${encodeURIComponent(reference)}`);
    const wanted = reference.replace(/[^0-9]/g, '');
    return page.data.find((ticket) => ticket.reference.replace(/[^0-9]/g, '') === wanted)?.id;
  }

  /** Pull mode: the next waiting item of my teams; undefined when there is none for me. */
  async next(): Promise<{ kind: 'ticket' | 'task'; data: { id: number } } | undefined> {
    return this.call('POST', '/api/v1/queue/next');
  }

  /** Collision detection: tells that I view or reply to the ticket; answers the other agents on it. */
  async markViewer(id: number, activity: 'viewing' | 'replying'): Promise<TicketViewer[]> {
    return (await this.call<{ data: TicketViewer[] }>('POST', `/api/v1/tickets/${id}/viewers`, { activity })).data;
  }

  leaveViewers(id: number, closing = false): Promise<void> {
    return this.call('DELETE', `/api/v1/tickets/${id}/viewers`, undefined, closing);
  }

  async vocabulary(): Promise<Vocabulary> {
    return (await this.call<{ data: Vocabulary }>('GET', '/api/v1/tickets/vocabulary')).data;
  }

  note(id: number, body: string): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/notes`, { body });
  }

  resolve(id: number): Promise<TicketState> {
    return this.act(id, 'resolve');
  }

  async teams(): Promise<Team[]> {
    return (await this.call<{ data: Team[] }>('GET', '/api/v1/teams')).data;
  }

  async liveMetrics(): Promise<LiveMetrics> {
    return (await this.call<{ data: LiveMetrics }>('GET', '/api/v1/metrics/live')).data;
  }

  async summary(period: PeriodQuery): Promise<SummaryMetrics> {
    return (await this.call<{ data: SummaryMetrics }>('GET', `/api/v1/metrics/summary?${periodParams(period)}`)).data;
  }

  /**
   * A CSV export (the summary's or the tickets'), fetched with the token in its header and handed
   * to the browser as a file: a plain link would have to carry the token in its URL.
   */
  async download(kind: 'summary' | 'tickets', period: PeriodQuery): Promise<void> {
    const path = kind === 'summary' ? '/api/v1/metrics/summary.csv' : '/api/v1/tickets/export.csv';
    const headers: Record<string, string> = { accept: 'text/csv' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${path}?${periodParams(period)}`, { headers, cache: 'no-store' });
    if (!response.ok) {
      const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
      if (response.status === 401 && token) this.onExpired();
      throw new ApiError(response.status, answer.error?.message ?? response.statusText, answer.error?.code);
    }
    const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name ?? `${kind}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async calendars(): Promise<Calendar[]> {
    return (await this.call<{ data: Calendar[] }>('GET', '/api/v1/calendars')).data;
  }
}
