/** One server-sent event of the agent stream. */
export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface StreamOptions {
  url: string;
  token: () => string | null;
  onEvent(event: StreamEvent): void;
  /** The server said the token is no longer valid (or answered 401): the session is over. */
  onUnauthorized(): void;
  /** Waiting between reconnections after a dropped connection. */
  retryMs?: number;
}

/**
 * A fetch-based reader of text/event-stream. `EventSource` cannot send an Authorization header,
 * and the token must never ride in a URL; so the stream is read by hand, and after a dropped
 * connection it reconnects with `Last-Event-ID` set to the last id received, so that no event is
 * lost in between. Answers a function that closes the stream.
 */
export function openEventStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let closed = false;
  const retryMs = options.retryMs ?? 2000;

  const connect = async (): Promise<void> => {
    const token = options.token();
    if (!token) return;
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 401) {
      closed = true;
      options.onUnauthorized();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  };

  const dispatch = (block: string): void => {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // a comment: keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    if (id !== undefined) lastEventId = id;
    if (event === 'unauthorized') {
      closed = true;
      options.onUnauthorized();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      return; // not ours to show
    }
    options.onEvent({ id, event, data: parsed });
  };

  const loop = async (): Promise<void> => {
    while (!closed) {
      try {
        await connect();
      } catch {
        // dropped or refused: wait, then resume from the last id
      }
      if (closed) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void loop();
  return () => {
    closed = true;
    controller.abort();
  };
}
