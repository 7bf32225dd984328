import { Readable } from 'node:stream';
import { ProviderError, type ProviderMedia } from '../adapter.js';
import { TWILIO_API, twilioApiBase, type TwilioCredentials } from './client.js';

/** Twilio answers a recording's bytes within seconds; a stalled one is given up, the agent may retry. */
const FETCH_TIMEOUT_MS = 30_000;

/**
 * The paths of the files Twilio keeps for an account: a call's recording, a message's media. Only
 * these are fetched, with our credentials, so that a URL in a row can never make us send them to
 * another host or read another of the account's resources.
 */
const RECORDING = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})$/;
const MESSAGE_MEDIA = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\/(MM[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})$/;

/**
 * A recording (as MP3: a tenth of the WAV Twilio gives by default, and played by every browser) or
 * an MMS picture, fetched from Twilio's REST API with HTTP Basic authentication, as Twilio's docs
 * ask. Media answers redirect to Twilio's storage; fetch drops our Authorization header across
 * origins (the fetch standard), so the credentials go to api.twilio.com only.
 */
export async function fetchTwilioMedia(
  credentials: TwilioCredentials,
  url: string,
): Promise<ProviderMedia | undefined> {
  const { accountSid, authToken } = credentials;
  if (!accountSid || !authToken) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.origin !== TWILIO_API || parsed.search || parsed.hash) return undefined;
  const recording = RECORDING.exec(parsed.pathname);
  const media = recording ? undefined : MESSAGE_MEDIA.exec(parsed.pathname);
  const account = recording?.[1] ?? media?.[1];
  if (account !== accountSid) return undefined;

  const target = `${twilioApiBase(credentials)}${parsed.pathname}${recording ? '.mp3' : ''}`;
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderError(`Twilio could not be reached for the file: ${(error as Error).message}`, false);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ProviderError(`Twilio answered ${response.status} for the file`, false, String(response.status));
  }
  const length = Number(response.headers.get('content-length'));
  return {
    body: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    contentType: recording ? 'audio/mpeg' : response.headers.get('content-type'),
    sizeBytes: Number.isFinite(length) && length > 0 ? length : null,
    ...(recording ? { extension: 'mp3' } : {}),
  };
}
