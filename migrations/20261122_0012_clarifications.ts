import type { Knex } from 'knex';

// A clarification asked of the citizen: when, when to remind them, when the ticket finishes
// without an answer (computed in working days of the team's calendar).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.timestamp('clarification_requested_at', { useTz: true });
    table.timestamp('clarification_remind_at', { useTz: true });
    table.timestamp('clarification_reminded_at', { useTz: true });
    table.timestamp('clarification_expires_at', { useTz: true });
    table.index(['status', 'clarification_remind_at'], 'tickets_clarification_remind_idx');
    table.index(['status', 'clarification_expires_at'], 'tickets_clarification_expiry_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex([], 'tickets_clarification_remind_idx');
    table.dropIndex([], 'tickets_clarification_expiry_idx');
    table.dropColumn('clarification_requested_at');
    table.dropColumn('clarification_remind_at');
    table.dropColumn('clarification_reminded_at');
    table.dropColumn('clarification_expires_at');
  });
}
