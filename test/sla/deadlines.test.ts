import { expect } from 'chai';
import fc from 'fast-check';
import { addWorkingDays, defaultCalendar, workingMinutesBetween } from '../../src/calendar/working-time.js';
import { clockDeadlines, outcomeAt } from '../../src/sla/deadlines.js';

describe('SLA deadlines (src/sla/deadlines.ts)', () => {
  const calendar = defaultCalendar();
  const wita = (local: string) => new Date(`${local}+08:00`);
  // Instants across 2026, any time of day, weekends and holidays included.
  const instant = fc
    .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-11-30T00:00:00Z') })
    .map((ms) => new Date(ms));
  const minutesTarget = fc.integer({ min: 1, max: 5000 }).map((minutes) => ({ minutes }));
  const daysTarget = fc.integer({ min: 1, max: 30 }).map((days) => ({ days }));
  const paused = fc.integer({ min: 0, max: 20_000 });

  it('a minutes target is exactly that many working minutes after the start, plus the paused time', () => {
    fc.assert(
      fc.property(instant, minutesTarget, paused, (startedAt, target, pausedMinutes) => {
        const { dueAt } = clockDeadlines(calendar, { startedAt, target, extensionDays: 0, pausedMinutes }, 0.8);
        expect(workingMinutesBetween(calendar, startedAt, dueAt)).to.be.closeTo(target.minutes + pausedMinutes, 1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('a days target ends with the Nth whole working day, extended by the extension, then moved by the paused time', () => {
    fc.assert(
      fc.property(
        instant,
        daysTarget,
        fc.integer({ min: 0, max: 10 }),
        paused,
        (startedAt, target, extensionDays, pausedMinutes) => {
          const { dueAt } = clockDeadlines(calendar, { startedAt, target, extensionDays, pausedMinutes }, 0.8);
          const targetEnd = addWorkingDays(calendar, startedAt, target.days + extensionDays);
          expect(workingMinutesBetween(calendar, targetEnd, dueAt)).to.be.closeTo(pausedMinutes, 1e-6);
          if (pausedMinutes === 0) expect(dueAt.getTime()).to.equal(targetEnd.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("warns at the given share of the target's working time, never after the deadline, and later with a larger share", () => {
    fc.assert(
      fc.property(
        instant,
        fc.oneof(minutesTarget, daysTarget),
        paused,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (startedAt, target, pausedMinutes, ratio) => {
          const terms = { startedAt, target, extensionDays: 0, pausedMinutes };
          const { dueAt, warnAt } = clockDeadlines(calendar, terms, ratio);
          expect(warnAt.getTime()).to.be.at.most(dueAt.getTime());
          const total = workingMinutesBetween(
            calendar,
            startedAt,
            clockDeadlines(calendar, { ...terms, pausedMinutes: 0 }, ratio).dueAt,
          );
          expect(workingMinutesBetween(calendar, startedAt, warnAt)).to.be.closeTo(total * ratio + pausedMinutes, 1e-3);
          expect(clockDeadlines(calendar, terms, Math.min(0.99, ratio + 0.01)).warnAt.getTime()).to.be.at.least(
            warnAt.getTime(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts the December 2026 holidays: 10 working days from Monday 14 December end on 30 December', () => {
    const { dueAt } = clockDeadlines(
      calendar,
      { startedAt: wita('2026-12-14T09:00:00'), target: { days: 10 }, extensionDays: 0, pausedMinutes: 0 },
      0.8,
    );
    // 15, 16, 17, 18, 21, 22, 23 (24 cuti bersama, 25 Christmas), 28, 29, 30 → 30 Dec 16:00 WITA.
    expect(dueAt.toISOString()).to.equal('2026-12-30T08:00:00.000Z');
  });

  it('judges a stop against the deadline, and a recorded breach stays a breach', () => {
    const due = wita('2026-12-01T10:00:00');
    expect(outcomeAt(due, null, wita('2026-12-01T10:00:00'))).to.equal('met');
    expect(outcomeAt(due, null, wita('2026-12-01T10:00:01'))).to.equal('breached');
    expect(outcomeAt(due, wita('2026-12-01T10:00:00'), wita('2026-12-01T09:00:00'))).to.equal('breached');
    expect(outcomeAt(null, null, wita('2026-12-09T09:00:00'))).to.equal('met');
  });
});
