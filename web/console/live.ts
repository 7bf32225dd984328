import type { StreamEvent } from './api/event-stream';

/** Hands the one agent stream's events to whichever pages listen (the queue, the open ticket). */
export class LiveEvents {
  private listeners = new Set<(event: StreamEvent) => void>();

  publish(event: StreamEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Answers the function that stops listening (a page's effect cleanup). */
  listen(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The ticket an event is about, when it names one. */
export function ticketIdOf(event: StreamEvent): number | undefined {
  const data = event.data as { ticket_id?: unknown } | null;
  return typeof data?.ticket_id === 'number' ? data.ticket_id : undefined;
}
