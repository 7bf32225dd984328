import { expect } from 'chai';
import {
  addWorkingDays,
  addWorkingMinutes,
  defaultCalendar,
  isOpen,
  nextOpening,
  startOfNextWorkingDay,
  workingMinutesBetween,
} from '../../src/calendar/working-time.js';

// Worked by hand on the default calendar: WITA (UTC+8), Mon–Thu 07:30–12:00 + 13:00–16:00,
// Fri 07:30–11:30 + 13:00–16:30 (7.5 h every day), the 2026 national holidays and cuti bersama.
// January 2026: Mon 5, Wed 7, Thu 8, Fri 9, Mon 12, Wed 14. August: Fri 14, Mon 17 (Proklamasi).
const calendar = defaultCalendar();
const wita = (local: string) => new Date(`${local}+08:00`);
const iso = (date: Date) => date.toISOString();

describe('working time: worked examples (WITA, government hours)', () => {
  it('opens at 07:30 and closes at 16:00, the closing instant itself closed', () => {
    expect(isOpen(calendar, wita('2026-01-07T07:29:59.999'))).to.equal(false);
    expect(isOpen(calendar, wita('2026-01-07T07:30'))).to.equal(true);
    expect(isOpen(calendar, wita('2026-01-07T15:59:59.999'))).to.equal(true);
    expect(isOpen(calendar, wita('2026-01-07T16:00'))).to.equal(false);
  });

  it('skips the weekend: Friday 16:00 + 60 min = Friday 16:00–16:30, then Monday 07:30–08:00', () => {
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-09T16:00'), 60))).to.equal(iso(wita('2026-01-12T08:00')));
    expect(isOpen(calendar, wita('2026-01-10T10:00'))).to.equal(false);
    expect(iso(nextOpening(calendar, wita('2026-01-10T10:00')))).to.equal(iso(wita('2026-01-12T07:30')));
    expect(workingMinutesBetween(calendar, wita('2026-01-09T16:00'), wita('2026-01-12T08:00'))).to.equal(60);
  });

  it('skips a holiday: Proklamasi, Monday 17 August 2026', () => {
    expect(isOpen(calendar, wita('2026-08-17T10:00'))).to.equal(false);
    expect(iso(addWorkingMinutes(calendar, wita('2026-08-14T16:00'), 60))).to.equal(iso(wita('2026-08-18T08:00')));
    expect(iso(nextOpening(calendar, wita('2026-08-15T09:00')))).to.equal(iso(wita('2026-08-18T07:30')));
  });

  it('skips the cuti bersama and holidays around Idul Fitri 2026 (18–24 March, Nyepi included)', () => {
    // Tue 17 Mar 15:00–16:00 = 60; closed Wed 18 to Tue 24; Wed 25 Mar 07:30 + 60 = 08:30.
    expect(iso(addWorkingMinutes(calendar, wita('2026-03-17T15:00'), 120))).to.equal(iso(wita('2026-03-25T08:30')));
    for (const day of ['18', '19', '20', '23', '24'])
      expect(isOpen(calendar, wita(`2026-03-${day}T10:00`))).to.equal(false);
    expect(iso(nextOpening(calendar, wita('2026-03-17T16:00')))).to.equal(iso(wita('2026-03-25T07:30')));
  });

  it("counts Friday's 90-minute break: 11:00 + 60 min is 13:30 on Friday, 12:00 / 13:30 on Thursday", () => {
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-09T11:00'), 60))).to.equal(iso(wita('2026-01-09T13:30')));
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-08T11:00'), 60))).to.equal(iso(wita('2026-01-08T12:00')));
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-08T11:00'), 90))).to.equal(iso(wita('2026-01-08T13:30')));
    expect(isOpen(calendar, wita('2026-01-09T11:45'))).to.equal(false);
    expect(isOpen(calendar, wita('2026-01-08T11:45'))).to.equal(true);
    expect(workingMinutesBetween(calendar, wita('2026-01-09T07:30'), wita('2026-01-09T16:30'))).to.equal(450);
  });

  it('a request arriving in the lunch break starts at 13:00', () => {
    const arrival = wita('2026-01-07T12:20');
    expect(isOpen(calendar, arrival)).to.equal(false);
    expect(iso(nextOpening(calendar, arrival))).to.equal(iso(wita('2026-01-07T13:00')));
    expect(iso(addWorkingMinutes(calendar, arrival, 30))).to.equal(iso(wita('2026-01-07T13:30')));
    expect(workingMinutesBetween(calendar, arrival, wita('2026-01-07T13:30'))).to.equal(30);
  });

  it('a request arriving after closing starts the next morning; its day does not count', () => {
    const arrival = wita('2026-01-07T16:45');
    expect(iso(nextOpening(calendar, arrival))).to.equal(iso(wita('2026-01-08T07:30')));
    expect(iso(addWorkingMinutes(calendar, arrival, 15))).to.equal(iso(wita('2026-01-08T07:45')));
    expect(iso(addWorkingDays(calendar, arrival, 1))).to.equal(iso(wita('2026-01-08T16:00')));
  });

  it('a request arriving before opening gets that whole day', () => {
    const arrival = wita('2026-01-07T06:00');
    expect(iso(nextOpening(calendar, arrival))).to.equal(iso(wita('2026-01-07T07:30')));
    expect(iso(addWorkingDays(calendar, arrival, 1))).to.equal(iso(wita('2026-01-07T16:00')));
    expect(iso(startOfNextWorkingDay(calendar, arrival))).to.equal(iso(wita('2026-01-07T07:30')));
  });

  it('a deadline falling on a closing is that closing, not the next opening', () => {
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-07T15:00'), 60))).to.equal(iso(wita('2026-01-07T16:00')));
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-07T07:30'), 450))).to.equal(iso(wita('2026-01-07T16:00')));
  });

  it('3 working days from a complaint received Friday 15:00 end Wednesday 16:00 (SP4N-LAPOR!)', () => {
    expect(iso(addWorkingDays(calendar, wita('2026-01-09T15:00'), 3))).to.equal(iso(wita('2026-01-14T16:00')));
    // Received at the opening the day counts; a millisecond later it does not.
    expect(iso(addWorkingDays(calendar, wita('2026-01-09T07:30'), 1))).to.equal(iso(wita('2026-01-09T16:30')));
    expect(iso(addWorkingDays(calendar, wita('2026-01-09T07:30:00.001'), 1))).to.equal(iso(wita('2026-01-12T16:00')));
    // Monday 17 August is Proklamasi: Tuesday, Wednesday, Thursday.
    expect(iso(addWorkingDays(calendar, wita('2026-08-14T15:00'), 3))).to.equal(iso(wita('2026-08-20T16:00')));
  });

  it('the next working day for a call-back is the next whole day, after weekends and holidays', () => {
    expect(iso(startOfNextWorkingDay(calendar, wita('2026-01-07T10:00')))).to.equal(iso(wita('2026-01-08T07:30')));
    expect(iso(startOfNextWorkingDay(calendar, wita('2026-08-14T10:00')))).to.equal(iso(wita('2026-08-18T07:30')));
  });

  it('10 working days across Idul Fitri 2026 and Good Friday, in days and in minutes', () => {
    // From Mon 16 Mar 10:00, whole days: Tue 17; Wed 25, Thu 26, Fri 27; Mon 30, Tue 31, Wed 1 Apr,
    // Thu 2 Apr; (Fri 3 Apr Wafat Yesus Kristus) Mon 6 Apr, Tue 7 Apr = day 10.
    const received = wita('2026-03-16T10:00');
    expect(iso(addWorkingDays(calendar, received, 10))).to.equal(iso(wita('2026-04-07T16:00')));
    // 10 × 450 min: 300 left on Monday 16, 9 × 450 on the next nine days, 150 on Tue 7 Apr → 10:00.
    const deadline = addWorkingMinutes(calendar, received, 4500);
    expect(iso(deadline)).to.equal(iso(wita('2026-04-07T10:00')));
    expect(workingMinutesBetween(calendar, received, deadline)).to.equal(4500);
  });

  it('measures backwards as negative and closed time as zero', () => {
    expect(workingMinutesBetween(calendar, wita('2026-01-08T08:00'), wita('2026-01-07T15:00'))).to.equal(-90);
    expect(workingMinutesBetween(calendar, wita('2026-01-10T08:00'), wita('2026-01-11T20:00'))).to.equal(0);
    expect(workingMinutesBetween(calendar, wita('2026-01-07T09:00'), wita('2026-01-07T09:00'))).to.equal(0);
    expect(workingMinutesBetween(calendar, wita('2026-01-07T09:00'), wita('2026-01-07T09:00:30'))).to.equal(0.5);
  });

  it('handles 100,000 working minutes quickly, by jumping whole intervals', () => {
    const started = performance.now();
    const received = wita('2026-01-05T09:00');
    const deadline = addWorkingMinutes(calendar, received, 100_000);
    expect(workingMinutesBetween(calendar, received, deadline)).to.equal(100_000);
    // 100,000 / 2,250 a week ≈ 44.4 weeks, plus the 25 holidays: mid-December 2026.
    expect(deadline.getTime()).to.be.within(wita('2026-11-01T00:00').getTime(), wita('2027-01-31T00:00').getTime());
    expect(performance.now() - started).to.be.below(500);
  });

  it('rejects bad arguments', () => {
    expect(() => addWorkingMinutes(calendar, wita('2026-01-07T09:00'), -1)).to.throw(RangeError);
    expect(() => addWorkingMinutes(calendar, wita('2026-01-07T09:00'), Number.NaN)).to.throw(RangeError);
    expect(() => addWorkingDays(calendar, wita('2026-01-07T09:00'), 1.5)).to.throw(RangeError);
    expect(() => isOpen(calendar, new Date('not a date'))).to.throw(RangeError);
    expect(iso(addWorkingMinutes(calendar, wita('2026-01-10T09:00'), 0))).to.equal(iso(wita('2026-01-10T09:00')));
    expect(iso(addWorkingDays(calendar, wita('2026-01-10T09:00'), 0))).to.equal(iso(wita('2026-01-10T09:00')));
  });
});
