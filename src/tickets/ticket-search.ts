import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { isValidReference } from './reference-number.js';

/**
 * Narrows a ticket query (tickets aliased `t`) to tickets whose subject, or one of whose
 * messages, contains every word of `text`, or whose reference number it is. Words are matched
 * whole, accents ignored on SQLite; user input never reaches the engine's query syntax unquoted.
 *
 * Each engine is asked in the shape its planner answers from an index, newest ticket first:
 * - PostgreSQL: the ticket's stored search_vector (every word it ever had, see migration 0014)
 *   through its GIN index, then the exact rule rechecked on those few tickets;
 * - SQLite: the matching ticket ids from both FTS5 tables as one UNION list, which SQLite walks
 *   in id order and stops at the page's limit (an OR of two lists made it fetch and sort every
 *   match first).
 */
export function whereMatches(query: Knex.QueryBuilder, db: Knex, text: string): Knex.QueryBuilder {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const digits = text.replace(/\D/g, '');
  return query.where((inner) => {
    if (words.length === 0) inner.whereRaw('1 = 0');
    else if (isPostgres(db)) inner.where((found) => postgresMatch(found, db, words.join(' ')));
    else {
      // FTS5 syntax: each word quoted, all required.
      const match = words.map((word) => `"${word}"`).join(' ');
      inner.whereRaw(
        't.id in (select rowid from tickets_fts where tickets_fts match ? ' +
          'union select ticket_id from messages where id in (select rowid from messages_fts where messages_fts match ?))',
        [match, match],
      );
    }
    if (digits.length === 9 && isValidReference(digits)) inner.orWhere('t.reference', digits);
  });
}

/** The index finds the candidates (a superset); the exact rule decides: the subject, or one message. */
function postgresMatch(found: Knex.QueryBuilder, db: Knex, words: string): void {
  const query = "plainto_tsquery('simple', ?)";
  found
    .whereRaw(`t.search_vector @@ ${query}`, [words])
    .where((exact) =>
      exact
        .whereRaw(`to_tsvector('simple', coalesce(t.subject, '')) @@ ${query}`, [words])
        .orWhereExists(
          db('messages as m')
            .whereRaw('m.ticket_id = t.id')
            .whereRaw(`to_tsvector('simple', m.body) @@ ${query}`, [words])
            .select(db.raw('1')),
        ),
    );
}
