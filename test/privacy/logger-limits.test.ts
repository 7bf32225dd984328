import { expect } from 'chai';
import { createLogger, MAX_LOGGED_ITEMS, MAX_LOGGED_STRING } from '../../src/logger.js';

/** The logger's bounds: no line grows with its input, and no line is dropped for its shape. */
describe('src/logger limits', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger('info', { write: (line: string) => void lines.push(line) }) };
  };

  it('keeps a line whose `error` or `err` is not an Error, masked', () => {
    const { lines, logger } = capture();
    logger.warn({ error: 'relay said no to warga@example.com' }, 'a string as error');
    logger.warn({ err: { code: 42, detail: 'x'.repeat(MAX_LOGGED_STRING * 3) } }, 'an object as err');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.not.include('warga@example.com');
    expect(lines[1]!.length).to.be.below(MAX_LOGGED_STRING + 500);
  });

  it('cuts long arrays and an error with a 600 KB message to a few KB', () => {
    const { lines, logger } = capture();
    logger.error({ ids: Array.from({ length: 50_000 }, (_, index) => index) }, 'many ids');
    logger.error({ err: new Error(`insert into attachments ${'(?, ?, ?), '.repeat(60_000)}`) }, 'huge sql');
    expect(lines[0]).to.include(`${50_000 - MAX_LOGGED_ITEMS} more items`);
    for (const line of lines) expect(line.length).to.be.below(3 * MAX_LOGGED_STRING + 1000);
  });
});
