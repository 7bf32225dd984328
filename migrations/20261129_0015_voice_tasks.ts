import type { Knex } from 'knex';

// The voice channel: every call we take or make (its menu path, outcome, recording), keyed by
// Twilio's CallSid so that a retried webhook finds the same row; and tasks (call-backs and
// clarification calls) that agents work like tickets. New tables only: nothing existing is rebuilt.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tasks', (table) => {
    table.increments('id');
    table.string('kind', 16).notNullable(); // callback | clarification
    table.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    table.integer('team_id').references('id').inTable('teams').onDelete('SET NULL');
    table.string('phone', 32).notNullable(); // E.164: the number to call
    table.string('reason', 32); // abandoned | no_answer | busy | failed | requested | after_hours | voicemail
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.integer('assignee_id').references('id').inTable('agents').onDelete('SET NULL');
    table.string('status', 16).notNullable(); // open | calling | done | unreachable | cancelled
    table.integer('attempts').notNullable().defaultTo(0); // call-back attempts made so far
    table.integer('requests').notNullable().defaultTo(1); // calls of the citizen that asked for this one task
    table.string('outcome', 24); // reached | no_answer | busy | failed | voicemail_left | wrong_number
    table.text('note');
    table.timestamp('last_attempt_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true });
    table.index(['status', 'due_at'], 'tasks_due_idx');
    table.index(['assignee_id', 'status'], 'tasks_assignee_idx');
    table.index(['ticket_id'], 'tasks_ticket_idx');
  });
  // "Once per caller and problem": at most one open call-back per ticket and number. A partial
  // unique index (SQLite and PostgreSQL both have them) makes a racing second insert fail.
  await knex.raw(
    "create unique index tasks_one_open_callback on tasks (ticket_id, phone) where kind = 'callback' and status in ('open', 'calling')",
  );

  await knex.schema.createTable('calls', (table) => {
    table.increments('id');
    table.string('call_sid', 64).notNullable().unique();
    table.string('direction', 16).notNullable(); // inbound | callback (our call to the agent, then the citizen)
    table.string('from_number', 64); // as Twilio wrote it; may be "anonymous"
    table.string('to_number', 64);
    table.string('phone', 32); // the citizen's number, E.164, when it is one
    table.string('language', 8).notNullable().defaultTo('id');
    table.string('menu_path', 255).notNullable().defaultTo(''); // keys pressed, e.g. "9 3 3"
    table.integer('reference_attempts').notNullable().defaultTo(0);
    table.string('outcome', 32); // information | voicemail | complaint | status_read | agent_connected | callback_requested | abandoned | ...
    table.boolean('served').notNullable().defaultTo(false);
    table.string('callback_reason', 32); // set when the call should be answered by a call-back
    table.integer('agent_id').references('id').inTable('agents').onDelete('SET NULL'); // the agent dialled
    table.integer('task_id').references('id').inTable('tasks').onDelete('SET NULL');
    table.string('status', 16).notNullable(); // Twilio's CallStatus: in-progress, completed, busy, no-answer, failed, canceled
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('ended_at', { useTz: true });
    table.integer('duration_seconds');
    table.string('recording_sid', 64);
    table.text('recording_url');
    table.integer('recording_seconds');
    table.text('transcription');
    table.string('attempt_outcome', 24); // call-backs: the outcome recorded for this attempt (once)
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['callback_reason', 'task_id', 'ended_at'], 'calls_callback_idx');
    table.index(['task_id'], 'calls_task_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calls');
  await knex.raw('drop index if exists tasks_one_open_callback');
  await knex.schema.dropTable('tasks');
}
