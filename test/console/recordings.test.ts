import { expect } from 'chai';
import { buildConsole } from '../../web/build.mjs';
import { AUTH_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { silentMp3, startTwilioMedia } from '../support/twilio-media-fake.js';
import { ACCOUNT_SID } from '../support/twilio-payloads.js';
import { recordComplaint } from '../support/recorded-call.js';
import { recordingSid } from '../support/twilio-voice-payloads.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * A caller's recorded complaint played in the ticket's timeline (issue 14), in Chromium against the
 * real server, the recording's MP3 served by a local stand-in for Twilio's media URLs.
 */
describe("Console: a call's recording played on the ticket's timeline", function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  let twilio: Awaited<ReturnType<typeof startTwilioMedia>>;
  const problems: string[] = [];

  before(async () => {
    await buildConsole();
    twilio = await startTwilioMedia(AUTH_TOKEN);
    server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await twilio?.close();
  });

  it('fetches the recording with the agent token when asked, and plays it in an audio player', async () => {
    const sid = recordingSid();
    twilio.recordings.set(sid, silentMp3(2));
    const ticketId = await recordComplaint(
      server,
      '+6285399000123',
      `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${sid}`,
    );

    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await page.goto(`${server.baseUrl}/console/tickets/${ticketId}`);
    const play = page.getByRole('button', { name: `Putar rekaman ${sid}.wav` });
    await play.waitFor();
    expect(
      twilio.requests.filter((request) => request.path.includes(sid)),
      'fetched before asked',
    ).to.have.length(0);
    await play.click();

    const audio = page.locator(`audio[aria-label="Rekaman ${sid}.wav"]`);
    await audio.waitFor({ state: 'attached' });
    expect(await audio.getAttribute('src')).to.match(/^blob:/);
    // Decoded by the browser: the two seconds of the MP3, not an error page's bytes.
    await page.waitForFunction(
      (label) =>
        ((document.querySelector(`audio[aria-label="${label}"]`) as HTMLAudioElement | null)?.readyState ?? 0) >= 1,
      `Rekaman ${sid}.wav`,
    );
    const duration = await audio.evaluate((element: HTMLAudioElement) => element.duration);
    expect(duration).to.be.within(1.5, 2.5);
    expect(twilio.requests.filter((request) => request.path.includes(sid))).to.have.length(1);
    expect(await seriousViolations(page)).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
