import { expect } from 'chai';
import { ChatApi } from '../../web/widget/api/client.js';
import type { ChatMessage, LiveEvent } from '../../web/widget/api/types.js';
import { LiveConnection, type LiveState } from '../../web/widget/live/connection.js';
import { type ChatContractFake, startChatContractFake } from '../support/chat-contract-fake.js';
import { waitFor } from '../support/wait-for.js';

/** The widget's live connection against a server that keeps the chat API's contract, with its faults. */
describe('widget live connection', () => {
  let fake: ChatContractFake;
  let connection: LiveConnection | undefined;
  let shown: ChatMessage[];
  let events: LiveEvent[];
  let states: LiveState[];
  let unauthorized: number;

  beforeEach(async () => {
    fake = await startChatContractFake();
    shown = [];
    events = [];
    states = [];
    unauthorized = 0;
  });
  afterEach(async () => {
    connection?.stop();
    await fake.close();
  });

  function connect(token = fake.token, options: Partial<ConstructorParameters<typeof LiveConnection>[0]> = {}) {
    const api = new ChatApi({ base: fake.base, token: () => token, onUnauthorized: () => unauthorized++ });
    connection = new LiveConnection({
      api,
      lastMessageId: () => shown.at(-1)?.id,
      onEvent: (event) => {
        events.push(event);
        if (event.kind !== 'messages') return;
        for (const message of event.messages) if (!shown.some((each) => each.id === message.id)) shown.push(message);
      },
      onState: (state) => states.push(state),
      retryMs: [50],
      pollWaitSeconds: 1,
      statusEveryMs: 100,
      ...options,
    });
    connection.start();
    return connection;
  }
  const texts = () => shown.map((message) => message.text);

  it('shows what was said before, then messages, typing and read marks live on the stream', async () => {
    fake.agentSays('Selamat pagi');
    connect();
    await waitFor('the earlier message', () => texts().includes('Selamat pagi'));
    await waitFor('the stream', () => fake.openStreams() === 1);
    fake.typing();
    fake.read(1);
    fake.agentSays('Ada yang bisa dibantu?');
    await waitFor('the live message', () => texts().includes('Ada yang bisa dibantu?'));
    expect(events.map((event) => event.kind)).to.include.members(['typing', 'read']);
    expect(events.find((event) => event.kind === 'read')).to.deep.equal({ kind: 'read', upTo: '1' });
    expect(events.find((event) => event.kind === 'status')).to.deep.equal({
      kind: 'status',
      open: true,
      nextOpening: null,
    });
    expect(states).to.include('live');
    expect(fake.streamRequests).to.deep.equal([undefined]);
  });

  it('after a dropped stream, reconnects with Last-Event-ID and fetches what was said meanwhile', async () => {
    connect();
    await waitFor('the stream', () => fake.openStreams() === 1);
    fake.agentSays('satu');
    await waitFor('the first message', () => texts().includes('satu'));
    fake.dropStreams();
    fake.agentSays('dua'); // said while no stream was open
    await waitFor('the missed message', () => texts().includes('dua'));
    await waitFor('the second stream', () => fake.streamRequests.length === 2);
    expect(fake.streamRequests[1]).to.equal('1'); // the id of the last event received
    expect(fake.pollRequests.at(-1)).to.equal('?after=1'); // the catch-up from the last message shown
    expect(texts()).to.deep.equal(['satu', 'dua']);
  });

  it('falls back to long polling when a proxy buffers the stream, and still shows messages live', async () => {
    fake.faults.stream = 'buffered';
    connect(fake.token, { firstByteMs: 200 });
    await waitFor('long polling', () => states.includes('polling'));
    fake.agentSays('lewat long poll');
    await waitFor('the message by long poll', () => texts().includes('lewat long poll'));
    expect(fake.pollRequests.some((query) => query.includes('wait=1'))).to.equal(true);
  });

  it('falls back to long polling when a proxy holds the whole stream, headers and all', async () => {
    fake.faults.stream = 'held';
    connect(fake.token, { firstByteMs: 200 });
    await waitFor('long polling', () => states.includes('polling'));
    expect(states).to.not.include('offline'); // a proxy's doing, not the network's
    fake.agentSays('lewat long poll juga');
    await waitFor('the message by long poll', () => texts().includes('lewat long poll juga'));
  });

  it('falls back to long polling when the stream is refused', async () => {
    fake.faults.stream = 'refused';
    connect();
    await waitFor('long polling', () => states.includes('polling'));
    fake.agentSays('tetap sampai');
    await waitFor('the message by long poll', () => texts().includes('tetap sampai'));
    // The hours, which the stream would have told, are asked for now and then.
    fake.open = false;
    await waitFor('the status', () => events.some((event) => event.kind === 'status' && !event.open));
  });

  it('tries the stream again after a while of long polling, and stays on it once it works', async () => {
    fake.faults.stream = 'refused';
    connect(fake.token, { pollingBeforeRetryMs: 300 });
    await waitFor('long polling', () => states.includes('polling'));
    fake.faults.stream = 'ok';
    await waitFor('the stream again', () => states.at(-1) === 'live' && fake.openStreams() === 1, 10_000);
    fake.agentSays('kembali ke stream');
    await waitFor('the live message', () => texts().includes('kembali ke stream'));
  });

  it('ends the session when the stream says the token expired, and stops', async () => {
    connect();
    await waitFor('the stream', () => fake.openStreams() === 1);
    fake.expire();
    await waitFor('the session ended', () => unauthorized > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.streamRequests).to.have.length(1);
    expect(unauthorized).to.equal(1);
  });

  it('ends the session on a refused token, and stops', async () => {
    connect('forged');
    await waitFor('the session ended', () => unauthorized > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.streamRequests).to.deep.equal([]); // stopped at the catch-up: no stream, no retry loop
    expect(unauthorized).to.equal(1);
  });
});
