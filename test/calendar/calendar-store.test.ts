import fs from 'node:fs';
import { expect } from 'chai';
import {
  CACHE_MS,
  forgetCalendars,
  importHolidays,
  loadCalendar,
  loadTeamCalendar,
} from '../../src/calendar/calendar-store.js';
import { HOLIDAYS_ID_2026, type HolidayEntry } from '../../src/calendar/holidays-id-2026.js';
import { GOVERNMENT_HOURS, addWorkingDays, isOpen } from '../../src/calendar/working-time.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { fromJson } from '../../src/db/rows.js';
import { NotFoundError, ValidationError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL (npm run test:postgres).
// The decree's list as published (SKB 1497/2025, 2/2025, 5/2025), shipped with the tests.
const DECREE_LIST = new URL('../fixtures/data/holidays-id-2026.json', import.meta.url);
const wita = (local: string) => new Date(`${local}+08:00`);

// Test data shaped like a decree, not the real 2027 list (which the administrator will load).
const YEAR_2027: HolidayEntry[] = [
  { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'national' },
  { date: '2027-05-01', name: 'Hari Buruh Internasional', kind: 'national' },
  { date: '2027-08-17', name: 'Proklamasi Kemerdekaan', kind: 'national' },
  { date: '2027-12-24', name: 'Cuti bersama Natal', kind: 'cuti_bersama' },
  { date: '2027-12-25', name: 'Kelahiran Yesus Kristus', kind: 'national' },
];

describe('calendar store', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let db: Knex;
  let defaultId: number;

  before(async () => {
    database = await createTestDatabase();
    const config = loadConfig(database.env);
    db = createDatabase({
      url: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      sqliteFile: config.sqliteFile,
      sqliteDriver: config.SQLITE_DRIVER,
    });
    await migrateToLatest(db);
    defaultId = Number((await db('calendars').where({ slug: 'default' }).first('id')).id);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  afterEach(() => forgetCalendars(db));

  it("never hands a transaction a read that waits for the transaction's own connection (SQLite has one)", async () => {
    forgetCalendars(db);
    let outside: Promise<unknown> | undefined;
    const inside = db.transaction(async (trx) => {
      await trx('calendars').first('id'); // the transaction holds its connection now
      outside = loadCalendar(db, defaultId); // a caller outside any transaction: waits for a connection on SQLite
      const timeout = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('deadlock: the transaction waited on the outside read')), 5000).unref(),
      );
      return Promise.race([loadCalendar(db, defaultId, trx), timeout]);
    });
    expect(((await inside) as { timeZone: string }).timeZone).to.equal('Asia/Makassar');
    expect(((await outside) as { timeZone: string }).timeZone).to.equal('Asia/Makassar');
  });

  it('seeds the default calendar: WITA, government hours and all 25 entries of 2026', async () => {
    const row = await db('calendars').where({ id: defaultId }).first();
    expect(row.time_zone).to.equal('Asia/Makassar');
    expect(fromJson(row.weekly_hours)).to.deep.equal(GOVERNMENT_HOURS);
    const holidays = await db('calendar_holidays')
      .where({ calendar_id: defaultId })
      .orderBy('date')
      .select('date', 'name', 'kind');
    expect(holidays).to.have.length(25);
    expect(holidays.filter((holiday) => holiday.kind === 'national')).to.have.length(17);
    expect(holidays.filter((holiday) => holiday.kind === 'cuti_bersama')).to.have.length(8);
    // The migration's frozen copy, src/calendar's copy and the published decree list are the same data.
    expect(holidays).to.deep.equal(HOLIDAYS_ID_2026.map((holiday) => ({ ...holiday })));
    // Always checked: a missing file fails here (readFileSync throws), it is never skipped.
    const decree = JSON.parse(fs.readFileSync(DECREE_LIST, 'utf8')) as Record<
      'national_holidays' | 'cuti_bersama',
      { date: string; name: string }[]
    >;
    const expected = [
      ...decree.national_holidays.map((holiday) => ({ ...holiday, kind: 'national' })),
      ...decree.cuti_bersama.map((holiday) => ({ ...holiday, kind: 'cuti_bersama' })),
    ].sort((a, b) => a.date.localeCompare(b.date));
    expect(expected).to.have.length(25);
    expect(holidays).to.deep.equal(expected);
  });

  it('gives a team without a calendar the default one', async () => {
    const team = await db('teams').where({ slug: 'front-desk' }).first('id', 'calendar_id');
    expect(team.calendar_id).to.equal(null);
    const calendar = await loadTeamCalendar(db, Number(team.id));
    expect(calendar.timeZone).to.equal('Asia/Makassar');
    expect(calendar.holidays.size).to.equal(25);
    expect(isOpen(calendar, wita('2026-08-17T10:00'))).to.equal(false);
    expect(addWorkingDays(calendar, wita('2026-08-14T15:00'), 3).toISOString()).to.equal(
      wita('2026-08-20T16:00').toISOString(),
    );
    expect(await loadCalendar(db)).to.equal(calendar); // the default, from the cache
  });

  it("loads a team's own calendar with its exceptions, and falls back when it is deleted", async () => {
    const now = new Date();
    const [inserted] = await db('calendars')
      .insert({
        slug: 'wib-desk',
        name: 'Loket WIB',
        time_zone: 'Asia/Jakarta',
        weekly_hours: JSON.stringify(GOVERNMENT_HOURS),
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    const calendarId = Number(typeof inserted === 'object' ? inserted.id : inserted);
    await db('calendar_exceptions').insert({
      calendar_id: calendarId,
      date: '2026-09-01',
      intervals: JSON.stringify([['08:00', '12:00']]),
      note: 'Hari jadi kabupaten',
    });
    const [team] = await db('teams')
      .insert({ slug: 'perizinan', name: 'Perizinan', calendar_id: calendarId, created_at: now })
      .returning('id');
    const teamId = Number(typeof team === 'object' ? team.id : team);

    const calendar = await loadTeamCalendar(db, teamId);
    expect(calendar.timeZone).to.equal('Asia/Jakarta');
    expect(calendar.holidays.size).to.equal(0);
    expect(isOpen(calendar, new Date('2026-09-01T07:45:00+07:00'))).to.equal(false);
    expect(isOpen(calendar, new Date('2026-09-01T08:15:00+07:00'))).to.equal(true);
    expect(isOpen(calendar, new Date('2026-09-01T13:15:00+07:00'))).to.equal(false);

    await db('calendars').where({ id: calendarId }).delete();
    forgetCalendars(db);
    expect((await db('teams').where({ id: teamId }).first('calendar_id')).calendar_id).to.equal(null);
    expect((await loadTeamCalendar(db, teamId)).timeZone).to.equal('Asia/Makassar');
  });

  it('imports a new year of holidays, idempotently, without touching other years', async () => {
    expect(await importHolidays(db, defaultId, 2027, YEAR_2027)).to.deep.equal({
      added: 5,
      updated: 0,
      removed: 0,
      unchanged: 0,
    });
    expect(await importHolidays(db, defaultId, 2027, YEAR_2027)).to.deep.equal({
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: 5,
    });
    const { count } = (await db('calendar_holidays')
      .where({ calendar_id: defaultId })
      .count({ count: '*' })
      .first()) as { count: number | string };
    expect(Number(count)).to.equal(30);
    const calendar = await loadCalendar(db);
    expect(calendar.holidays.has('2027-08-17')).to.equal(true);
    expect(calendar.holidays.has('2026-08-17')).to.equal(true);
  });

  it('applies a revised decree: moved cuti bersama removed, regional days kept', async () => {
    await importHolidays(db, defaultId, 2027, YEAR_2027);
    await db('calendar_holidays').insert({
      calendar_id: defaultId,
      date: '2027-03-10',
      name: 'Hari jadi provinsi',
      kind: 'regional',
    });
    // Cuti bersama moved from the 24th to the 27th, New Year renamed, the rest as before.
    const revised: HolidayEntry[] = [
      { date: '2027-01-01', name: 'Tahun Baru 2027 M', kind: 'national' },
      ...YEAR_2027.filter((holiday) => !['2027-01-01', '2027-12-24'].includes(holiday.date)),
      { date: '2027-12-27', name: 'Cuti bersama Natal', kind: 'cuti_bersama' },
    ];
    expect(await importHolidays(db, defaultId, 2027, revised)).to.deep.equal({
      added: 1,
      updated: 1,
      removed: 1,
      unchanged: 3,
    });
    const dates = (
      await db('calendar_holidays').where({ calendar_id: defaultId }).where('date', 'like', '2027-%').orderBy('date')
    ).map((row) => row.date);
    expect(dates).to.deep.equal(['2027-01-01', '2027-03-10', '2027-05-01', '2027-08-17', '2027-12-25', '2027-12-27']);
    // The edit shows at once in this process: importHolidays forgets the cached calendars.
    expect((await loadCalendar(db)).holidays.has('2027-12-24')).to.equal(false);
  });

  it("sees another process's edits once the cache has expired", async () => {
    const before = await loadCalendar(db);
    await db('calendar_exceptions').insert({
      calendar_id: defaultId,
      date: '2026-10-05',
      intervals: JSON.stringify([]),
      note: 'Libur daerah',
    });
    expect(await loadCalendar(db)).to.equal(before);
    const realNow = performance.now.bind(performance);
    performance.now = () => realNow() + CACHE_MS + 1;
    try {
      const after = await loadCalendar(db);
      expect(after.exceptions.get('2026-10-05')).to.deep.equal([]);
      expect(isOpen(after, wita('2026-10-05T09:00'))).to.equal(false);
    } finally {
      performance.now = realNow;
    }
  });

  it('refuses a bad holiday list with every problem, and an unknown calendar', async () => {
    const bad = [
      { date: '2028-01-01', name: 'Wrong year', kind: 'national' },
      { date: '2027-02-30', name: 'No such day', kind: 'national' },
      { date: '2027-06-01', name: '', kind: 'national' },
      { date: '2027-06-02', name: 'Unknown kind', kind: 'bank' },
    ] as unknown as HolidayEntry[];
    const error = await importHolidays(db, defaultId, 2027, bad).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).details).to.have.length(4);
    expect(await importHolidays(db, 999_999, 2027, YEAR_2027).catch((caught: unknown) => caught)).to.be.instanceOf(
      NotFoundError,
    );
    await loadCalendar(db, 999_999).then(
      () => expect.fail('an unknown calendar loaded'),
      (caught: unknown) => expect(caught).to.be.instanceOf(NotFoundError),
    );
  });
});
