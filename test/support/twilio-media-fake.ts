import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT_SID } from './twilio-payloads.js';

/**
 * A stand-in for the files Twilio keeps: a recording's audio (`/2010-04-01/Accounts/{AC}/Recordings/
 * {RE}.mp3`, the MP3 Twilio gives when `.mp3` is appended), answered only with HTTP Basic
 * authentication as the account's SID and auth token, and Twilio's JSON 404 for what it does not
 * have. Prism cannot serve these: Twilio's OpenAPI description has the recording's metadata, not
 * its bytes. Every request is kept, so a test can tell what was asked and with which credentials.
 */
export async function startTwilioMedia(authToken: string): Promise<{
  url: string;
  recordings: Map<string, Buffer>;
  requests: Array<{ path: string; authorization: string | undefined }>;
  /** While set, every request is answered with this status (Twilio having a bad minute). */
  failWith: { status: number | null };
  close(): Promise<void>;
}> {
  const recordings = new Map<string, Buffer>();
  const requests: Array<{ path: string; authorization: string | undefined }> = [];
  const failWith = { status: null as number | null };
  const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${authToken}`).toString('base64')}`;
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://twilio.local').pathname;
    requests.push({ path, authorization: request.headers.authorization });
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (failWith.status) return json(failWith.status, { code: 20500, message: 'Internal Server Error', status: 500 });
    if (request.headers.authorization !== expected)
      return json(401, { code: 20003, message: 'Authentication Error - invalid username', status: 401 });
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})\.mp3$/.exec(path);
    const audio = match && match[1] === ACCOUNT_SID ? recordings.get(match[2]!) : undefined;
    if (!audio)
      return json(404, {
        code: 20404,
        message: `The requested resource ${path} was not found`,
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) });
    response.end(audio);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    recordings,
    requests,
    failWith,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `seconds` of silence as MPEG-1 Layer III, mono, 44.1 kHz, 128 kbit/s: frames of a header
 * (FF FB 90 C0) and zeroed side information and data, which decoders play as silence. A real MP3
 * a browser decodes, made here rather than kept as a binary fixture.
 */
export function silentMp3(seconds: number): Buffer {
  const frameBytes = Math.floor((144 * 128_000) / 44_100); // 417
  const frames = Math.ceil((seconds * 44_100) / 1152);
  const frame = Buffer.alloc(frameBytes);
  frame.set([0xff, 0xfb, 0x90, 0xc0]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}
