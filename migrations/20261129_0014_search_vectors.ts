import type { Knex } from 'knex';

// PostgreSQL: one stored tsvector per ticket holding every word of its subject and messages, with
// one GIN index, so that a search is answered by one index. With a search on the subject OR on
// the messages, two indexes over two tables, the planner could not estimate how many tickets
// match and walked tickets_pkey backwards through half the table for a rare word (about 1 s over
// a million tickets).
//
// The column only ever gains words (a superset): a message's words are added when it is written,
// the subject's when it changes, and nothing is taken away when a message moves to another
// ticket or a subject changes. ticket-search.ts rechecks the exact rule (every word in the
// subject, or every word in one message) on the few tickets the index returns, so a stale word
// costs a recheck, never a wrong result. Adding only also keeps the triggers safe under
// concurrency: two transactions adding words to one ticket each append to the newest row.
//
// The per-source GIN indexes of 0010 are dropped: the recheck reads a ticket's own messages by
// ticket_id, and two fewer GIN indexes pay for the new one on every insert.
//
// SQLite keeps the FTS5 tables of 0010 unchanged (ticket-search.ts reads them differently).
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('alter table tickets add column search_vector tsvector');
  // One pass over the existing tickets (each row rewritten once), before the index exists.
  await knex.raw(
    "update tickets t set search_vector = strip(to_tsvector('simple', coalesce(t.subject, ''))) || " +
      "coalesce((select strip(to_tsvector('simple', string_agg(m.body, ' '))) from messages m where m.ticket_id = t.id), ''::tsvector)",
  );
  await knex.raw('create index tickets_search_vector on tickets using gin (search_vector)');
  await knex.raw('drop index if exists messages_body_search');
  await knex.raw('drop index if exists tickets_subject_search');

  // A ticket's own subject: set on insert, added to when it changes (row trigger, before the write).
  await knex.raw(`
    create function tickets_search_vector_subject() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        new.search_vector := strip(to_tsvector('simple', coalesce(new.subject, '')));
      elsif new.subject is distinct from old.subject then
        new.search_vector := coalesce(new.search_vector, ''::tsvector) || strip(to_tsvector('simple', coalesce(new.subject, '')));
      end if;
      return new;
    end $$`);
  await knex.raw(
    'create trigger tickets_search_vector_subject before insert or update of subject on tickets for each row execute function tickets_search_vector_subject()',
  );

  // New messages: one UPDATE per statement, per ticket, however many messages the statement
  // inserted (the inbound worker inserts a whole group of messages at once).
  await knex.raw(`
    create function messages_search_vector_insert() returns trigger language plpgsql as $$
    begin
      update tickets t set search_vector = coalesce(t.search_vector, ''::tsvector) || n.words
        from (select ticket_id, strip(to_tsvector('simple', string_agg(body, ' '))) as words from new_messages group by ticket_id) as n
        where t.id = n.ticket_id;
      return null;
    end $$`);
  await knex.raw(
    'create trigger messages_search_vector_insert after insert on messages referencing new table as new_messages for each statement execute function messages_search_vector_insert()',
  );

  // A message edited or moved (a merge): its words join its ticket. Only when the body or the
  // ticket changes: delivery reports update messages all day and must not touch tickets.
  await knex.raw(`
    create function messages_search_vector_update() returns trigger language plpgsql as $$
    begin
      update tickets set search_vector = coalesce(search_vector, ''::tsvector) || strip(to_tsvector('simple', new.body)) where id = new.ticket_id;
      return null;
    end $$`);
  await knex.raw(
    'create trigger messages_search_vector_update after update of body, ticket_id on messages for each row ' +
      'when (new.body is distinct from old.body or new.ticket_id is distinct from old.ticket_id) execute function messages_search_vector_update()',
  );
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('drop trigger if exists messages_search_vector_update on messages');
  await knex.raw('drop trigger if exists messages_search_vector_insert on messages');
  await knex.raw('drop trigger if exists tickets_search_vector_subject on tickets');
  await knex.raw('drop function if exists messages_search_vector_update()');
  await knex.raw('drop function if exists messages_search_vector_insert()');
  await knex.raw('drop function if exists tickets_search_vector_subject()');
  await knex.raw('drop index if exists tickets_search_vector');
  await knex.raw('alter table tickets drop column if exists search_vector');
  await knex.raw("create index messages_body_search on messages using gin (to_tsvector('simple', body))");
  await knex.raw(
    "create index tickets_subject_search on tickets using gin (to_tsvector('simple', coalesce(subject, '')))",
  );
}
