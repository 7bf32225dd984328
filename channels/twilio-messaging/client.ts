import twilio from 'twilio';

export interface TwilioCredentials {
  accountSid?: string;
  authToken?: string;
  /** Another base URL for the REST API (a local mock built from Twilio's OpenAPI description). */
  apiBaseUrl?: string;
}

export const TWILIO_API = 'https://api.twilio.com';

/** Where the REST API answers: TWILIO_API_BASE_URL (a local stand-in) without its trailing slashes, or Twilio's own. */
export function twilioApiBase(credentials: TwilioCredentials): string {
  return credentials.apiBaseUrl?.replace(/\/+$/, '') || TWILIO_API;
}

/**
 * The twilio package's own client, optionally pointed at another base URL. The SDK has no setting
 * for that, so a thin request client rewrites the host of each call and leaves the rest to the SDK.
 */
export function createTwilioClient(credentials: TwilioCredentials): twilio.Twilio | undefined {
  if (!credentials.accountSid || !credentials.authToken) return undefined;
  const base = twilioApiBase(credentials);
  const options: twilio.ClientOpts = { autoRetry: false };
  if (base !== TWILIO_API) {
    const inner = new twilio.RequestClient({ timeout: 10_000 });
    const rewriting = Object.create(inner) as twilio.RequestClient;
    rewriting.request = (request) => inner.request({ ...request, uri: request.uri.replace(TWILIO_API, base) });
    options.httpClient = rewriting;
  }
  return twilio(credentials.accountSid, credentials.authToken, options);
}
