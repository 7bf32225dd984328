import type { Knex } from 'knex';

type Listener = () => void;

const listeners = new Set<Listener>();

/**
 * Whoever wants to know, after commit, that ticket events were written: the live tails read the
 * new events at once instead of at their next poll. The tickets know no listener (they tell this
 * registry, and the runtime wires the live feed to it); a cue lost costs one poll interval.
 */
export function onTicketEventsCommitted(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Events were written through `db`: tell the listeners once its transaction commits (at once without one). */
export function ticketEventsWritten(db: Knex | Knex.Transaction): void {
  if (listeners.size === 0) return;
  const committed = (db as Knex.Transaction).isTransaction ? (db as Knex.Transaction).executionPromise : undefined;
  // A rolled-back transaction wrote nothing to tell of.
  (committed ?? Promise.resolve()).then(tell, () => undefined);
}

function tell(): void {
  for (const listener of listeners) {
    try {
      listener();
    } catch {
      // A listener's failure is its own: the events are committed whatever it does.
    }
  }
}
