import { expect } from 'chai';
import twilioSdk from 'twilio';
import { OutboxDispatcher } from '../../src/messages/dispatch.js';
import { queueOutbound } from '../../src/messages/outbox.js';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { startFakeTwilio } from '../support/twilio-fake.js';
import { inboundSms, inboundWhatsApp, statusCallback } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Two runs of one outbox entry overlap when a job whose lock lapsed runs again while the first run
 * is still at the provider, or when the sweeper signals an entry a worker holds. Each run here is its
 * own dispatcher (its own worker) on the server's database and channels, against a Twilio that keeps
 * what it accepted and answers 300 ms later, so the runs' provider calls overlap.
 */
describe('Outbox sends claimed by one run at a time', function () {
  this.timeout(60_000);
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  const dispatcher = () =>
    new OutboxDispatcher({
      db: server.runtime.db,
      channels: server.runtime.channels,
      logger: server.runtime.logger,
      now: () => new Date(),
      sendLeaseMs: server.runtime.config.OUTBOX_SEND_LEASE_MS,
      statusCallbackUrl: (provider) => `${server.baseUrl}/webhooks/${provider}/status`,
    });

  before(async () => {
    twilio = await startFakeTwilio({ replyDelayMs: 300 });
    // The sweeper stays out of the way: each case decides who runs the entry.
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      SWEEP_INTERVAL_MS: '3600000',
      TWILIO_WHATSAPP_TEMPLATE_SID: `HX${'0b'.repeat(16)}`,
    });
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  /** A citizen's SMS (or WhatsApp), its acknowledgement sent once by the server's worker; the entry's id. */
  async function acknowledged(from: string, channel: 'sms' | 'whatsapp' = 'sms'): Promise<number> {
    const inbound = channel === 'sms' ? inboundSms(from, 'Halo') : inboundWhatsApp(from, 'Halo');
    expect((await server.postTwilio('/webhooks/twilio/messaging', inbound)).status).to.equal(200);
    const db = server.runtime.db;
    const row = await waitFor(
      'the acknowledgement sent',
      async (): Promise<{ id: number } | undefined> =>
        db('outbox as o')
          .join('messages as m', 'm.id', 'o.message_id')
          .where({ 'm.address': from, 'm.kind': 'acknowledgement', 'o.status': 'sent' })
          .first('o.id'),
      20_000,
    );
    return Number(row.id);
  }
  /** The entry's message as recorded. */
  const messageOf = async (id: number) =>
    (await server.runtime
      .db('outbox as o')
      .join('messages as m', 'm.id', 'o.message_id')
      .where('o.id', id)
      .first(
        'm.id',
        'm.ticket_id',
        'm.channel',
        'm.address',
        'm.body',
        'm.provider_message_id',
        'm.delivery_status',
        'o.status',
      )) as {
      id: number;
      ticket_id: number;
      channel: string;
      address: string;
      body: string;
      provider_message_id: string | null;
      delivery_status: string;
      status: string;
    };
  /** Another message to the same citizen on the same ticket, queued (not signalled); its entry's id. */
  async function queuedLike(
    id: number,
    extra: { template?: { contentSid: string; variables: Record<string, string> }; at?: Date } = {},
  ): Promise<number> {
    const message = await messageOf(id);
    const [outboxId] = await server.runtime.db.transaction((trx) =>
      queueOutbound(trx, [
        {
          ticketId: message.ticket_id,
          channel: message.channel,
          address: message.address,
          body: message.body,
          kind: 'status_reply',
          authorType: 'system',
          at: extra.at ?? new Date(),
          ...(extra.template ? { template: extra.template } : {}),
        },
      ]),
    );
    return outboxId!;
  }
  /** What a worker that died at the provider's door leaves: a claim older than the lease. */
  const lapsedClaim = () => new Date(Date.now() - server.runtime.config.OUTBOX_SEND_LEASE_MS - 1_000);
  const sendsTo = (address: string) => twilio.sends.filter((send) => send.to === address).length;
  const setEntry = (id: number, fields: Record<string, unknown>) =>
    server.runtime.db('outbox').where({ id }).update(fields);

  it('two runs that read the same pending entry send it once', async () => {
    const citizen = '+6281355500001';
    const id = await acknowledged(citizen);
    await setEntry(id, { status: 'pending', sending_since: null, finished_at: null });

    const outcomes = await Promise.all([dispatcher().dispatch(id, false), dispatcher().dispatch(id, false)]);

    expect(outcomes.sort()).to.deep.equal(['sent', 'skipped']);
    expect(sendsTo(citizen), 'the server sent it once, the two runs once more').to.equal(2);
    expect((await server.runtime.db('outbox').where({ id }).first('status')).status).to.equal('sent');
  });

  it('a run that finds a send claimed moments ago leaves it to its claimant, without asking the provider', async () => {
    const citizen = '+6281355500002';
    const id = await acknowledged(citizen);
    await setEntry(id, { status: 'sending', sending_since: new Date() });
    const lists = twilio.lists;

    expect(await dispatcher().dispatch(id, false)).to.equal('skipped');
    expect(sendsTo(citizen)).to.equal(1);
    expect(twilio.lists, 'List Messages calls').to.equal(lists);
    expect((await server.runtime.db('outbox').where({ id }).first('status')).status).to.equal('sending');
  });

  it("a claim older than the lease is the dead worker's: the provider is asked, and what it lacks is sent once", async () => {
    const citizen = '+6281355500003';
    const id = await acknowledged(citizen);
    const lapsed = new Date(Date.now() - server.runtime.config.OUTBOX_SEND_LEASE_MS - 1_000);

    // The provider got it before the worker died: found, not sent again.
    await setEntry(id, { status: 'sending', sending_since: lapsed });
    expect(await dispatcher().dispatch(id, false)).to.equal('sent');
    expect(sendsTo(citizen)).to.equal(1);

    // The provider never got it: two runs reconcile, one of them sends.
    twilio.sends.splice(0, twilio.sends.length);
    await setEntry(id, { status: 'sending', sending_since: lapsed });
    const outcomes = await Promise.all([dispatcher().dispatch(id, false), dispatcher().dispatch(id, false)]);
    // The slower run either lost the claim (skipped) or, asking the provider later, found the send.
    expect(outcomes).to.include('sent');
    expect(sendsTo(citizen)).to.equal(1);
  });

  it('a status report naming our message records a send that was never recorded, which is then not made again', async () => {
    const citizen = '+6281355500004';
    const id = await acknowledged(citizen);
    const sent = await messageOf(id);
    // The worker died between Twilio's accept and our commit: the send is Twilio's, not ours.
    await server.runtime.db('messages').where({ id: sent.id }).update({
      provider: null,
      provider_message_id: null,
      delivery_status: 'queued',
    });
    await setEntry(id, { status: 'sending', sending_since: new Date(), finished_at: null });

    const report = statusCallback(sent.provider_message_id!, 'delivered', { To: citizen });
    const answer = await server.postTwilio(`/webhooks/twilio/status?message=${sent.id}`, report);
    expect(answer.status).to.equal(200);

    const recorded = await messageOf(id);
    expect(recorded.provider_message_id).to.equal(sent.provider_message_id);
    expect(recorded.delivery_status).to.equal('delivered');
    expect(recorded.status, 'the outbox entry').to.equal('sent');
    await setEntry(id, { sending_since: lapsedClaim() }); // even once its claim would have lapsed
    expect(await dispatcher().dispatch(id, false)).to.equal('skipped');
    expect(sendsTo(citizen)).to.equal(1);
  });

  it('a status report is refused when its message id is not in the URL Twilio signed', async () => {
    const citizen = '+6281355500005';
    const id = await acknowledged(citizen);
    const sent = await messageOf(id);
    const report = statusCallback(sent.provider_message_id!, 'failed', { To: citizen, ErrorCode: '30003' });
    // Signed for the URL with another message's id: the query string is part of what is signed.
    const signature = twilioSdk.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_URL}/webhooks/twilio/status?message=${sent.id + 1000}`,
      report,
    );
    const answer = await server.postTwilio(`/webhooks/twilio/status?message=${sent.id}`, report, signature);
    expect(answer.status).to.equal(403);
    expect((await messageOf(id)).delivery_status).to.not.equal('failed');
  });

  it('a report on a send other than the one recorded for our message (it went out twice) leaves the record alone', async () => {
    const citizen = '+6281355500006';
    const id = await acknowledged(citizen);
    const sent = await messageOf(id);
    const report = statusCallback('SM'.padEnd(34, 'f'), 'undelivered', { To: citizen, ErrorCode: '30003' });
    expect((await server.postTwilio(`/webhooks/twilio/status?message=${sent.id}`, report)).status).to.equal(200);
    const after = await messageOf(id);
    expect(after.provider_message_id).to.equal(sent.provider_message_id);
    expect(after.delivery_status).to.not.equal('undelivered');
  });

  it('an identical text sent before, recorded as another message, is not taken for a send of unknown outcome', async () => {
    const citizen = '+6281355500007';
    const first = await acknowledged(citizen);
    // The same words again (a second status answer, say), claimed by a worker that died before Twilio got it.
    const id = await queuedLike(first);
    await setEntry(id, { status: 'sending', sending_since: lapsedClaim() });

    expect(await dispatcher().dispatch(id, false)).to.equal('sent');
    expect(sendsTo(citizen), 'the second message sent, not mistaken for the first').to.equal(2);
    const second = await messageOf(id);
    expect(second.provider_message_id).to.not.equal((await messageOf(first)).provider_message_id);
  });

  it('an identical text Twilio accepted before the send was claimed is not taken for it', async () => {
    const citizen = '+6281355500008';
    const first = await acknowledged(citizen);
    // Queued an hour ago (the workers were down), claimed two minutes ago by a worker that died
    // before Twilio got it; the identical text Twilio holds was accepted ten minutes ago, and its
    // own record is lost (as if its worker had died too).
    const id = await queuedLike(first, { at: new Date(Date.now() - 3_600_000) });
    await setEntry(id, { status: 'sending', sending_since: lapsedClaim() });
    const earlier = twilio.sends.find((send) => send.to === citizen)!;
    earlier.at = new Date(Date.now() - 600_000);
    await server.runtime
      .db('messages')
      .where({ id: (await messageOf(first)).id })
      .update({ provider_message_id: null });

    expect(await dispatcher().dispatch(id, false)).to.equal('sent');
    expect(sendsTo(citizen)).to.equal(2);
    expect((await messageOf(id)).provider_message_id).to.not.equal(earlier.sid);
  });

  it('a template send is matched by the values it carries, not by any message to the citizen', async () => {
    const citizen = '+6281355500009';
    const address = `whatsapp:${citizen}`;
    const first = await acknowledged(citizen, 'whatsapp');
    // The acknowledgement's own record is lost: only the text can tell it from the template.
    await server.runtime
      .db('messages')
      .where({ id: (await messageOf(first)).id })
      .update({ provider_message_id: null });
    const template = { contentSid: `HX${'0b'.repeat(16)}`, variables: { '1': 'SP-123-456-785' } };
    const id = await queuedLike(first, { template });
    await setEntry(id, { status: 'sending', sending_since: lapsedClaim() });

    expect(await dispatcher().dispatch(id, false)).to.equal('sent');
    expect(sendsTo(address), 'the template sent').to.equal(2);
    const sid = (await messageOf(id)).provider_message_id;
    expect(twilio.sends.find((send) => send.sid === sid)?.body).to.contain('SP-123-456-785');

    // Its outcome unknown in turn (the worker died after Twilio's accept): found by its values.
    await server.runtime
      .db('messages')
      .where({ id: (await messageOf(id)).id })
      .update({ provider_message_id: null });
    await setEntry(id, { status: 'sending', sending_since: lapsedClaim() });
    expect(await dispatcher().dispatch(id, false)).to.equal('sent');
    expect(sendsTo(address), 'not sent again').to.equal(2);
    expect((await messageOf(id)).provider_message_id).to.equal(sid);
  });
});
