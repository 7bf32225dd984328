/** One event of a text/event-stream. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the HTML standard's rules): feed it chunks as they
 * arrive, it calls back for each complete event. Comments (keep-alives) and events without data
 * are dropped; `id` is kept as the stream's last id even on an event without data, as the standard says.
 */
export class SseParser {
  private buffer = '';
  /** The last id the stream named: what Last-Event-ID sends on a reconnect. */
  lastEventId: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.dispatch(block);
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
    if (id !== undefined) this.lastEventId = id;
    if (data.length > 0) this.onEvent({ id, event, data: data.join('\n') });
  }
}
