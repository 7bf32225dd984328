/**
 * Indonesia's 2026 national holidays (17) and cuti bersama (8), from the joint decree of the Minister
 * of Religious Affairs, the Minister of Manpower and the Minister of PANRB (SKB No. 1497/2025, 2/2025,
 * 5/2025), as in the published list test/fixtures/data/holidays-id-2026.json. Government offices close on both kinds.
 *
 * A record of a decree: never edited. Later years arrive as data through importHolidays; the
 * calendars migration seeds its own frozen copy of this list (a test keeps the two equal).
 */

export const HOLIDAY_KINDS = ['national', 'cuti_bersama', 'regional'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export interface HolidayEntry {
  date: string;
  name: string;
  kind: HolidayKind;
}

export const HOLIDAYS_ID_2026: readonly HolidayEntry[] = [
  { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi', kind: 'national' },
  { date: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW', kind: 'national' },
  { date: '2026-02-16', name: 'Cuti bersama Tahun Baru Imlek', kind: 'cuti_bersama' },
  { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili', kind: 'national' },
  { date: '2026-03-18', name: 'Cuti bersama Hari Suci Nyepi', kind: 'cuti_bersama' },
  { date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)', kind: 'national' },
  { date: '2026-03-20', name: 'Cuti bersama Idul Fitri', kind: 'cuti_bersama' },
  { date: '2026-03-21', name: 'Idul Fitri 1447 H', kind: 'national' },
  { date: '2026-03-22', name: 'Idul Fitri 1447 H', kind: 'national' },
  { date: '2026-03-23', name: 'Cuti bersama Idul Fitri', kind: 'cuti_bersama' },
  { date: '2026-03-24', name: 'Cuti bersama Idul Fitri', kind: 'cuti_bersama' },
  { date: '2026-04-03', name: 'Wafat Yesus Kristus', kind: 'national' },
  { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)', kind: 'national' },
  { date: '2026-05-01', name: 'Hari Buruh Internasional', kind: 'national' },
  { date: '2026-05-14', name: 'Kenaikan Yesus Kristus', kind: 'national' },
  { date: '2026-05-15', name: 'Cuti bersama Kenaikan Yesus Kristus', kind: 'cuti_bersama' },
  { date: '2026-05-27', name: 'Idul Adha 1447 H', kind: 'national' },
  { date: '2026-05-28', name: 'Cuti bersama Idul Adha', kind: 'cuti_bersama' },
  { date: '2026-05-31', name: 'Hari Raya Waisak 2570 BE', kind: 'national' },
  { date: '2026-06-01', name: 'Hari Lahir Pancasila', kind: 'national' },
  { date: '2026-06-16', name: '1 Muharam Tahun Baru Islam 1448 H', kind: 'national' },
  { date: '2026-08-17', name: 'Proklamasi Kemerdekaan', kind: 'national' },
  { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW', kind: 'national' },
  { date: '2026-12-24', name: 'Cuti bersama Natal', kind: 'cuti_bersama' },
  { date: '2026-12-25', name: 'Kelahiran Yesus Kristus', kind: 'national' },
];
