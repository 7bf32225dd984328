import { expect } from 'chai';
import {
  addDays,
  isValidDate,
  isValidTimeZone,
  localDate,
  localTimesToInstants,
  offsetAt,
  weekdayOf,
} from '../../src/calendar/local-time.js';

const HOUR = 3_600_000;
const at = (text: string) => Date.parse(text);
const iso = (instant: number) => new Date(instant).toISOString();

describe('local time', () => {
  it('knows the Indonesian offsets and one that is not whole hours', () => {
    const instant = at('2026-01-07T00:00:00Z');
    expect(offsetAt('Asia/Jakarta', instant)).to.equal(7 * HOUR); // WIB
    expect(offsetAt('Asia/Makassar', instant)).to.equal(8 * HOUR); // WITA
    expect(offsetAt('Asia/Jayapura', instant)).to.equal(9 * HOUR); // WIT
    expect(offsetAt('Asia/Kathmandu', instant)).to.equal(5.75 * HOUR);
    expect(offsetAt('Europe/Berlin', instant)).to.equal(HOUR);
    expect(offsetAt('Europe/Berlin', at('2026-07-01T00:00:00Z'))).to.equal(2 * HOUR);
  });

  it('gives the local date of an instant, which differs between zones near midnight', () => {
    const instant = at('2026-01-08T16:30:00Z');
    expect(localDate('Asia/Jakarta', instant)).to.equal('2026-01-08');
    expect(localDate('Asia/Makassar', instant)).to.equal('2026-01-09');
    expect(localDate('Asia/Jayapura', instant)).to.equal('2026-01-09');
    expect(localDate('Asia/Makassar', at('2026-01-08T15:59:59.999Z'))).to.equal('2026-01-08');
  });

  it('turns wall times into instants, 24:00 being the next midnight', () => {
    expect(localTimesToInstants('Asia/Makassar', '2026-01-07', [450, 960, 1440]).map(iso)).to.deep.equal([
      '2026-01-06T23:30:00.000Z',
      '2026-01-07T08:00:00.000Z',
      '2026-01-07T16:00:00.000Z',
    ]);
  });

  it('maps skipped wall times to the end of the gap and repeated ones to their first occurrence', () => {
    // Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00Z.
    expect(localTimesToInstants('Europe/Berlin', '2026-03-29', [60, 150, 180, 240]).map(iso)).to.deep.equal([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: the transition
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T02:00:00.000Z', // 04:00 CEST
    ]);
    // Berlin, 25 October 2026: 03:00 CEST goes back to 02:00 CET at 01:00Z; 02:30 happens twice.
    expect(localTimesToInstants('Europe/Berlin', '2026-10-25', [150, 180]).map(iso)).to.deep.equal([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first time
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
    // Santiago changes at midnight: 5 April 2026 00:00 (−03) goes back to 4 April 23:00 (−04).
    expect(localTimesToInstants('America/Santiago', '2026-04-05', [0]).map(iso)).to.deep.equal([
      '2026-04-05T04:00:00.000Z',
    ]);
  });

  it('does date arithmetic on YYYY-MM-DD strings', () => {
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2028-03-01', -1)).to.equal('2028-02-29');
    expect(weekdayOf('2026-08-17')).to.equal(1); // Monday
    expect(isValidDate('2028-02-29')).to.equal(true);
    expect(isValidDate('2026-02-29')).to.equal(false);
    expect(isValidDate('2026-8-17')).to.equal(false);
    expect(isValidTimeZone('Asia/Makassar')).to.equal(true);
    expect(isValidTimeZone('WITA')).to.equal(false);
  });
});
