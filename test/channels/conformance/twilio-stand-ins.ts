import twilio from 'twilio';
import type { WebhookRequest } from '../../../channels/adapter.js';
import { freePort } from '../../support/free-port.js';
import { startScriptedTwilio, type ScriptedReply } from '../../support/twilio-error-server.js';
import { twilioMockUrl } from '../../support/twilio-mock.js';
import { ACCOUNT_SID } from '../../support/twilio-payloads.js';
import type { FailureCase, ProviderEndpoint } from './contract.js';

/** What the Twilio factories share: credentials, Twilio's signing, and the stand-ins for its REST API. */
export const AUTH_TOKEN = '12345678901234567890123456789012';
export const TWILIO_CREDENTIALS = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };
export const RECEIVED_AT = new Date('2026-11-22T06:20:51.000Z');
export const CITIZEN = '+6281234567890';

/** A Twilio SID of the kinds given (SM|MM, CA): two letters and 32 hex digits. */
export const sidPattern = (prefix: string): RegExp => new RegExp(`^(?:${prefix})[0-9a-fA-F]{32}$`);

export function signedByTwilio(request: WebhookRequest, secret = AUTH_TOKEN): WebhookRequest {
  const signature = twilio.getExpectedTwilioSignature(secret, request.url, request.body as Record<string, string>);
  return { ...request, headers: { ...request.headers, 'x-twilio-signature': signature } };
}

/** Prism serving Twilio's OpenAPI description: fresh SIDs, and a request breaking the contract fails. */
export async function twilioSandbox(): Promise<ProviderEndpoint> {
  return { url: await twilioMockUrl(), close: async () => undefined }; // one Prism per test process
}

function scripted(reply: ScriptedReply): () => Promise<ProviderEndpoint> {
  return async () => {
    const server = await startScriptedTwilio([reply]);
    return { url: server.url, close: server.close };
  };
}

/** Twilio's REST API failing as it does: its error format, its codes, and a connection that nobody answers. */
export const TWILIO_FAILURES: FailureCase[] = [
  {
    name: 'invalid number (400, 21211)',
    permanent: true,
    code: '21211',
    provider: scripted({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }),
  },
  {
    name: 'recipient opted out (400, 21610)',
    permanent: true,
    code: '21610',
    provider: scripted({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }),
  },
  {
    name: 'rate limited (429, 20429)',
    permanent: false,
    code: '20429',
    provider: scripted({ status: 429, code: 20429, message: 'Too Many Requests' }),
  },
  {
    name: 'Twilio outage (503, 20503)',
    permanent: false,
    code: '20503',
    provider: scripted({ status: 503, code: 20503, message: 'Service Unavailable' }),
  },
  {
    name: 'connection refused',
    permanent: false,
    provider: async () => ({ url: `http://127.0.0.1:${await freePort()}`, close: async () => undefined }),
  },
];
