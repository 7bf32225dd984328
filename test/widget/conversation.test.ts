import { expect } from 'chai';
import type { ChatMessage } from '../../web/widget/api/types.js';
import {
  agentIsTyping,
  compareIds,
  EMPTY,
  isReadByAgent,
  lastMessageId,
  lastOutboundId,
  mergeMessages,
  TYPING_SHOWN_MS,
  unreadCount,
} from '../../web/widget/conversation.js';

const message = (id: string, direction: ChatMessage['direction'] = 'outbound', extra: Partial<ChatMessage> = {}) => ({
  id,
  direction,
  text: `text ${id}`,
  at: '2026-12-02T03:00:00.000Z',
  ...extra,
});

describe('widget conversation', () => {
  it('compares row ids as numbers, other ids as strings', () => {
    expect(compareIds('9', '10')).to.be.below(0);
    expect(compareIds('10', '9')).to.be.above(0);
    expect(compareIds('007', '7')).to.equal(0);
    expect(compareIds('123456789012345678901', '123456789012345678900')).to.be.above(0);
    expect(compareIds('b', 'a')).to.be.above(0);
  });

  it('shows a message once however many ways it arrives, in the server order', () => {
    let state = mergeMessages(EMPTY, [message('2'), message('10')]);
    state = mergeMessages(state, [message('10'), message('9'), message('2')]); // the refetch after a reconnect
    expect(state.messages.map((each) => each.id)).to.deep.equal(['2', '9', '10']);
    expect(mergeMessages(state, [message('9')])).to.equal(state); // nothing new: the same state
    expect(lastMessageId(state)).to.equal('10');
  });

  it("drops a pending message once the server's copy is there (by its clientId)", () => {
    const pending = { clientId: 'c-1', text: 'halo', at: '2026-12-02T03:00:00.000Z', state: 'sending' as const };
    const state = { ...EMPTY, pending: [pending] };
    expect(mergeMessages(state, [message('4')]).pending).to.have.length(1);
    expect(mergeMessages(state, [message('5', 'inbound', { clientId: 'c-1' })]).pending).to.deep.equal([]);
  });

  it("keeps the agent's read mark and counts the visitor's unread messages", () => {
    const state = {
      ...mergeMessages(EMPTY, [message('1', 'inbound'), message('2'), message('3', 'inbound'), message('4')]),
      readUpTo: '1',
    };
    expect(isReadByAgent(state, state.messages[0]!)).to.equal(true);
    expect(isReadByAgent(state, state.messages[2]!)).to.equal(false);
    expect(lastOutboundId(state)).to.equal('4');
    expect(unreadCount(state, undefined)).to.equal(2);
    expect(unreadCount(state, '2')).to.equal(1);
    expect(unreadCount(state, '4')).to.equal(0);
  });

  it("shows the agent typing for a while, and no longer once the agent's message is in", () => {
    const typing = { ...EMPTY, agentTypingAt: 1000 };
    expect(agentIsTyping(typing, 1000 + TYPING_SHOWN_MS - 1)).to.equal(true);
    expect(agentIsTyping(typing, 1000 + TYPING_SHOWN_MS)).to.equal(false);
    expect(agentIsTyping(mergeMessages(typing, [message('1')]), 1001)).to.equal(false);
    expect(agentIsTyping(mergeMessages(typing, [message('1', 'inbound')]), 1001)).to.equal(true);
  });
});
