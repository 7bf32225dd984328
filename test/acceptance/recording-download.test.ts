import { expect } from 'chai';
import { AUTH_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { startTwilioMedia, silentMp3 } from '../support/twilio-media-fake.js';
import { ACCOUNT_SID } from '../support/twilio-payloads.js';
import { recordComplaint } from '../support/recorded-call.js';
import { callSid, recordingSid } from '../support/twilio-voice-payloads.js';

interface Attachment {
  id: number;
  storage: string;
  content_type: string | null;
  download_url: string | null;
}

/**
 * A call's recording stays at Twilio; GET /api/v1/attachments/{id} fetches it for an agent who may
 * see the ticket, with the server's credentials, from a local server that answers as Twilio's media
 * URLs do (Basic authentication, `.mp3`, JSON 404).
 */
describe("Attachments: a call's recording fetched from Twilio for the agent", function () {
  this.timeout(60_000);
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startTwilioMedia>>;
  let seq = 0;

  before(async () => {
    twilio = await startTwilioMedia(AUTH_TOKEN);
    server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url });
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });
  afterEach(() => {
    twilio.failWith.status = null;
  });

  /** A caller leaves a complaint by voice at this URL; the attachment the ticket shows for it. */
  async function recordedComplaint(recordingUrl: string): Promise<Attachment> {
    const phone = `+6285311${String(Date.now() % 10_000).padStart(4, '0')}${String(seq++).padStart(2, '0')}`;
    const ticketId = await recordComplaint(server, phone, recordingUrl);
    const view = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { messages: Array<{ kind: string; attachments: Attachment[] }> };
    };
    const attachment = view.data.messages.find((message) => message.kind === 'voicemail')?.attachments[0];
    expect(attachment?.storage).to.equal('provider');
    return attachment!;
  }
  const twilioRecordingUrl = (sid: string) =>
    `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${sid}`;

  it('streams the MP3 with our credentials, inline and sandboxed, named after the recording', async () => {
    const sid = recordingSid();
    const audio = silentMp3(3);
    twilio.recordings.set(sid, audio);
    const attachment = await recordedComplaint(twilioRecordingUrl(sid));
    expect(attachment.download_url).to.equal(`/api/v1/attachments/${attachment.id}`);

    const response = await server.api(attachment.download_url!);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('audio/mpeg');
    expect(response.headers.get('content-disposition')).to.equal(
      `inline; filename="${sid}.mp3"; filename*=UTF-8''${sid}.mp3`,
    );
    expect(response.headers.get('content-security-policy')).to.include('sandbox');
    expect(response.headers.get('cache-control')).to.equal('private, no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(audio)).to.equal(true);
    const asked = twilio.requests.filter((request) => request.path.includes(sid));
    expect(asked.map((request) => request.path)).to.deep.equal([
      `/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${sid}.mp3`,
    ]);
    expect(asked[0]!.authorization).to.equal(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  });

  it('is a 404 JSON when Twilio no longer has it, and a 503 JSON naming Twilio when Twilio fails', async () => {
    const gone = await recordedComplaint(twilioRecordingUrl(recordingSid()));
    const missing = await server.api(gone.download_url!);
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('not_found');

    const sid = recordingSid();
    twilio.recordings.set(sid, silentMp3(1));
    const kept = await recordedComplaint(twilioRecordingUrl(sid));
    twilio.failWith.status = 500;
    const failing = await server.api(kept.download_url!);
    expect(failing.status).to.equal(503);
    const body = (await failing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('unavailable');
    expect(body.error.message).to.include('twilio-voice').and.include('500');
  });

  it("never fetches a URL that is not one of the account's Twilio files", async () => {
    // The calls' acknowledgements go by SMS to the same host: only file requests count here.
    const fileRequests = () => twilio.requests.filter((request) => !request.path.endsWith('/Messages.json')).length;
    const asked = fileRequests();
    for (const url of [
      'https://evil.example/2010-04-01/Accounts/x/Recordings/y',
      `https://api.twilio.com/2010-04-01/Accounts/AC${'b2'.repeat(16)}/Recordings/${recordingSid()}`,
      `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${callSid()}`,
    ]) {
      const attachment = await recordedComplaint(url);
      expect((await server.api(attachment.download_url!)).status, url).to.equal(404);
    }
    expect(fileRequests(), 'file requests to Twilio').to.equal(asked);
  });
});
