import { expect } from 'chai';
import fc from 'fast-check';
import { Serial } from '../../src/queue/serial.js';

/** Gives way to other promises `turns` times: work that takes a while, without timers. */
const yieldTurns = async (turns: number) => {
  for (let turn = 0; turn < turns; turn += 1) await Promise.resolve();
};

describe("Serial: the routing worker's passes of one process never overlap (src/queue/serial.ts)", () => {
  it('law: pieces run one at a time in the order given, each caller gets its own result or failure, and a failure stops nothing', async () => {
    const pieceArb = fc.record({ turns: fc.integer({ min: 0, max: 6 }), fails: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(pieceArb, { minLength: 1, maxLength: 12 }), async (pieces) => {
        const serial = new Serial();
        const started: number[] = [];
        let running = 0;
        let most = 0;
        const outcomes = pieces.map((piece, index) =>
          serial
            .run(async () => {
              started.push(index);
              running += 1;
              most = Math.max(most, running);
              await yieldTurns(piece.turns);
              running -= 1;
              if (piece.fails) throw new Error(`piece ${index}`);
              return index;
            })
            .then(
              (value) => ({ value }),
              (error: Error) => ({ error: error.message }),
            ),
        );
        const settled = await Promise.all(outcomes);
        expect(most, 'pieces running at once').to.equal(1);
        expect(started).to.deep.equal(pieces.map((_, index) => index));
        expect(settled).to.deep.equal(
          pieces.map((piece, index) => (piece.fails ? { error: `piece ${index}` } : { value: index })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('idle() settles once the work given so far has, and does not reject when it failed', async () => {
    const serial = new Serial();
    await serial.idle(); // nothing given: settles at once
    const done: string[] = [];
    void serial
      .run(async () => {
        await yieldTurns(5);
        done.push('first');
        throw new Error('pass failed');
      })
      .catch(() => undefined);
    void serial.run(async () => {
      await yieldTurns(3);
      done.push('second');
    });
    await serial.idle();
    expect(done).to.deep.equal(['first', 'second']);
    // The last piece given failing: idle() still settles, quietly (close() awaits it).
    void serial.run(() => Promise.reject(new Error('last pass failed'))).catch(() => undefined);
    await serial.idle();
  });
});
