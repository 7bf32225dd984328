import type { Knex } from 'knex';

// Working-time calendars: a time zone, weekly hours, holidays and dated exceptions, as data that
// administrators edit. Seeds the 'default' calendar (WITA, government hours, the 2026 holidays),
// which every team without a calendar of its own uses. The data is copied here, not imported, so
// that this migration stays what it was when it ran (a test keeps it equal to src/calendar's copy).

// 37.5 h a week from 07:30: a 60-minute break Monday to Thursday, 90 minutes on Friday.
const GOVERNMENT_HOURS = {
  mon: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  tue: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  wed: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  thu: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  fri: [
    ['07:30', '11:30'],
    ['13:00', '16:30'],
  ],
  sat: [],
  sun: [],
};

// SKB 1497/2025, 2/2025, 5/2025: 17 national holidays and 8 cuti bersama (test/fixtures/data/holidays-id-2026.json).
const HOLIDAYS_2026: [date: string, name: string, kind: 'national' | 'cuti_bersama'][] = [
  ['2026-01-01', 'Tahun Baru 2026 Masehi', 'national'],
  ['2026-01-16', 'Isra Mikraj Nabi Muhammad SAW', 'national'],
  ['2026-02-16', 'Cuti bersama Tahun Baru Imlek', 'cuti_bersama'],
  ['2026-02-17', 'Tahun Baru Imlek 2577 Kongzili', 'national'],
  ['2026-03-18', 'Cuti bersama Hari Suci Nyepi', 'cuti_bersama'],
  ['2026-03-19', 'Hari Suci Nyepi (Tahun Baru Saka 1948)', 'national'],
  ['2026-03-20', 'Cuti bersama Idul Fitri', 'cuti_bersama'],
  ['2026-03-21', 'Idul Fitri 1447 H', 'national'],
  ['2026-03-22', 'Idul Fitri 1447 H', 'national'],
  ['2026-03-23', 'Cuti bersama Idul Fitri', 'cuti_bersama'],
  ['2026-03-24', 'Cuti bersama Idul Fitri', 'cuti_bersama'],
  ['2026-04-03', 'Wafat Yesus Kristus', 'national'],
  ['2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)', 'national'],
  ['2026-05-01', 'Hari Buruh Internasional', 'national'],
  ['2026-05-14', 'Kenaikan Yesus Kristus', 'national'],
  ['2026-05-15', 'Cuti bersama Kenaikan Yesus Kristus', 'cuti_bersama'],
  ['2026-05-27', 'Idul Adha 1447 H', 'national'],
  ['2026-05-28', 'Cuti bersama Idul Adha', 'cuti_bersama'],
  ['2026-05-31', 'Hari Raya Waisak 2570 BE', 'national'],
  ['2026-06-01', 'Hari Lahir Pancasila', 'national'],
  ['2026-06-16', '1 Muharam Tahun Baru Islam 1448 H', 'national'],
  ['2026-08-17', 'Proklamasi Kemerdekaan', 'national'],
  ['2026-08-25', 'Maulid Nabi Muhammad SAW', 'national'],
  ['2026-12-24', 'Cuti bersama Natal', 'cuti_bersama'],
  ['2026-12-25', 'Kelahiran Yesus Kristus', 'national'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendars', (table) => {
    table.increments('id');
    table.string('slug', 64).notNullable().unique();
    table.string('name', 200).notNullable();
    table.string('time_zone', 64).notNullable(); // IANA: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
    table.json('weekly_hours').notNullable(); // {"mon": [["07:30","12:00"], ...], ..., "sun": []}
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  // Dates are local 'YYYY-MM-DD' strings: a holiday is a day in the calendar's zone, not an instant.
  await knex.schema.createTable('calendar_holidays', (table) => {
    table.integer('calendar_id').notNullable().references('id').inTable('calendars').onDelete('CASCADE');
    table.string('date', 10).notNullable();
    table.string('name', 200).notNullable();
    table.string('kind', 16).notNullable(); // national | cuti_bersama | regional
    table.primary(['calendar_id', 'date']);
  });
  await knex.schema.createTable('calendar_exceptions', (table) => {
    table.integer('calendar_id').notNullable().references('id').inTable('calendars').onDelete('CASCADE');
    table.string('date', 10).notNullable();
    table.json('intervals').notNullable(); // [["08:00","15:00"]] for shorter hours, [] for closed
    table.string('note', 200);
    table.primary(['calendar_id', 'date']);
  });
  // No calendar: the team works on the default one. Deleting a calendar sends its teams back there.
  if (isSqlite(knex)) {
    // knex would rebuild `teams` to add a foreign key, and dropping the old table inside the
    // migration's transaction (where PRAGMA foreign_keys cannot be turned off) cascades to
    // agent_teams. SQLite adds (and drops) a nullable column with a REFERENCES clause in place.
    await knex.raw(
      'alter table `teams` add column `calendar_id` integer references `calendars` (`id`) on delete set null',
    );
  } else {
    await knex.schema.alterTable('teams', (table) => {
      table.integer('calendar_id').references('id').inTable('calendars').onDelete('SET NULL');
    });
  }

  const now = new Date();
  const [inserted] = await knex('calendars')
    .insert({
      slug: 'default',
      name: 'Jam kerja instansi pemerintah (WITA)',
      time_zone: 'Asia/Makassar',
      weekly_hours: JSON.stringify(GOVERNMENT_HOURS),
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const calendarId = Number(typeof inserted === 'object' ? inserted.id : inserted);
  await knex('calendar_holidays').insert(
    HOLIDAYS_2026.map(([date, name, kind]) => ({ calendar_id: calendarId, date, name, kind })),
  );
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('alter table `teams` drop column `calendar_id`'); // in place, as above
  } else {
    await knex.schema.alterTable('teams', (table) => {
      table.dropForeign(['calendar_id']);
      table.dropColumn('calendar_id');
    });
  }
  await knex.schema.dropTable('calendar_exceptions');
  await knex.schema.dropTable('calendar_holidays');
  await knex.schema.dropTable('calendars');
}

function isSqlite(knex: Knex): boolean {
  return knex.client.config.client !== 'pg';
}
