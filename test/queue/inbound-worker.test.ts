import { expect } from 'chai';
import fc from 'fast-check';
import { ticketsToRoute } from '../../src/queue/workers/inbound-worker.js';

describe('Inbound worker: which tickets of an ingest group routing is told of (ticketsToRoute)', () => {
  it('names a ticket that entered its queue, once, and no ticket a message only joined', () => {
    expect(
      ticketsToRoute([
        { ticketId: 1, enteredQueue: true },
        { ticketId: 2, enteredQueue: false }, // a message on a ticket already assigned or waiting
        { ticketId: 1, enteredQueue: true }, // two messages of one citizen in the group
        { ticketId: 3 },
        {}, // a row skipped (processed already) or echoed: no ticket
        { ticketId: 4, enteredQueue: true },
      ]),
    ).to.deep.equal([1, 4]);
    expect(ticketsToRoute([])).to.deep.equal([]);
  });

  it('law: exactly the tickets of rows that entered a queue, each once, in the order first seen', () => {
    const resultArb = fc.record(
      { ticketId: fc.integer({ min: 1, max: 8 }), enteredQueue: fc.boolean() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 30 }), (results) => {
        const routed = ticketsToRoute(results);
        expect(new Set(routed).size, 'each once').to.equal(routed.length);
        for (const result of results)
          if (result.enteredQueue && result.ticketId !== undefined) expect(routed).to.include(result.ticketId);
        for (const ticketId of routed)
          expect(results.some((result) => result.ticketId === ticketId && result.enteredQueue)).to.equal(true);
        // In the order first seen: routing places the oldest waiting first either way, but the logs read so.
        const firstSeen = (ticketId: number) =>
          results.findIndex((result) => result.ticketId === ticketId && result.enteredQueue);
        expect([...routed].sort((a, b) => firstSeen(a) - firstSeen(b))).to.deep.equal(routed);
      }),
      { numRuns: 300 },
    );
  });
});
