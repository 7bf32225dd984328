import type { Knex } from 'knex';

// SLA policies (targets in working time, chosen by category, priority and channel), the clocks
// they run on each ticket, and the ticket's next deadline for lists and the `overdue` filter.
// The seeded policies carry the defaults of docs/domain.md; they are data that administrators edit.

type Target = { minutes: number } | { days: number };
interface SeedPolicy {
  name: string;
  categories?: string[];
  channels?: string[];
  targets: Partial<Record<'first_response' | 'next_response' | 'resolution' | 'agency_followup', Target>>;
  resolution_extension_days?: number;
}

const POLICIES: SeedPolicy[] = [
  {
    // SP4N-LAPOR!: verify a complaint (accept, ask for more, forward, archive) within 3 working
    // days; the agency it is disposed to follows up within 5.
    name: 'Pengaduan (SP4N-LAPOR!)',
    categories: ['complaint'],
    targets: { first_response: { days: 3 }, agency_followup: { days: 5 } },
  },
  {
    // UU 14/2008 (KIP): answer within 10 working days, extendable once by 7 with written reasons.
    name: 'Permintaan informasi (UU KIP)',
    categories: ['information_request'],
    targets: { resolution: { days: 10 } },
    resolution_extension_days: 7,
  },
  {
    // Chat-like channels: the citizen is waiting with the phone in hand.
    name: 'Kanal percakapan (SMS, WhatsApp, web)',
    channels: ['sms', 'whatsapp', 'webchat'],
    targets: { first_response: { minutes: 60 }, next_response: { minutes: 120 } },
  },
  {
    name: 'Bawaan (semua kontak lain)',
    targets: { first_response: { days: 1 }, next_response: { days: 1 } },
  },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sla_policies', (table) => {
    table.increments('id');
    table.string('name', 200).notNullable();
    table.integer('position').notNullable(); // the first active policy (lowest position) that matches applies
    table.boolean('active').notNullable().defaultTo(true);
    table.json('categories'); // null: any category (an uncategorised ticket too)
    table.json('priorities');
    table.json('channels');
    table.json('targets').notNullable(); // {"first_response": {"minutes": 60}, "resolution": {"days": 10}, ...}
    table.integer('resolution_extension_days'); // granted once, with a reason (UU KIP: 7)
    table.float('warning_ratio').notNullable().defaultTo(0.8);
    table.boolean('escalate_notify').notNullable().defaultTo(true); // live stream and mail to the team's supervisors
    table.boolean('escalate_raise_priority').notNullable().defaultTo(false);
    table.integer('escalation_team_id').references('id').inTable('teams').onDelete('SET NULL');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('sla_clocks', (table) => {
    table.increments('id');
    table.integer('ticket_id').notNullable().references('id').inTable('tickets').onDelete('CASCADE');
    table.string('kind', 24).notNullable(); // first_response | next_response | resolution | agency_followup
    table.integer('policy_id').references('id').inTable('sla_policies').onDelete('SET NULL');
    table.string('target_unit', 8).notNullable(); // minutes | days (working)
    table.integer('target_value').notNullable();
    table.integer('extension_days').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('warn_at', { useTz: true }); // null while paused
    table.timestamp('due_at', { useTz: true }); // null while paused
    table.timestamp('paused_at', { useTz: true });
    table.float('paused_minutes').notNullable().defaultTo(0); // working minutes spent paused, not counted
    table.timestamp('warned_at', { useTz: true });
    table.timestamp('breached_at', { useTz: true });
    table.timestamp('stopped_at', { useTz: true });
    table.string('outcome', 16); // met | breached | cancelled, once stopped
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['ticket_id', 'kind']);
    table.index(['stopped_at', 'kind']);
  });
  // One running clock of a kind per ticket; the sweep reads the few clocks that are due.
  await knex.raw('create unique index sla_clocks_running_uq on sla_clocks (ticket_id, kind) where stopped_at is null');
  await knex.raw(
    'create index sla_clocks_due_idx on sla_clocks (due_at) where stopped_at is null and breached_at is null',
  );
  await knex.raw(
    'create index sla_clocks_warn_idx on sla_clocks (warn_at) where stopped_at is null and warned_at is null',
  );
  // Breaches counted for reports and Prometheus: few rows among millions of clocks.
  await knex.raw(
    'create index sla_clocks_breached_idx on sla_clocks (breached_at, kind) where breached_at is not null',
  );

  // The ticket's nearest deadline and warning among its running clocks: lists flag and filter on
  // them without reading the clocks, and "breached" is simply sla_due_at <= now.
  await knex.schema.alterTable('tickets', (table) => {
    table.timestamp('sla_due_at', { useTz: true });
    table.timestamp('sla_warn_at', { useTz: true });
    table.integer('sla_policy_id'); // informative; the clocks keep their own policy
    table.index(['sla_due_at'], 'tickets_sla_due_idx');
    table.index(['team_id', 'sla_due_at'], 'tickets_team_sla_due_idx');
  });

  const now = new Date();
  await knex('sla_policies').insert(
    POLICIES.map((policy, index) => ({
      name: policy.name,
      position: (index + 1) * 10,
      active: true,
      categories: policy.categories ? JSON.stringify(policy.categories) : null,
      priorities: null,
      channels: policy.channels ? JSON.stringify(policy.channels) : null,
      targets: JSON.stringify(policy.targets),
      resolution_extension_days: policy.resolution_extension_days ?? null,
      warning_ratio: 0.8,
      escalate_notify: true,
      escalate_raise_priority: false,
      escalation_team_id: null,
      created_at: now,
      updated_at: now,
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex([], 'tickets_sla_due_idx');
    table.dropIndex([], 'tickets_team_sla_due_idx');
    table.dropColumn('sla_due_at');
    table.dropColumn('sla_warn_at');
    table.dropColumn('sla_policy_id');
  });
  await knex.schema.dropTable('sla_clocks');
  await knex.schema.dropTable('sla_policies');
}
