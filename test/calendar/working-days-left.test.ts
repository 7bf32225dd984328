import { expect } from 'chai';
import { defaultCalendar, workingDaysLeft } from '../../src/calendar/working-time.js';

// The default calendar (WITA, government hours, 2026 holidays), as in working-time-examples.test.ts.
const calendar = defaultCalendar();
const wita = (local: string) => new Date(`${local}+08:00`);

describe('workingDaysLeft (the tracking page\'s "N working days left")', () => {
  it('counts today while the office is still to close, then each working day up to the deadline', () => {
    const due = wita('2026-01-14T16:00'); // Wednesday's closing
    expect(workingDaysLeft(calendar, wita('2026-01-09T15:00'), due)).to.equal(4); // Fri, Mon, Tue, Wed
    expect(workingDaysLeft(calendar, wita('2026-01-09T17:00'), due)).to.equal(3); // Friday is over
    expect(workingDaysLeft(calendar, wita('2026-01-10T10:00'), due)).to.equal(3); // a Saturday
    expect(workingDaysLeft(calendar, wita('2026-01-14T15:00'), due)).to.equal(1); // the last day
  });

  it('skips holidays and says 0 once the deadline has passed', () => {
    // Friday 14 August to Tuesday 18 August's closing: Monday 17 is Proklamasi.
    expect(workingDaysLeft(calendar, wita('2026-08-14T09:00'), wita('2026-08-18T16:00'))).to.equal(2);
    expect(workingDaysLeft(calendar, wita('2026-01-14T16:00'), wita('2026-01-14T16:00'))).to.equal(0);
    expect(workingDaysLeft(calendar, wita('2026-01-15T09:00'), wita('2026-01-14T16:00'))).to.equal(0);
  });
});
