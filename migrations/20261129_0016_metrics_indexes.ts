import type { Knex } from 'knex';

// The supervisor's summary reads a period's tickets by the instant something happened to them
// (created, first answered, resolved) and the reopen events in it (the clocks breached in it have
// sla_clocks_breached_idx, migration 0013). Without these, each figure of a one-month summary is
// a scan of every ticket ever recorded.
// The live view groups the active tickets by team and channel: an index that holds every column it
// reads answers it without visiting the table (a million tickets: 30,000 active rows).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.index(
      ['status', 'team_id', 'channel', 'assignee_id', 'queued_at', 'created_at', 'sla_due_at', 'sla_warn_at'],
      'tickets_live_idx',
    );
  });
  await knex.schema.alterTable('tickets', (table) => {
    table.index(['created_at'], 'tickets_created_at_idx');
    table.index(['first_response_at'], 'tickets_first_response_at_idx');
    table.index(['resolved_at'], 'tickets_resolved_at_idx');
  });
  await knex.schema.alterTable('ticket_events', (table) => {
    table.index(['type', 'created_at'], 'ticket_events_type_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ticket_events', (table) => {
    table.dropIndex([], 'ticket_events_type_created_idx');
  });
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex([], 'tickets_created_at_idx');
    table.dropIndex([], 'tickets_first_response_at_idx');
    table.dropIndex([], 'tickets_resolved_at_idx');
    table.dropIndex([], 'tickets_live_idx');
  });
}
