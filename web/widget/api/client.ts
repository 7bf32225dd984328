import { type ChatMessage, type SessionAnswer, type SessionState, type StartSessionBody, toMessage } from './types.js';

export const CHAT_API = '/api/v1/public/chat';

/** An answer of the API that is not 2xx: its status and the `{ error: { code, message } }` it carried. */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** Worth sending again later: the server or the network failed, or asked us to slow down. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface ChatApiOptions {
  /** The session's token, or null before one exists. Sent as a header, never in a URL. */
  token: () => string | null;
  /** The token was refused (expired or forged): the session is over. */
  onUnauthorized: () => void;
  base?: string;
  fetch?: typeof fetch;
}

/** The public chat API, as the frame calls it (same origin as the frame, so no CORS). */
export class ChatApi {
  readonly base: string;
  private readonly fetcher: typeof fetch;
  constructor(private readonly options: ChatApiOptions) {
    this.base = options.base ?? CHAT_API;
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  async call(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetcher(this.base + path, {
        method: init.method ?? 'GET',
        headers: this.headers(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ChatApiError(0, 'network', 'network unreachable');
    }
    if (response.status === 401) this.reportUnauthorized();
    if (response.status === 204) return undefined;
    const body = (await response.json().catch(() => undefined)) as
      | { data?: unknown; error?: { code?: string; message?: string } }
      | undefined;
    if (!response.ok) {
      throw new ChatApiError(
        response.status,
        body?.error?.code ?? 'error',
        body?.error?.message ?? `answered ${response.status}`,
      );
    }
    return body?.data;
  }

  /** The session is over (a 401 here or on the stream). */
  reportUnauthorized(): void {
    this.options.onUnauthorized();
  }

  async startSession(body: StartSessionBody): Promise<SessionAnswer> {
    return (await this.call('/sessions', { method: 'POST', body })) as SessionAnswer;
  }

  async session(): Promise<SessionState> {
    return (await this.call('/session')) as SessionState;
  }

  /**
   * Hands a message to the server. The answer's id is the receipt's, not the message's: the message
   * itself comes back on the stream (with this clientId) once the server has processed it.
   */
  async send(clientId: string, text: string): Promise<void> {
    await this.call('/messages', { method: 'POST', body: { clientId, text } });
  }

  /** The messages after `after` (all of them without it); with `wait`, the server holds the answer up to that many seconds. */
  async messages(after: string | undefined, wait = 0, signal?: AbortSignal): Promise<ChatMessage[]> {
    const query = new URLSearchParams();
    if (after !== undefined) query.set('after', after);
    if (wait > 0) query.set('wait', String(wait));
    const suffix = query.size > 0 ? `?${query}` : '';
    const data = await this.call(`/messages${suffix}`, { signal });
    const list = Array.isArray(data) ? data : ((data as { messages?: unknown[] } | undefined)?.messages ?? []);
    return list.map(toMessage).filter((message): message is ChatMessage => message !== undefined);
  }

  async typing(): Promise<void> {
    await this.call('/typing', { method: 'POST', body: {} });
  }

  async read(upTo: string): Promise<void> {
    await this.call('/read', { method: 'POST', body: { upTo: numericOrString(upTo) } });
  }

  async transcript(): Promise<void> {
    await this.call('/transcript', { method: 'POST', body: {} });
  }
}

/** Ids travel as the server gave them: a number stays a number. */
function numericOrString(id: string): string | number {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}
