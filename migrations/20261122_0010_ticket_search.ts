import type { Knex } from 'knex';

// Full-text search over ticket subjects and messages, with each database's own engine: FTS5
// tables kept in step by triggers on SQLite, GIN indexes over tsvectors on PostgreSQL. The
// 'simple' configuration (no stemming) because neither ships an Indonesian stemmer.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw("create index messages_body_search on messages using gin (to_tsvector('simple', body))");
    await knex.raw(
      "create index tickets_subject_search on tickets using gin (to_tsvector('simple', coalesce(subject, '')))",
    );
    return;
  }
  for (const [table, column] of [
    ['messages', 'body'],
    ['tickets', 'subject'],
  ] as const) {
    const fts = `${table}_fts`;
    await knex.raw(
      `create virtual table ${fts} using fts5(${column}, content='${table}', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
    );
    await knex.raw(`insert into ${fts}(rowid, ${column}) select id, ${column} from ${table}`);
    await knex.raw(
      `create trigger ${fts}_insert after insert on ${table} begin insert into ${fts}(rowid, ${column}) values (new.id, new.${column}); end`,
    );
    await knex.raw(
      `create trigger ${fts}_delete after delete on ${table} begin insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.id, old.${column}); end`,
    );
    await knex.raw(
      `create trigger ${fts}_update after update of ${column} on ${table} begin ` +
        `insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.id, old.${column}); ` +
        `insert into ${fts}(rowid, ${column}) values (new.id, new.${column}); end`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('drop index if exists messages_body_search');
    await knex.raw('drop index if exists tickets_subject_search');
    return;
  }
  for (const table of ['messages', 'tickets']) {
    for (const suffix of ['insert', 'delete', 'update'])
      await knex.raw(`drop trigger if exists ${table}_fts_${suffix}`);
    await knex.raw(`drop table if exists ${table}_fts`);
  }
}
