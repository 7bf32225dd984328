import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { isValidReference } from './reference-number.js';

/**
 * Narrows a ticket query (tickets aliased `t`) to tickets whose subject or messages contain every
 * word of `text`, or whose reference number it is. Words are matched whole, accents ignored on
 * SQLite; user input never reaches the engine's query syntax unquoted.
 */
export function whereMatches(query: Knex.QueryBuilder, db: Knex, text: string): Knex.QueryBuilder {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const digits = text.replace(/\D/g, '');
  return query.where((inner) => {
    if (words.length === 0) inner.whereRaw('1 = 0');
    else if (isPostgres(db)) {
      const tsquery = words.join(' ');
      inner
        .whereRaw("to_tsvector('simple', coalesce(t.subject, '')) @@ plainto_tsquery('simple', ?)", [tsquery])
        .orWhereIn('t.id', db('messages').whereRaw("to_tsvector('simple', body) @@ plainto_tsquery('simple', ?)", [tsquery]).select('ticket_id'));
    } else {
      // FTS5 syntax: each word quoted, all required.
      const match = words.map((word) => `"${word}"`).join(' ');
      inner
        .whereRaw('t.id in (select rowid from tickets_fts where tickets_fts match ?)', [match])
        .orWhereRaw('t.id in (select ticket_id from messages where id in (select rowid from messages_fts where messages_fts match ?))', [match]);
    }
    if (digits.length === 9 && isValidReference(digits)) inner.orWhere('t.reference', digits);
  });
}
