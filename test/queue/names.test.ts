import { expect } from 'chai';
import fc from 'fast-check';
import {
  QUEUE_INBOUND,
  QUEUE_OUTBOUND,
  QUEUE_ROUTING,
  QUEUE_SLA,
  inboundJobId,
  outboundJobId,
  slaJobId,
} from '../../src/queue/names.js';

// The acceptance side (a new database on a Redis holding the old one's jobs) is
// test/acceptance/queue-job-ids.test.ts; these are the naming rules themselves.

/** As migration 0018 draws it: 8 random bytes in hex. */
const installationArb = fc
  .uint8Array({ minLength: 8, maxLength: 8 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));
const rowIdArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const stageArb = fc.constantFrom('warning' as const, 'breach' as const);
const instantArb = fc
  .integer({ min: Date.parse('2026-01-01'), max: Date.parse('2030-01-01') })
  .map((ms) => new Date(ms));

/** BullMQ refuses a custom job id that reads as an integer, or holds ':' (its key separator). */
const acceptedByBullmq = (jobId: string) => `${Number.parseInt(jobId, 10)}` !== jobId && !jobId.includes(':');

describe('Queue names and job ids (src/queue/names.ts)', () => {
  it("names four distinct queues, none with ':' (BullMQ's key separator, after QUEUE_PREFIX)", () => {
    const names = [QUEUE_INBOUND, QUEUE_OUTBOUND, QUEUE_ROUTING, QUEUE_SLA];
    expect(new Set(names).size).to.equal(4);
    for (const name of names) expect(name, name).to.match(/^[a-z]+$/);
  });

  it('gives a row the same job id every time, so that enqueueing it twice while its job exists is a no-op', () => {
    expect(inboundJobId('a1b2c3d4e5f60718', 42)).to.equal('inbox-a1b2c3d4e5f60718-42');
    expect(outboundJobId('a1b2c3d4e5f60718', 42)).to.equal('outbox-a1b2c3d4e5f60718-42');
    expect(slaJobId('a1b2c3d4e5f60718', 7, 'breach', new Date('2026-12-01T08:00:00Z'))).to.equal(
      'sla-a1b2c3d4e5f60718-7-breach-1796112000000',
    );
  });

  it('law: ids of different installations, rows or kinds never meet, and BullMQ accepts every one', () => {
    fc.assert(
      fc.property(
        installationArb,
        installationArb,
        fc.boolean(),
        rowIdArb,
        rowIdArb,
        fc.boolean(),
        (first, drawn, same, row, drawnRow, sameRow) => {
          // One database's rows against each other, and two databases' rows, of the same number too.
          const second = same ? first : drawn;
          const other = sameRow ? row : drawnRow;
          const ids = [inboundJobId(first, row), outboundJobId(first, row)];
          for (const id of ids) expect(acceptedByBullmq(id), id).to.equal(true);
          // An inbox row and an outbox row of the same number are two jobs (on two queues, and apart in logs).
          expect(ids[0]).to.not.equal(ids[1]);
          // Row 1 of a new database is not row 1 of the old one.
          expect(inboundJobId(first, row) === inboundJobId(second, other)).to.equal(first === second && row === other);
          expect(outboundJobId(first, row) === outboundJobId(second, other)).to.equal(
            first === second && row === other,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('law: an SLA job is one per clock, stage and instant: a clock moved to another instant gets a new id', () => {
    const slaArb = fc.tuple(installationArb, rowIdArb, stageArb, instantArb);
    fc.assert(
      fc.property(
        slaArb,
        slaArb,
        ([installation, clock, stage, at], [otherInstallation, otherClock, otherStage, otherAt]) => {
          const id = slaJobId(installation, clock, stage, at);
          expect(acceptedByBullmq(id), id).to.equal(true);
          const same =
            installation === otherInstallation && clock === otherClock && stage === otherStage && +at === +otherAt;
          expect(id === slaJobId(otherInstallation, otherClock, otherStage, otherAt)).to.equal(same);
          expect(slaJobId(installation, clock, stage, new Date(+at + 1))).to.not.equal(id);
        },
      ),
      { numRuns: 500 },
    );
  });
});
