import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, WebhookAdapter, WebhookRequest } from '../../../channels/adapter.js';
import { createWebchatAdapter, signChatRequest } from '../../../channels/webchat/adapter.js';
import type { AdapterFactory, ProviderEndpoint } from './contract.js';

const KEY = Buffer.from('conformance-webchat-signing-key-0123456789', 'utf8');
const URL = 'webchat:messages';
const SESSION = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CLIENT = 'b3a1c2d4-0000-4000-8000-000000000001';
const AT = '2026-12-02T02:00:00.000Z';

const request = (body: Record<string, unknown>): WebhookRequest => ({ url: URL, headers: {}, body });
const sample = (extra: Record<string, unknown> = {}) =>
  request({ sessionId: SESSION, clientId: CLIENT, text: 'Izin usaha saya belum terbit', receivedAt: AT, ...extra });

function sign(target: WebhookRequest, secret?: string): WebhookRequest {
  const key = secret === undefined ? KEY : Buffer.from(secret);
  return { ...target, headers: { ...target.headers, 'x-webchat-signature': signChatRequest(key, target) } };
}

async function received(adapter: ChannelAdapter, body: WebhookRequest) {
  const signed = sign(body);
  (adapter as WebhookAdapter).verify(signed);
  return (adapter as WebhookAdapter).parse(signed);
}

/** No remote provider: the chat API itself. An "endpoint" only means the adapter is configured. */
const local = async (): Promise<ProviderEndpoint> => ({ url: 'webchat:local', close: async () => undefined });

/** The web chat (channels/webchat): messages the chat API vouches for, replies recorded for the visitor's stream. */
export const webchatFactory: AdapterFactory = {
  name: 'channels/webchat',
  provider: 'webchat',
  create: (endpoint) => createWebchatAdapter({ signingKey: KEY, enabled: Boolean(endpoint) }),
  signing: {
    sample: () => sample(),
    sign,
    createWithoutSecret: () => createWebchatAdapter({}),
  },
  fixtures: [
    {
      name: 'an anonymous visitor’s message',
      read: (adapter) => received(adapter, sample()),
      expected: [
        {
          channel: 'webchat',
          provider: 'webchat',
          externalId: `${SESSION}:${CLIENT}`,
          kind: 'message',
          from: { webchatSession: SESSION, name: undefined, phone: undefined, email: undefined },
          text: 'Izin usaha saya belum terbit',
          attachments: [],
          receivedAt: AT,
        },
      ],
    },
    {
      name: 'a visitor who gave a name, phone and email',
      read: (adapter) =>
        received(
          adapter,
          sample({ name: 'Sari', phone: '+6281234567890', email: 'sari@example.id', text: ' <b>x</b> ' }),
        ),
      expected: [
        {
          from: { webchatSession: SESSION, name: 'Sari', phone: '+6281234567890', email: 'sari@example.id' },
          text: '<b>x</b>',
        },
      ],
    },
  ],
  statuses: [],
  malformed: [
    {
      name: 'no session id',
      read: async (adapter) =>
        (adapter as WebhookAdapter).parse(request({ clientId: CLIENT, text: 'x', receivedAt: AT })),
    },
    { name: 'an empty text', read: async (adapter) => (adapter as WebhookAdapter).parse(sample({ text: '   ' })) },
    {
      name: 'a clientId that is no id',
      read: async (adapter) => (adapter as WebhookAdapter).parse(sample({ clientId: 'a b' })),
    },
  ],
  send: {
    provider: local,
    attempt: async (adapter) => {
      const result = await adapter.send({ channel: 'webchat', to: randomUUID(), body: 'Baik, kami periksa.' });
      return { providerId: result.providerMessageId, status: result.status };
    },
    idPattern: /^webchat-[0-9a-f-]{36}$/,
  },
  refused: [{ channel: 'sms', to: '+6281234567890', body: 'Not a chat' }],
  // Nothing remote can fail: a reply is recorded, and the visitor's stream reads the record.
  failures: [],
  sendsLocally: true,
};
