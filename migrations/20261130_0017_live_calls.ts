import type { Knex } from 'knex';

// The calls still going on, per agent: each holds a voice slot (src/voice/live-calls.ts), counted
// on every routing pass. Few rows at any time, so a partial index (SQLite and PostgreSQL both have
// them) over the calls not yet ended.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index calls_live_idx on calls (agent_id) where ended_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists calls_live_idx');
}
