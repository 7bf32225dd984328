import { type ChatApi, ChatApiError } from '../api/client.js';
import { type LiveEvent, toMessage } from '../api/types.js';
import { SseParser } from './sse.js';

export type LiveState = 'connecting' | 'live' | 'polling' | 'offline';

export interface LiveOptions {
  api: ChatApi;
  /** The newest message id the frame has: every (re)connection first fetches what came after it. */
  lastMessageId: () => string | undefined;
  onEvent: (event: LiveEvent) => void;
  onState: (state: LiveState) => void;
  /** Waits between attempts after a failure: the n-th failure in a row waits retryMs[n] (the last one repeats). */
  retryMs?: number[];
  /** A stream that sends not one byte in this time is taken for one a proxy buffers: long polling takes over. */
  firstByteMs?: number;
  /** Stream attempts that fail in a row before long polling takes over. */
  streamFailuresBeforePolling?: number;
  /** How long long polling runs before the stream is tried again. */
  pollingBeforeRetryMs?: number;
  /** Seconds the server may hold a long poll. */
  pollWaitSeconds?: number;
  /** While long polling (which carries messages only), how often the office's hours are asked for. */
  statusEveryMs?: number;
  fetch?: typeof fetch;
}

/**
 * The frame's live connection. The stream is read with fetch (not EventSource) so that the token
 * goes in the Authorization header, and resumes with Last-Event-ID. Where streaming fails (a proxy
 * that buffers, a network that cuts long answers) it falls back to long polling of
 * `GET /messages?after=&wait=`, and tries the stream again later. Whatever the mode, every
 * (re)connection starts by fetching the messages after the newest one shown, so that nothing said
 * while the visitor was away is missed; the conversation drops the duplicates.
 */
export class LiveConnection {
  private closed = false;
  private controller = new AbortController();
  private wake: (() => void) | undefined;
  private lastEventId: string | undefined;
  private failures = 0;
  private streamFailures = 0;
  private pollingSince = 0;
  private statusAt = 0;
  private readonly retryMs: number[];

  constructor(private readonly options: LiveOptions) {
    this.retryMs = options.retryMs ?? [1000, 2000, 5000, 10000, 20000];
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.closed = true;
    this.controller.abort();
    this.wake?.();
  }

  /** Reconnect now (the browser came back online, the visitor opened the chat): skips the wait. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        await this.catchUp();
        this.failures = 0; // the server answers: a failure from here on waits from the shortest again
        if (this.mode() === 'stream') await this.stream();
        else await this.poll();
      } catch (error) {
        if (this.closed) return;
        if (error instanceof ChatApiError && error.status === 401) return this.stop(); // the API said so already
        this.failures += 1;
        this.options.onState('offline');
        await this.sleep(this.retryMs[Math.min(this.failures - 1, this.retryMs.length - 1)]!);
      }
    }
  }

  private mode(): 'stream' | 'poll' {
    const threshold = this.options.streamFailuresBeforePolling ?? 2;
    if (this.streamFailures < threshold) return 'stream';
    if (Date.now() - this.pollingSince > (this.options.pollingBeforeRetryMs ?? 120_000)) {
      this.streamFailures = threshold - 1; // one more stream attempt; polling again if it fails
      return 'stream';
    }
    return 'poll';
  }

  /** One more stream attempt failed; `toPolling` when there is no point in another (a buffering proxy). */
  private noteStreamFailure(toPolling = false): void {
    const threshold = this.options.streamFailuresBeforePolling ?? 2;
    this.streamFailures = toPolling ? threshold : this.streamFailures + 1;
    if (this.streamFailures === threshold) this.pollingSince = Date.now();
  }

  private async catchUp(): Promise<void> {
    const messages = await this.options.api.messages(this.options.lastMessageId(), 0, this.controller.signal);
    if (messages.length > 0) this.options.onEvent({ kind: 'messages', messages });
  }

  private async poll(): Promise<void> {
    this.options.onState('polling');
    if (Date.now() - this.statusAt >= (this.options.statusEveryMs ?? 60_000)) {
      const session = await this.options.api.session();
      this.statusAt = Date.now();
      this.options.onEvent({ kind: 'status', open: session.open, nextOpening: session.hours?.nextOpening ?? null });
    }
    const wait = this.options.pollWaitSeconds ?? 25;
    const messages = await this.options.api.messages(this.options.lastMessageId(), wait, this.controller.signal);
    if (messages.length > 0) this.options.onEvent({ kind: 'messages', messages });
  }

  /** One stream attempt, with an abort of its own (stopping the connection aborts it too). */
  private async stream(): Promise<void> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    this.controller.signal.addEventListener('abort', abort);
    try {
      await this.streamOnce(attempt);
    } finally {
      this.controller.signal.removeEventListener('abort', abort);
    }
  }

  private async streamOnce(attempt: AbortController): Promise<void> {
    const { api } = this.options;
    const headers = api.headers({ accept: 'text/event-stream' });
    if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    const fetcher = this.options.fetch ?? ((input, init) => fetch(input, init));
    const firstByteMs = this.options.firstByteMs ?? 20_000;
    // A proxy that holds the whole answer sends not even the headers: the same wait, then long polling.
    let held = false;
    const noHeaders = setTimeout(() => {
      held = true;
      attempt.abort();
    }, firstByteMs);
    let response: Response;
    try {
      response = await fetcher(`${api.base}/stream`, { headers, signal: attempt.signal, cache: 'no-store' });
    } catch (error) {
      if (this.closed) throw error;
      if (held) return this.noteStreamFailure(true); // straight to long polling, the stream retried later
      // Offline is not the stream's fault: keep the mode, only wait.
      throw new ChatApiError(0, 'network', 'network unreachable');
    } finally {
      clearTimeout(noHeaders);
    }
    if (response.status === 401) {
      api.reportUnauthorized();
      throw new ChatApiError(401, 'unauthorized', 'unauthorized');
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
      void response.body?.cancel().catch(() => undefined);
      this.noteStreamFailure();
      throw new ChatApiError(response.status, 'stream', `the stream answered ${response.status}`);
    }
    let ended = false;
    const parser = new SseParser((event) => {
      if (event.event === 'unauthorized') {
        ended = true; // the session expired: the server ends the stream
        return;
      }
      this.dispatch(event.event, event.data);
    });
    if (this.lastEventId !== undefined) parser.lastEventId = this.lastEventId;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const opened = Date.now();
    let gotBytes = false;
    const firstByte = setTimeout(() => {
      if (gotBytes) return;
      this.noteStreamFailure(true); // buffered: straight to long polling, the stream retried later
      void reader.cancel().catch(() => undefined);
    }, firstByteMs);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!gotBytes) {
          gotBytes = true;
          this.streamFailures = 0;
          this.options.onState('live');
        }
        parser.push(value);
        this.lastEventId = parser.lastEventId;
        if (ended) break;
      }
    } catch (error) {
      if (this.closed) throw error;
      throw new ChatApiError(0, 'network', 'the stream dropped');
    } finally {
      clearTimeout(firstByte);
    }
    if (ended) {
      void reader.cancel().catch(() => undefined);
      api.reportUnauthorized();
      throw new ChatApiError(401, 'unauthorized', 'the session ended');
    }
    // `shutdown` (the server is stopping) needs nothing more: the stream ends and is opened again.
    // The server ended the stream (a deploy, a time limit): reconnect at once, catching up first;
    // one that ends as soon as it opens counts as a failure, so that it cannot spin.
    if (Date.now() - opened < 2000) {
      this.noteStreamFailure();
      throw new ChatApiError(0, 'stream', 'the stream ended at once');
    }
  }

  private dispatch(event: string, data: string): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (!parsed || typeof parsed !== 'object') return;
    if (event === 'message') {
      const message = toMessage(parsed);
      if (message) this.options.onEvent({ kind: 'messages', messages: [message] });
    } else if (event === 'typing') {
      this.options.onEvent({ kind: 'typing' });
    } else if (event === 'read' && (typeof parsed.upTo === 'string' || typeof parsed.upTo === 'number')) {
      this.options.onEvent({ kind: 'read', upTo: String(parsed.upTo) });
    } else if (event === 'status' && typeof parsed.open === 'boolean') {
      const nextOpening = typeof parsed.nextOpening === 'string' ? parsed.nextOpening : null;
      this.options.onEvent({ kind: 'status', open: parsed.open, nextOpening });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
