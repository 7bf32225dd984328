import { expect } from 'chai';
import type { ChannelKind, InboundEnvelope } from '../../channels/adapter.js';
import type { MailThreadMarkers } from '../../src/mail/thread-markers.js';
import { decideThreads, type ThreadFacts } from '../../src/tickets/thread-decision.js';
import type { ThreadInput, TicketRow } from '../../src/tickets/threading.js';

describe('Threading decisions (src/tickets/thread-decision.ts, pure)', () => {
  const ticket = (id: number, contactId: number, overrides: Partial<TicketRow> = {}): TicketRow => ({
    id,
    reference: String(262_591_940 + id),
    contact_id: contactId,
    status: 'open',
    channel: 'sms',
    language: 'id',
    ...overrides,
  });
  const input = (contactId: number, channel: ChannelKind, extra: Partial<InboundEnvelope> = {}): ThreadInput => ({
    contactId,
    envelope: {
      channel,
      provider: 'test',
      externalId: `m-${Math.random()}`,
      kind: 'message',
      from: {},
      to: '',
      text: 'Halo',
      attachments: [],
      receivedAt: '2026-12-01T02:00:00Z',
      raw: null,
      ...extra,
    },
  });
  /** Facts for `inputs`: nothing found unless given. */
  const facts = (inputs: ThreadInput[], found: Partial<ThreadFacts> = {}): ThreadFacts => ({
    quoted: inputs.map(() => ({ candidates: [], mistyped: [] })),
    markers: inputs.map(({ envelope }) =>
      envelope.channel === 'email' ? ({ ourTicketIds: [], otherMessageIds: [] } as MailThreadMarkers) : undefined,
    ),
    known: { byId: new Map(), byReference: new Map(), byMailId: new Map() },
    activeByKey: new Map(),
    awaitingAnswer: new Map(),
    bySession: new Map(),
    ...found,
  });
  const summary = (decisions: ReturnType<typeof decideThreads>) =>
    decisions.map(({ ticket, newTicketKey, opensTicket, reason, held, senderUnverified }) => ({
      to: ticket ? ticket.id : newTicketKey,
      opensTicket,
      reason,
      held,
      senderUnverified,
    }));

  it("joins a citizen's texts of one batch to their active ticket, or to one new ticket the first opens", () => {
    const inputs = [input(1, 'sms'), input(1, 'sms'), input(2, 'sms')];
    const active = new Map([['2|sms', ticket(20, 2)]]);
    expect(summary(decideThreads(inputs, facts(inputs, { activeByKey: active })))).to.deep.equal([
      { to: '1|sms', opensTicket: true, reason: 'new', held: false, senderUnverified: false },
      { to: '1|sms', opensTicket: false, reason: 'open_ticket', held: false, senderUnverified: false },
      { to: 20, opensTicket: false, reason: 'open_ticket', held: false, senderUnverified: false },
    ]);
  });

  it("holds a stranger's message that only quotes a reference, and prefers the sender's own quoted ticket", () => {
    const mine = ticket(10, 1);
    const theirs = ticket(11, 2);
    const inputs = [input(1, 'sms'), input(3, 'sms')];
    const byReference = new Map([
      [mine.reference, mine],
      [theirs.reference, theirs],
    ]);
    const quoted = [
      { candidates: [theirs.reference, mine.reference], mistyped: [] },
      { candidates: [theirs.reference], mistyped: ['123'] },
    ];
    const decisions = decideThreads(
      inputs,
      facts(inputs, { quoted, known: { byId: new Map(), byReference, byMailId: new Map() } }),
    );
    expect(summary(decisions)).to.deep.equal([
      { to: 10, opensTicket: false, reason: 'reference', held: false, senderUnverified: false },
      { to: 11, opensTicket: false, reason: 'reference', held: true, senderUnverified: true },
    ]);
    expect(decisions[1]!.mistypedReferences).to.deep.equal(['123']);
  });

  it('never joins a closed ticket, whatever names it', () => {
    const closed = ticket(12, 1, { status: 'closed' });
    const inputs = [input(1, 'sms')];
    const decision = decideThreads(
      inputs,
      facts(inputs, {
        quoted: [{ candidates: [closed.reference], mistyped: [] }],
        known: { byId: new Map(), byReference: new Map([[closed.reference, closed]]), byMailId: new Map() },
      }),
    );
    expect(summary(decision)[0]!.to).to.equal('1|sms');
  });

  it('opens a new ticket for every web form, and keeps a chat to the ticket its session opened', () => {
    const session = ticket(30, 1, { channel: 'webchat' });
    const inputs = [
      input(1, 'web'),
      input(1, 'web'),
      input(1, 'webchat', { from: { webchatSession: 's1' } }),
      input(1, 'webchat', { from: { webchatSession: 's2' } }),
      input(1, 'webchat', { from: { webchatSession: 's2' } }),
    ];
    expect(
      summary(decideThreads(inputs, facts(inputs, { bySession: new Map([['s1', session]]) }))).map(
        ({ to, opensTicket }) => [to, opensTicket],
      ),
    ).to.deep.equal([
      ['1|web|0', true],
      ['1|web|1', true],
      [30, false],
      ['1|webchat|s2', true],
      ['1|webchat|s2', false],
    ]);
  });

  it("threads mail by our signed Message-ID, then the citizen's own thread, then a reply+ token; else a new ticket", () => {
    const ours = ticket(40, 1, { channel: 'email' });
    const thread = ticket(41, 1, { channel: 'email' });
    const token = ticket(42, 1, { channel: 'email' });
    const inputs = [input(1, 'email'), input(1, 'email'), input(1, 'email'), input(1, 'email')];
    const markers: MailThreadMarkers[] = [
      { ourTicketIds: [40], otherMessageIds: ['a@citizen'] },
      { ourTicketIds: [], otherMessageIds: ['a@citizen'] },
      { ourTicketIds: [], otherMessageIds: [], replyTicketId: 42 },
      { ourTicketIds: [], otherMessageIds: [] },
    ];
    const known = {
      byId: new Map([
        [40, ours],
        [42, token],
      ]),
      byReference: new Map(),
      byMailId: new Map([['a@citizen', thread]]),
    };
    expect(
      summary(decideThreads(inputs, facts(inputs, { markers, known }))).map(({ to, reason }) => [to, reason]),
    ).to.deep.equal([
      [40, 'message_id'],
      [41, 'mail_thread'],
      [42, 'reply_token'],
      ['1|email|3', 'new'],
    ]);
  });

  it("takes the citizen's next message on any channel as the answer to a clarification", () => {
    const asked = ticket(50, 1, { status: 'pending_citizen', channel: 'email' });
    const inputs = [input(1, 'whatsapp')];
    expect(summary(decideThreads(inputs, facts(inputs, { awaitingAnswer: new Map([[1, asked]]) })))[0]).to.include({
      to: 50,
      reason: 'clarification',
    });
  });
});
