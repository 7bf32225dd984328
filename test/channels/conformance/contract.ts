import { expect } from 'chai';
import {
  CHANNEL_KINDS,
  DELIVERY_STATE_RANK,
  isRawMessageAdapter,
  isWebhookAdapter,
  ProviderError,
  MalformedPayloadError,
  ProviderNotConfiguredError,
  WebhookSignatureError,
  type ChannelAdapter,
  type DeliveryStatus,
  type InboundEnvelope,
  type OutboundMessage,
  type WebhookAdapter,
  type WebhookRequest,
} from '../../../channels/adapter.js';
import { ChannelRegistry } from '../../../channels/registry.js';
import { fromAdapterError } from '../../../src/errors.js';

/**
 * The cases every channel adapter runs (test/channels/adapter-conformance.test.ts): what
 * channels/adapter.ts promises, checked the same way for each provider. An adapter brings a factory
 * (one file beside this one) that builds it against local servers speaking its provider's protocol
 * and names its fixtures and failures; the cases below never know which provider they test.
 */

/** A local stand-in for the provider (Prism, a scripted server, an SMTP server), or nothing at all. */
export interface ProviderEndpoint {
  /** What the adapter's settings take: an API base URL, an smtp:// URL. */
  url: string;
  close(): Promise<void>;
}

export interface InboundFixture {
  name: string;
  /** Reads the fixture the way the core does (verify, then parse; parseRaw) and returns the envelopes. */
  read(adapter: ChannelAdapter): Promise<InboundEnvelope[]>;
  /** Per envelope, the fields the fixture must give (compared with deep.include). */
  expected: Array<Partial<InboundEnvelope>>;
}

export interface StatusFixture {
  name: string;
  read(adapter: ChannelAdapter): Promise<DeliveryStatus[]>;
  /** Per status, the fields the report must give; undefined: any number of conforming reports. */
  expected?: Array<Partial<DeliveryStatus>>;
}

export interface MalformedInput {
  name: string;
  /** Hands the adapter input that is not what its provider sends; it must throw MalformedPayloadError. */
  read(adapter: ChannelAdapter): Promise<unknown>;
}

export interface FailureCase {
  name: string;
  /** What dispatch must do: stop (permanent) or retry with backoff (transient). */
  permanent: boolean;
  /** The provider's code the error carries (`providerCode`), when the provider gives one. */
  code?: string;
  provider(): Promise<ProviderEndpoint>;
}

export interface AdapterFactory {
  /** The adapter's folder, for the test titles: 'channels/twilio-messaging'. */
  name: string;
  /** The adapter with its settings pointed at `endpoint`; without one, the provider is not configured. */
  create(endpoint?: ProviderEndpoint): ChannelAdapter;
  /** The provider's name the adapter records; checked against the adapter itself. */
  provider: string;
  /** Webhook adapters: how the provider signs, so that refused signatures can be tested. */
  signing?: {
    /** A real webhook of the provider, unsigned. */
    sample(): WebhookRequest;
    /** The request signed as the provider signs it with the secret `create()` configures. */
    sign(request: WebhookRequest, secret?: string): WebhookRequest;
    /** The adapter with no signing secret configured: it must refuse everything. */
    createWithoutSecret(): WebhookAdapter;
  };
  fixtures: InboundFixture[];
  statuses: StatusFixture[];
  malformed: MalformedInput[];
  /** The adapter's outbound act: a message through `send`, or a call placed (voice). */
  send: {
    /** The provider's sandbox that accepts: Prism serving Twilio's OpenAPI, an SMTP server. */
    provider(): Promise<ProviderEndpoint>;
    attempt(adapter: ChannelAdapter): Promise<{ providerId: string; status?: string }>;
    /** What a provider id of this adapter looks like (a Twilio SID, a Message-ID). */
    idPattern: RegExp;
    /** Checks the provider received what the adapter says it sent, when the stand-in can tell. */
    received?(endpoint: ProviderEndpoint, providerId: string): void;
  };
  /** Messages on a channel the adapter names but cannot carry (text on voice): refused, permanently. */
  refused: OutboundMessage[];
  failures: FailureCase[];
  /**
   * No remote provider (the web chat: a reply is recorded and the visitor's stream reads it), so
   * no provider failure exists to classify; the failure cases are then not required.
   */
  sendsLocally?: boolean;
}

async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** What channels/adapter.ts promises of every envelope, whichever provider made it. */
export function expectEnvelopeContract(envelope: InboundEnvelope, adapter: ChannelAdapter): void {
  expect(adapter.kinds, 'channel').to.include(envelope.channel);
  expect(envelope.provider, 'provider').to.equal(adapter.provider);
  expect(envelope.externalId, 'externalId').to.be.a('string').and.match(/\S/);
  expect(envelope.externalId.length, 'externalId fits its column').to.be.at.most(255);
  expect(['message', 'call', 'voicemail', 'missed_call'], 'kind').to.include(envelope.kind);
  const { phone, email, whatsappId, webchatSession } = envelope.from;
  expect(phone ?? email ?? whatsappId ?? webchatSession, 'from names the citizen')
    .to.be.a('string')
    .and.match(/\S/);
  if (phone !== undefined) expect(phone, 'from.phone is E.164').to.match(/^\+[1-9]\d{6,14}$/);
  expect(envelope.to, 'to').to.be.a('string');
  expect(envelope.text, 'text').to.be.a('string');
  if (envelope.subject !== undefined) expect(envelope.subject).to.be.a('string');
  expect(envelope.attachments, 'attachments').to.be.an('array');
  for (const attachment of envelope.attachments) {
    expect(attachment.url, 'attachment url').to.be.a('string');
    expect(['provider', 'local'], 'attachment storage').to.include(attachment.storage);
  }
  if (envelope.thread) {
    const { inReplyTo, references, replyToken } = envelope.thread;
    for (const id of [inReplyTo, ...(references ?? [])]) {
      if (id !== undefined) expect(id, 'thread ids without angle brackets').to.match(/^[^<>\s]+$/);
    }
    if (replyToken !== undefined) expect(replyToken).to.be.a('string');
  }
  expect(new Date(envelope.receivedAt).toISOString(), 'receivedAt is ISO 8601').to.equal(envelope.receivedAt);
  expect(envelope.raw, 'raw kept').to.not.equal(undefined);
}

export function expectStatusContract(status: DeliveryStatus): void {
  expect(status.providerMessageId, 'providerMessageId').to.be.a('string').and.match(/\S/);
  expect(Object.keys(DELIVERY_STATE_RANK), 'status').to.include(status.status);
  expect(new Date(status.at).toISOString(), 'at is ISO 8601').to.equal(status.at);
  if (status.errorCode !== undefined) expect(status.errorCode).to.be.a('string');
}

/** Registers the conformance cases of one adapter under a describe block of its own. */
export function describeAdapterConformance(factory: AdapterFactory): void {
  describe(`${factory.name} (${factory.provider})`, () => {
    it('is a whole adapter: a provider name, channel kinds, send, and verify + parse or parseRaw', () => {
      const adapter = factory.create();
      expect(adapter.provider).to.equal(factory.provider);
      expect(adapter.kinds).to.not.be.empty;
      for (const kind of adapter.kinds) expect(CHANNEL_KINDS).to.include(kind);
      expect(() => new ChannelRegistry([adapter])).to.not.throw();
      // A webhook adapter cannot leave its signature cases out, nor a raw one its fixtures.
      expect(isWebhookAdapter(adapter), 'a webhook adapter declares its signing').to.equal(Boolean(factory.signing));
      if (isRawMessageAdapter(adapter)) expect(factory.fixtures, 'raw fixtures').to.not.be.empty;
    });

    describe('fixtures parse to envelopes with the fields the contract promises', () => {
      for (const fixture of factory.fixtures) {
        it(fixture.name, async () => {
          const adapter = factory.create();
          const envelopes = await fixture.read(adapter);
          expect(envelopes).to.have.length(fixture.expected.length);
          for (const [index, envelope] of envelopes.entries()) {
            expectEnvelopeContract(envelope, adapter);
            expect(envelope).to.deep.include(fixture.expected[index]!);
          }
        });
      }
    });

    describe('status reports map to our delivery states', () => {
      for (const fixture of factory.statuses) {
        it(fixture.name, async () => {
          const statuses = await fixture.read(factory.create());
          for (const status of statuses) expectStatusContract(status);
          if (fixture.expected) {
            expect(statuses).to.have.length(fixture.expected.length);
            for (const [index, status] of statuses.entries()) expect(status).to.deep.include(fixture.expected[index]!);
          } else {
            expect(statuses).to.not.be.empty;
          }
        });
      }
    });

    describe('malformed input is a MalformedPayloadError (the core answers 400), never a crash', () => {
      for (const input of factory.malformed) {
        it(input.name, async () => {
          const error = await rejection(() => input.read(factory.create()));
          expect(error).to.be.instanceOf(MalformedPayloadError);
          expect(error, 'adapters carry no HTTP status').to.not.have.property('status');
          expect(fromAdapterError(error)).to.have.property('status', 400);
        });
      }
    });

    if (factory.signing) describeSignatureCases(factory, factory.signing);
    describeSendCases(factory);
  });
}

function describeSignatureCases(factory: AdapterFactory, signing: NonNullable<AdapterFactory['signing']>): void {
  describe('signatures: a webhook is accepted only as the provider signed it', () => {
    const adapter = () => factory.create() as WebhookAdapter;
    const expectRefused = (target: WebhookAdapter, request: WebhookRequest) => {
      let error: unknown;
      try {
        target.verify(request);
      } catch (thrown) {
        error = thrown;
      }
      expect(error, 'refused').to.be.instanceOf(WebhookSignatureError);
      expect(error, 'adapters carry no HTTP status').to.not.have.property('status');
      expect(fromAdapterError(error), 'the core answers').to.have.property('status', 403);
    };

    it('accepts the request signed with our secret', () => {
      expect(() => adapter().verify(signing.sign(signing.sample()))).to.not.throw();
    });

    it('refuses a request without a signature', () => {
      expectRefused(adapter(), signing.sample());
    });

    it('refuses a request signed with another secret', () => {
      expectRefused(adapter(), signing.sign(signing.sample(), 'not-our-secret-00000000000000000'));
    });

    it('refuses a request whose body changed after signing', () => {
      const signed = signing.sign(signing.sample());
      const fields = Object.keys(signed.body);
      expectRefused(adapter(), { ...signed, body: { ...signed.body, [fields[0]!]: 'changed' } });
    });

    it('refuses a request signed for another URL', () => {
      const signed = signing.sign(signing.sample());
      expectRefused(adapter(), { ...signed, url: `${signed.url}?replayed=1` });
    });

    it('refuses everything when no secret is configured', () => {
      expectRefused(signing.createWithoutSecret(), signing.sign(signing.sample()));
    });
  });
}

function describeSendCases(factory: AdapterFactory): void {
  describe('sends give provider ids; provider errors are classified for dispatch', () => {
    let sandbox: ProviderEndpoint | undefined;
    before(async function () {
      this.timeout(90_000); // Prism's first start
      sandbox = await factory.send.provider();
    });
    after(async () => sandbox?.close());

    it('a send gives a provider id, a fresh one each time', async () => {
      const adapter = factory.create(sandbox);
      const first = await factory.send.attempt(adapter);
      const second = await factory.send.attempt(adapter);
      for (const result of [first, second]) {
        expect(result.providerId).to.match(factory.send.idPattern);
        if (result.status !== undefined) expect(Object.keys(DELIVERY_STATE_RANK)).to.include(result.status);
        factory.send.received?.(sandbox!, result.providerId);
      }
      expect(second.providerId).to.not.equal(first.providerId);
    });

    if (!factory.sendsLocally)
      it('names at least one permanent and one transient failure', () => {
        expect(factory.failures.some((failure) => failure.permanent)).to.equal(true);
        expect(factory.failures.some((failure) => !failure.permanent)).to.equal(true);
      });

    for (const failure of factory.failures) {
      it(`${failure.name}: ${failure.permanent ? 'permanent (dispatch stops)' : 'transient (dispatch retries)'}`, async () => {
        const endpoint = await failure.provider();
        try {
          const error = await rejection(() => factory.send.attempt(factory.create(endpoint)));
          expect(error).to.be.instanceOf(ProviderError);
          expect(error).to.not.be.instanceOf(ProviderNotConfiguredError);
          expect((error as ProviderError).permanent).to.equal(failure.permanent);
          if (failure.code !== undefined) expect((error as ProviderError).providerCode).to.equal(failure.code);
        } finally {
          await endpoint.close();
        }
      });
    }

    it('without settings, a send is ProviderNotConfiguredError (recorded as not delivered, never retried)', async () => {
      const error = await rejection(() => factory.send.attempt(factory.create()));
      expect(error).to.be.instanceOf(ProviderNotConfiguredError);
      expect((error as ProviderError).permanent).to.equal(true);
    });

    for (const message of factory.refused) {
      it(`refuses a ${message.channel} message it cannot carry, permanently`, async () => {
        const error = await rejection(() => factory.create(sandbox).send(message));
        expect(error).to.be.instanceOf(ProviderError);
        expect((error as ProviderError).permanent).to.equal(true);
      });
    }
  });
}
