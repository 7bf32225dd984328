import { expect } from 'chai';
import fc from 'fast-check';
import {
  createCalendar,
  GOVERNMENT_HOURS,
  workingMinutesBetween,
  workingTimeMeter,
} from '../../src/calendar/working-time.js';

/** The meter answers exactly what workingMinutesBetween answers, for instants inside its range and out. */
describe('calendar/working-time: workingTimeMeter', () => {
  // Government hours in WITA with holidays (Christmas and its cuti bersama) and a short Friday.
  const calendar = createCalendar({
    timeZone: 'Asia/Makassar',
    weeklyHours: GOVERNMENT_HOURS,
    holidays: ['2026-12-24', '2026-12-25'],
    exceptions: [['2026-12-04', [['08:00', '11:00']]]],
  });
  const from = new Date('2026-11-01T00:00:00+08:00');
  const to = new Date('2027-01-01T00:00:00+08:00');
  const meter = workingTimeMeter(calendar, from, to);

  it('agrees with workingMinutesBetween on hand-picked pairs', () => {
    const at = (text: string) => new Date(`${text}+08:00`);
    const pairs: Array<[string, string, number]> = [
      ['2026-11-23T08:00:00', '2026-11-24T08:00:00', 450], // 240 + 180 + 30
      ['2026-11-23T11:30:00', '2026-11-23T13:30:00', 60], // across the break
      ['2026-11-22T10:00:00', '2026-11-23T07:45:00', 15], // from a Sunday
      ['2026-12-23T15:00:00', '2026-12-28T08:00:00', 90], // 60 on the 23rd; the 24th, 25th and the weekend closed; 30 on Monday
      ['2026-12-04T07:00:00', '2026-12-04T12:00:00', 180], // the short Friday
    ];
    for (const [start, end, minutes] of pairs) {
      expect(meter(at(start), at(end)), `${start} → ${end}`).to.equal(minutes);
      expect(workingMinutesBetween(calendar, at(start), at(end))).to.equal(minutes);
    }
  });

  it('agrees with workingMinutesBetween on random instants, reversed pairs and pairs outside its range', () => {
    const instant = fc
      .integer({ min: from.getTime() - 10 * 86_400_000, max: to.getTime() + 10 * 86_400_000 })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(instant, instant, (a, b) => Math.abs(meter(a, b) - workingMinutesBetween(calendar, a, b)) < 1e-9),
      { numRuns: 2000 },
    );
  });
});
