import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { VOICE, callForm, callSid } from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, openConsole, seriousViolations, signIn } from './console-support.js';

// Tuesday 1 December 2026, 10:00 WITA: the default calendar is open, so the call-back is due today.
const TUESDAY_10 = new Date('2026-12-01T02:00:00Z');
const AGENT = { email: 'dewi.callback@dpmptsp.example.go.id', password: 'sandi-panggilan-5678' };
const AGENT_PHONE = '+6281300000333';

/**
 * Call-backs in the console (issue 14): a citizen hung up in the menu, the server made a call-back
 * task; the agent finds it under "Panggilan balik", presses Call (Twilio's Calls API, the local
 * mock, rings the agent's phone), and records how the call went; a finished task leaves the list.
 */
describe('Console: call-backs', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;
  const problems: string[] = [];

  before(async () => {
    await buildConsole();
    server = await startTestServer(
      { TWILIO_VOICE_FROM: '+6254112345678', ROUTING_PASS_INTERVAL_MS: '3600000' },
      { now: () => TUESDAY_10 },
    );
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...AGENT, name: 'Dewi Panggilan', role: 'agent', teams: [1], phone: AGENT_PHONE },
      201,
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A citizen hangs up in the menu; the call-back pass makes its task. */
  async function missedCall(phone: string): Promise<{ taskId: number; ticketId: number }> {
    const sid = callSid();
    const form = callForm(sid, phone, { CallStatus: 'completed', CallDuration: '7' });
    expect((await server.postTwilio(`${VOICE}/status`, form)).status).to.equal(200);
    const taskId = await waitFor(`the call-back of ${sid}`, async () => {
      await server.runtime.callbacks!.runOnce();
      const call = await server.runtime.db('calls').where({ call_sid: sid }).first('task_id');
      return call?.task_id ? Number(call.task_id) : undefined;
    });
    const task = (await (await server.api(`/api/v1/tasks/${taskId}`)).json()) as { data: { ticket: { id: number } } };
    return { taskId, ticketId: task.data.ticket.id };
  }

  it('lists the call-back, rings the agent through Twilio, takes the outcome, and drops the finished task', async () => {
    const { taskId, ticketId } = await missedCall('+6285400000777');
    const page: Page = await openConsole(browser, server, problems);
    page.setDefaultTimeout(20_000); // three test runs share the machine in CI
    await signIn(page, AGENT);
    await page.getByRole('link', { name: 'Panggilan balik' }).click();
    await page.getByRole('heading', { name: 'Panggilan balik', level: 1 }).waitFor();
    const row = page.locator(`tr[data-task="${taskId}"]`);
    await row.waitFor();
    expect(await row.textContent()).to.contain('+6285400000777');
    expect(await seriousViolations(page)).to.deep.equal([]);

    await row.getByRole('button', { name: 'Telepon' }).click();
    await row.getByRole('status').filter({ hasText: 'Telepon Anda akan berdering' }).waitFor();
    const call = await waitFor('the call to the agent placed', async () => {
      const row = await server.runtime
        .db('calls')
        .where({ task_id: taskId, direction: 'callback' })
        .first('call_sid', 'agent_id');
      return row as { call_sid: string; agent_id: number } | undefined;
    });
    expect(String(call.call_sid)).to.match(/^CA/);

    await row.getByLabel('Hasil panggilan').selectOption('reached');
    await row.getByLabel('Catatan').fill('Sudah dijelaskan syarat izin reklame');
    await row.getByRole('button', { name: 'Simpan hasil' }).click();
    await waitFor('the finished task gone from the list', async () => (await row.count()) === 0);
    const task = (await (await server.api(`/api/v1/tasks/${taskId}`)).json()) as { data: Record<string, unknown> };
    expect(task.data).to.deep.include({
      status: 'done',
      outcome: 'reached',
      note: 'Sudah dijelaskan syarat izin reklame',
    });

    // The ticket is one click away from the task, and the page is in English too.
    const again = await missedCall('+6285400000778');
    await page.reload();
    await page.getByRole('heading', { name: 'Panggilan balik', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Call-backs', level: 1 }).waitFor();
    await page.locator(`tr[data-task="${again.taskId}"]`).getByRole('link').click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'SP-' }).waitFor();
    expect(page.url()).to.match(new RegExp(`/console/tickets/${again.ticketId}$`));
    expect(ticketId).to.not.equal(again.ticketId);
    expect(problems).to.deep.equal([]);
  });
});
