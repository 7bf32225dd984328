import { performance } from 'node:perf_hooks';

export interface StreamEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface OpenStream {
  status: number;
  /** Resolves when the stream has ended, by the server's doing or close(). */
  ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * A text/event-stream read as EventSource would, each event handed to `onEvent` with the
 * performance.now() of the chunk that completed it: the bench's clock for "seen by the client".
 * (test/support/sse-client.ts collects events for tests, without times.)
 */
export async function openStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: StreamEvent, at: number) => void,
): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        const at = performance.now();
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let boundary = buffer.indexOf('\n\n'); boundary >= 0; boundary = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event: StreamEvent = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (event.data) onEvent(event, at);
        }
      }
    } catch {
      // aborted by close(), or the server went away: the caller counts what arrived
    }
  })();
  return {
    status: response.status,
    ended,
    async close() {
      controller.abort();
      await ended;
    },
  };
}
