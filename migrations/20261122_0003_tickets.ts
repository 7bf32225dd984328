import type { Knex } from 'knex';

// Tickets, their messages and attachments, and the append-only audit trail of ticket events.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tickets', (table) => {
    table.increments('id');
    table.string('reference', 32).notNullable().unique(); // digits with a check digit, no prefix
    table.integer('contact_id').notNullable().references('id').inTable('contacts');
    table.string('channel', 16).notNullable(); // origin channel
    table.string('subject', 255);
    table.string('category', 32); // information_request | complaint | consultation | aspiration | appreciation
    table.string('complaint_type', 48);
    table.string('priority', 16).notNullable().defaultTo('normal');
    table.string('status', 24).notNullable(); // new | open | pending_citizen | pending_agency | resolved | closed
    table.integer('team_id').references('id').inTable('teams');
    table.integer('assignee_id').references('id').inTable('agents');
    table.string('permit_number', 64);
    table.boolean('confidential').notNullable().defaultTo(false);
    table.boolean('anonymous').notNullable().defaultTo(false);
    table.string('language', 8).notNullable().defaultTo('id');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('last_message_at', { useTz: true });
    table.timestamp('first_response_at', { useTz: true });
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('closed_at', { useTz: true });
    table.index(['contact_id', 'channel', 'status']);
    table.index(['status', 'channel']);
    table.index(['team_id', 'status']);
  });

  await knex.schema.createTable('messages', (table) => {
    table.increments('id');
    table.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    table.string('direction', 8).notNullable(); // inbound | outbound
    table.string('channel', 16).notNullable();
    table.string('author_type', 16).notNullable(); // citizen | agent | system
    table.integer('author_id');
    table.string('kind', 16).notNullable().defaultTo('message'); // message | call | voicemail | missed_call | acknowledgement
    table.text('body').notNullable();
    table.boolean('internal').notNullable().defaultTo(false);
    table.boolean('auto_reply').notNullable().defaultTo(false);
    table.string('address', 320); // the citizen's address this message came from or goes to
    table.string('provider', 32);
    table.string('provider_message_id', 128);
    table.string('delivery_status', 24); // queued | sent | delivered | read | undelivered | failed | not_delivered
    table.string('error_code', 32);
    table.text('error_message');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('status_at', { useTz: true });
    table.unique(['provider', 'provider_message_id']);
    table.index(['ticket_id', 'id']);
  });

  await knex.schema.createTable('attachments', (table) => {
    table.increments('id');
    table.integer('message_id').notNullable().references('id').inTable('messages').onDelete('CASCADE');
    table.string('storage', 16).notNullable(); // provider: a URL at the provider | local: under DATA_DIR
    table.text('url').notNullable();
    table.string('content_type', 255);
    table.string('filename', 255);
    table.integer('size_bytes');
    table.string('sha256', 64);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['message_id']);
  });

  await knex.schema.createTable('ticket_events', (table) => {
    table.increments('id');
    table.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    table.string('type', 48).notNullable();
    table.string('actor_type', 16).notNullable(); // citizen | agent | system
    table.integer('actor_id');
    table.json('data');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['ticket_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_events');
  await knex.schema.dropTable('attachments');
  await knex.schema.dropTable('messages');
  await knex.schema.dropTable('tickets');
}
