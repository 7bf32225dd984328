import type { AgentDetail, Calendar, LoginAnswer, Team, TicketDetail, TicketPage } from './types';

/** An answer the API refused: its status and the message it gave (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export type QueueView = 'mine' | 'waiting' | 'all';

export interface QueueQuery {
  view: QueueView;
  status?: string;
  channel?: string;
  priority?: string;
  team?: string;
  q?: string;
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

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
    if (!response.ok) {
      if (response.status === 401 && token) this.onExpired();
      throw new ApiError(response.status, answer.error?.message ?? response.statusText, answer.error?.code);
    }
    return answer as T;
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
    for (const key of ['status', 'channel', 'priority', 'team', 'q', 'cursor'] as const) {
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

  reply(id: number, body: string): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/replies`, { body });
  }

  note(id: number, body: string): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/notes`, { body });
  }

  resolve(id: number): Promise<unknown> {
    return this.call('POST', `/api/v1/tickets/${id}/resolve`, {});
  }

  async teams(): Promise<Team[]> {
    return (await this.call<{ data: Team[] }>('GET', '/api/v1/teams')).data;
  }

  async calendars(): Promise<Calendar[]> {
    return (await this.call<{ data: Calendar[] }>('GET', '/api/v1/calendars')).data;
  }
}
