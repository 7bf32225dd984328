import { expect } from 'chai';
import { createLogger, terminalDestination } from '../src/logger.js';

describe('logger on a terminal (npm run dev)', () => {
  const terminal = (isTTY: boolean) => {
    const written: string[] = [];
    return { isTTY, written, write: (text: string) => written.push(text) };
  };

  it('writes readable lines, synchronously, personal data masked', () => {
    const stdout = terminal(true);
    const logger = createLogger('info', terminalDestination(stdout));
    logger.info({ phone: '+6281234567890' }, 'reply sent to pak.budi@example.go.id');
    expect(stdout.written).to.have.length(1); // already written: nothing waits for a later tick
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's colour codes
    const line = stdout.written[0]!.replace(/\u001b\[[0-9;]*m/g, '');
    expect(line).to.match(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: reply sent to /);
    expect(line).to.not.match(/^\{/);
    expect(line).to.not.contain('pak.budi');
    expect(line).to.not.contain('81234567890');
  });

  it('leaves JSON lines to anything that is not a terminal', () => {
    expect(terminalDestination(terminal(false))).to.equal(undefined);
  });
});
