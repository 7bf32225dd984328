import { expect } from 'chai';
import { ChatApi } from '../../web/widget/api/client.js';
import type { PendingMessage } from '../../web/widget/conversation.js';
import { Outbox } from '../../web/widget/outbox.js';
import { type ChatContractFake, startChatContractFake } from '../support/chat-contract-fake.js';
import { waitFor } from '../support/wait-for.js';

describe('widget outbox', () => {
  let fake: ChatContractFake;
  let outbox: Outbox | undefined;
  let saved: PendingMessage[];
  let pending: PendingMessage[];

  beforeEach(async () => {
    fake = await startChatContractFake();
    saved = [];
    pending = [];
  });
  afterEach(async () => {
    outbox?.stop();
    await fake.close();
  });

  function open(stored: PendingMessage[] = []) {
    const api = new ChatApi({ base: fake.base, token: () => fake.token, onUnauthorized: () => undefined });
    outbox = new Outbox({
      api,
      store: {
        load: () => stored,
        save: (list) => {
          saved = list;
        },
      },
      onChange: (list) => {
        pending = list;
      },
      retryMs: [30],
    });
    return outbox;
  }

  it('retries a message the server failed to take with the same clientId: one message, in order', async () => {
    fake.faults.failPosts = 2;
    const box = open();
    const first = box.add('pertama');
    box.add('kedua');
    await waitFor('both taken', () => pending.length === 2 && pending.every((each) => each.state === 'sent'));
    expect(fake.posts.filter((post) => post.text === 'pertama').map((post) => post.clientId)).to.deep.equal([
      first.clientId,
      first.clientId,
      first.clientId,
    ]);
    await waitFor('both recorded', () => fake.messages.length === 2);
    expect(fake.messages.map((message) => message.text)).to.deep.equal(['pertama', 'kedua']);
    // Back on the stream, with their clientIds: no longer the outbox's.
    box.settle(fake.messages.map((message) => message.clientId!));
    expect(pending).to.deep.equal([]);
    expect(saved).to.deep.equal([]);
  });

  it('keeps a waiting message for the next page, which sends it with its own clientId', async () => {
    fake.faults.failPosts = 1000;
    const box = open();
    const message = box.add('tunggu');
    await waitFor('a retry', () => fake.posts.length >= 2);
    expect(saved.map((each) => each.clientId)).to.deep.equal([message.clientId]);
    box.stop();
    fake.faults.failPosts = 0;
    open(saved).flush(); // a reload: the stored list comes back
    await waitFor('sent after the reload', () => fake.messages.length === 1);
    expect(new Set(fake.posts.map((post) => post.clientId))).to.deep.equal(new Set([message.clientId]));
    expect(fake.messages).to.have.length(1);
  });

  it('marks a refused message as not sent and goes on with the next', async () => {
    fake.faults.refusePost = 400;
    const box = open();
    box.add('ditolak');
    await waitFor('refused', () => pending[0]?.state === 'failed');
    delete fake.faults.refusePost;
    box.add('diterima');
    await waitFor('the next one sent', () => pending[1]?.state === 'sent');
    expect(pending.map((each) => [each.text, each.state])).to.deep.equal([
      ['ditolak', 'failed'],
      ['diterima', 'sent'],
    ]);
  });
});
