import { expect } from 'chai';
import twilio from 'twilio';
import {
  MalformedPayloadError,
  ProviderError,
  WebhookSignatureError,
  type ChannelAdapter,
  type WebhookAdapter,
  type DeliveryState,
  type WebhookRequest,
} from '../../channels/adapter.js';
import { ChannelRegistry, createChannelRegistry } from '../../channels/registry.js';
import { parseTwilioMessage } from '../../channels/twilio-messaging/parse-message.js';
import { parseTwilioStatus } from '../../channels/twilio-messaging/parse-status.js';
import { classifyTwilioError } from '../../channels/twilio-messaging/send.js';
import { verifyTwilioSignature } from '../../channels/twilio-messaging/signature.js';
import { fromAdapterError } from '../../src/errors.js';

const RECEIVED_AT = new Date('2026-11-22T06:20:51.000Z');
const CITIZEN = '+6281234567890';
const SMS_NUMBER = '+6281100000000';
const WHATSAPP_NUMBER = '+6281100000001';
const SID = 'SM0123456789abcdef0123456789abcdef';
const URL = 'https://satupintu.example.go.id/webhooks/twilio/messaging';

function request(body: Record<string, unknown>, headers: WebhookRequest['headers'] = {}): WebhookRequest {
  return { url: URL, headers, body };
}

function smsForm(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MessageSid: SID,
    SmsSid: SID,
    AccountSid: `AC${'a1'.repeat(16)}`,
    From: CITIZEN,
    To: SMS_NUMBER,
    Body: 'Izin usaha saya belum terbit',
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

function whatsAppForm(extra: Record<string, string> = {}): Record<string, string> {
  return smsForm({
    From: `whatsapp:${CITIZEN}`,
    To: `whatsapp:${WHATSAPP_NUMBER}`,
    ProfileName: 'Budi Santoso',
    WaId: '6281234567890',
    ...extra,
  });
}

function without(form: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([key]) => !keys.includes(key)));
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('channels/twilio-messaging', () => {
  describe('parseTwilioMessage', () => {
    it('turns an SMS webhook into one sms envelope', () => {
      const form = smsForm();
      const envelopes = parseTwilioMessage(request(form), RECEIVED_AT);
      expect(envelopes).to.have.length(1);
      expect(envelopes[0]).to.deep.equal({
        channel: 'sms',
        provider: 'twilio',
        externalId: SID,
        kind: 'message',
        from: { phone: CITIZEN, name: undefined },
        to: SMS_NUMBER,
        text: 'Izin usaha saya belum terbit',
        attachments: [],
        receivedAt: '2026-11-22T06:20:51.000Z',
        raw: form,
      });
    });

    it('puts a whatsapp: sender on the whatsapp channel, without the prefix, with its ProfileName as name', () => {
      const [envelope] = parseTwilioMessage(request(whatsAppForm()), RECEIVED_AT);
      expect(envelope!.channel).to.equal('whatsapp');
      expect(envelope!.from).to.deep.equal({ phone: CITIZEN, name: 'Budi Santoso' });
      expect(envelope!.to).to.equal(WHATSAPP_NUMBER);
    });

    it('turns NumMedia / MediaUrlN / MediaContentTypeN into attachments, in order', () => {
      const form = whatsAppForm({
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        MediaContentType1: 'application/pdf',
      });
      const [envelope] = parseTwilioMessage(request(form), RECEIVED_AT);
      expect(envelope!.text).to.equal('');
      expect(envelope!.attachments).to.deep.equal([
        { url: form.MediaUrl0, storage: 'provider', contentType: 'image/jpeg' },
        { url: form.MediaUrl1, storage: 'provider', contentType: 'application/pdf' },
      ]);
    });

    it('reads no more media than NumMedia announces', () => {
      const form = smsForm({
        NumMedia: '1',
        MediaUrl0: 'https://media.example/0',
        MediaUrl1: 'https://media.example/1',
      });
      const [envelope] = parseTwilioMessage(request(form), RECEIVED_AT);
      expect(envelope!.attachments.map((attachment) => attachment.url)).to.deep.equal(['https://media.example/0']);
    });

    it('throws a MalformedPayloadError (the core answers 400) naming MessageSid when there is no message id', () => {
      const error = thrown(() => parseTwilioMessage(request(without(smsForm(), 'MessageSid', 'SmsSid')), RECEIVED_AT));
      expect(error).to.be.instanceOf(MalformedPayloadError);
      expect(fromAdapterError(error)).to.have.property('status', 400);
      expect((error as MalformedPayloadError).details).to.deep.equal({ missing: ['MessageSid'] });
    });

    it('throws a MalformedPayloadError naming From when there is no sender', () => {
      const error = thrown(() => parseTwilioMessage(request(without(smsForm(), 'From')), RECEIVED_AT));
      expect(error).to.be.instanceOf(MalformedPayloadError);
      expect((error as MalformedPayloadError).details).to.deep.equal({ missing: ['From'] });
    });

    it('treats an empty MessageSid as missing', () => {
      expect(() => parseTwilioMessage(request(smsForm({ MessageSid: '', SmsSid: '' })), RECEIVED_AT)).to.throw(
        MalformedPayloadError,
      );
    });
  });

  describe('parseTwilioStatus', () => {
    const expected: Array<[string, DeliveryState]> = [
      ['accepted', 'queued'],
      ['queued', 'queued'],
      ['sending', 'sent'],
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      ['read', 'read'],
      ['undelivered', 'undelivered'],
      ['failed', 'failed'],
      ['canceled', 'failed'],
    ];
    for (const [twilioStatus, ours] of expected) {
      it(`maps Twilio status "${twilioStatus}" to "${ours}"`, () => {
        const statuses = parseTwilioStatus(request({ MessageSid: SID, MessageStatus: twilioStatus }), RECEIVED_AT);
        expect(statuses).to.have.length(1);
        expect(statuses[0]).to.include({ providerMessageId: SID, status: ours, at: '2026-11-22T06:20:51.000Z' });
        expect(statuses[0]!.errorCode).to.equal(undefined);
        expect(statuses[0]!.errorMessage).to.equal(undefined);
      });
    }

    for (const inbound of ['received', 'receiving']) {
      it(`returns nothing for the inbound status "${inbound}"`, () => {
        expect(parseTwilioStatus(request({ MessageSid: SID, MessageStatus: inbound }), RECEIVED_AT)).to.deep.equal([]);
      });
    }

    it('explains error 63016 as the closed WhatsApp 24-hour window', () => {
      const [status] = parseTwilioStatus(
        request({ MessageSid: SID, MessageStatus: 'failed', ErrorCode: '63016' }),
        RECEIVED_AT,
      );
      expect(status!.status).to.equal('failed');
      expect(status!.errorCode).to.equal('63016');
      expect(status!.errorMessage).to.match(/24-hour/);
    });

    it('names an error code it has no explanation for', () => {
      const [status] = parseTwilioStatus(
        request({ MessageSid: SID, MessageStatus: 'undelivered', ErrorCode: '30999' }),
        RECEIVED_AT,
      );
      expect(status!.errorCode).to.equal('30999');
      expect(status!.errorMessage).to.include('30999');
    });

    it('treats an empty ErrorCode as no error', () => {
      const [status] = parseTwilioStatus(
        request({ MessageSid: SID, MessageStatus: 'delivered', ErrorCode: '' }),
        RECEIVED_AT,
      );
      expect(status!.errorCode).to.equal(undefined);
      expect(status!.errorMessage).to.equal(undefined);
    });

    it('falls back to the legacy SmsSid / SmsStatus fields', () => {
      const [status] = parseTwilioStatus(request({ SmsSid: SID, SmsStatus: 'delivered' }), RECEIVED_AT);
      expect(status).to.include({ providerMessageId: SID, status: 'delivered' });
    });

    it('throws a MalformedPayloadError (the core answers 400) when MessageSid or MessageStatus is missing', () => {
      for (const body of [{ MessageStatus: 'delivered' }, { MessageSid: SID }, {}]) {
        const error = thrown(() => parseTwilioStatus(request(body), RECEIVED_AT));
        expect(error, JSON.stringify(body)).to.be.instanceOf(MalformedPayloadError);
        expect(fromAdapterError(error)).to.have.property('status', 400);
      }
    });
  });

  describe('verifyTwilioSignature', () => {
    const AUTH_TOKEN = '12345678901234567890123456789012';
    const form = smsForm();
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL, form);

    function expectRefused(authToken: string | undefined, webhook: WebhookRequest): void {
      const error = thrown(() => verifyTwilioSignature(authToken, webhook));
      expect(error).to.be.instanceOf(WebhookSignatureError);
      expect(fromAdapterError(error)).to.have.property('status', 403);
    }

    it('accepts the signature Twilio computes for this URL and body', () => {
      expect(() =>
        verifyTwilioSignature(AUTH_TOKEN, request(form, { 'x-twilio-signature': signature })),
      ).to.not.throw();
    });

    it('accepts the signature when the header arrives as an array', () => {
      expect(() =>
        verifyTwilioSignature(AUTH_TOKEN, request(form, { 'x-twilio-signature': [signature] })),
      ).to.not.throw();
    });

    it('refuses a wrong signature', () => {
      const wrong = twilio.getExpectedTwilioSignature('another-token-another-token-1234', URL, form);
      expect(wrong).to.not.equal(signature);
      expectRefused(AUTH_TOKEN, request(form, { 'x-twilio-signature': wrong }));
      expectRefused(AUTH_TOKEN, request(form, { 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' }));
    });

    it('refuses a valid signature over a tampered body or another URL', () => {
      expectRefused(AUTH_TOKEN, request({ ...form, Body: 'tampered' }, { 'x-twilio-signature': signature }));
      expectRefused(AUTH_TOKEN, {
        url: 'https://evil.example/webhooks/twilio/messaging',
        headers: { 'x-twilio-signature': signature },
        body: form,
      });
    });

    it('refuses a request without the X-Twilio-Signature header', () => {
      expectRefused(AUTH_TOKEN, request(form));
      expectRefused(AUTH_TOKEN, request(form, { 'x-twilio-signature': '' }));
    });

    it('refuses everything when the auth token is not set, even a correctly signed request', () => {
      expectRefused(undefined, request(form, { 'x-twilio-signature': signature }));
      expectRefused('', request(form, { 'x-twilio-signature': signature }));
    });
  });

  describe('classifyTwilioError', () => {
    function restException(statusCode: number, code: number, message: string): twilio.RestException {
      return new twilio.RestException({
        statusCode,
        body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}` },
      });
    }

    it('makes a 400 with code 21211 (invalid number) permanent, keeping the code', () => {
      const error = classifyTwilioError(restException(400, 21211, "The 'To' number is not a valid phone number."));
      expect(error).to.be.instanceOf(ProviderError);
      expect(error.permanent).to.equal(true);
      expect(error.providerCode).to.equal('21211');
      expect(error.message).to.include('21211').and.include('not a valid phone number');
    });

    it('makes a 429 (too many requests) retryable', () => {
      const error = classifyTwilioError(restException(429, 20429, 'Too Many Requests'));
      expect(error.permanent).to.equal(false);
      expect(error.providerCode).to.equal('20429');
    });

    it('makes a 503 retryable', () => {
      expect(classifyTwilioError(restException(503, 20503, 'Service unavailable')).permanent).to.equal(false);
    });

    it('makes a network error without an HTTP status retryable', () => {
      const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
      const error = classifyTwilioError(network);
      expect(error).to.be.instanceOf(ProviderError);
      expect(error.permanent).to.equal(false);
      expect(error.message).to.include('ECONNREFUSED');
    });

    it('gives a generic message when the error has none', () => {
      const error = classifyTwilioError({});
      expect(error.permanent).to.equal(false);
      expect(error.message).to.equal('Twilio request failed');
    });
  });

  describe('ChannelRegistry / createChannelRegistry', () => {
    function fakeAdapter(overrides: Partial<Record<keyof WebhookAdapter | 'parseRaw', unknown>> = {}): ChannelAdapter {
      return {
        provider: 'fake',
        kinds: ['email'],
        verify: () => undefined,
        parse: () => [],
        send: async () => ({ providerMessageId: 'x', status: 'sent' }),
        ...overrides,
      } as ChannelAdapter;
    }

    it('gives the Twilio adapter for sms and whatsapp, and the mail adapter for email, nothing for channels no adapter carries yet', () => {
      const registry = createChannelRegistry({ twilio: {}, email: { inboundAddresses: [], from: 'x@localhost' } });
      expect(registry.forChannel('sms')?.provider).to.equal('twilio');
      expect(registry.forChannel('whatsapp')).to.equal(registry.forChannel('sms'));
      expect(registry.forChannel('email')?.provider).to.equal('smtp');
      expect(registry.forChannel('voice')).to.equal(undefined);
      expect(registry.forProvider('twilio')).to.equal(registry.forChannel('sms'));
    });

    it('throws for an unknown provider', () => {
      expect(() =>
        createChannelRegistry({ twilio: {}, email: { inboundAddresses: [], from: 'x@localhost' } }).forProvider('meta'),
      ).to.throw(/meta/);
    });

    it('accepts a complete adapter', () => {
      const adapter = fakeAdapter();
      expect(new ChannelRegistry([adapter]).forChannel('email')).to.equal(adapter);
    });

    it('refuses an adapter missing send, naming it', () => {
      expect(() => new ChannelRegistry([fakeAdapter({ send: undefined })])).to.throw(/fake.*missing send/);
    });

    it('refuses an adapter that can receive nothing: neither verify and parse, nor parseRaw', () => {
      expect(() => new ChannelRegistry([fakeAdapter({ verify: undefined })])).to.throw(
        /missing verify and parse, or parseRaw/,
      );
      expect(() => new ChannelRegistry([fakeAdapter({ parse: 'not a function' })])).to.throw(
        /missing verify and parse, or parseRaw/,
      );
    });

    it('accepts an adapter that parses raw messages instead of webhooks', () => {
      const adapter = fakeAdapter({
        verify: undefined,
        parse: undefined,
        parseRaw: async () => ({ envelopes: [], statuses: [] }),
      });
      const registry = new ChannelRegistry([adapter]);
      expect(registry.rawMessageAdapter('fake')).to.equal(adapter);
      expect(() => registry.webhookAdapter('fake')).to.throw(/receives no webhooks/);
    });

    it('refuses an adapter without a provider name or without channels', () => {
      expect(() => new ChannelRegistry([fakeAdapter({ provider: '' })])).to.throw(/incomplete/);
      expect(() => new ChannelRegistry([fakeAdapter({ kinds: [] })])).to.throw(/incomplete/);
    });
  });
});
