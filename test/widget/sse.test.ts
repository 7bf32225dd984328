import { expect } from 'chai';
import { type SseEvent, SseParser } from '../../web/widget/live/sse.js';

describe('widget event-stream parser', () => {
  it('parses events split anywhere, with CRLF, comments and multi-line data', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    const stream =
      ': keep-alive\r\n\r\nid: 7\r\nevent: message\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: typing\ndata: {}\n\n';
    for (const chunk of stream.match(/.{1,5}/gs) ?? []) parser.push(chunk);
    expect(events).to.deep.equal([
      { id: '7', event: 'message', data: '{"a":\n1}' },
      { id: undefined, event: 'typing', data: '{}' },
    ]);
    expect(parser.lastEventId).to.equal('7');
  });

  it('keeps an id given without data, and waits for the blank line that ends an event', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    parser.push('id: 12\n\ndata: half');
    expect(events).to.deep.equal([]);
    expect(parser.lastEventId).to.equal('12');
    parser.push('\n\n');
    expect(events).to.deep.equal([{ id: undefined, event: 'message', data: 'half' }]);
  });
});
