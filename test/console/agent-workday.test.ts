import { fromJson } from '../../src/db/rows.js';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, inboundTicket, openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * The console slices an agent needs all day (issue 14), in Chromium against the real server: the
 * SLA countdown, the ticket's actions with their shortcuts, canned responses, the channel and
 * WhatsApp's window. Each test makes its own tickets (each citizen its own number) and its own tab.
 */
describe('Agent console: a working day in the browser', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: TestBrowser;
  let frontDesk: number;
  let agency: number;
  const problems: string[] = [];
  const sari = { email: 'sari@dpmptsp.example.go.id', password: 'sari-password-123' };
  let sariId: number;
  let phone = 6281299980000;
  /** A citizen of their own for each ticket: one number writing twice would thread into one ticket. */
  const nextPhone = () => {
    phone += 1;
    return `+${phone}`;
  };

  before(async () => {
    await buildConsole();
    server = await startTestServer();
    browser = await launchBrowser();
    // Open round the clock, no holiday: the countdowns move whatever the hour the suite runs at.
    const calendar = await server.runtime.db('calendars').where({ slug: 'default' }).first('id');
    await server.runtime.db('calendar_holidays').where({ calendar_id: calendar.id }).delete();
    const allDay = [['00:00', '24:00']];
    await adminCall(
      server,
      'PATCH',
      `/api/v1/calendars/${calendar.id}`,
      { weekly_hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay])) },
      200,
    );
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    agency = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/teams',
        { slug: 'dinas-pupr', name: 'Dinas PUPR' },
        201,
      )
    ).data.id;
    sariId = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/agents',
        { ...sari, name: 'Sari Dewi', role: 'agent', teams: [frontDesk] },
        201,
      )
    ).data.id;
  });
  // A tab holds an event stream, and Chromium opens at most 6 connections to one host: each test's closes.
  afterEach(async () => {
    for (const open of browser.context.pages()) await open.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openTicket(page: Page, ticket: { id: number; reference: string }): Promise<void> {
    await page.goto(`${server.baseUrl}/console/tickets/${ticket.id}`); // a deep link: the tab keeps its session
    await page.getByRole('heading', { name: new RegExp(ticket.reference) }).waitFor();
  }
  const ticketRow = (id: number) => server.runtime.db('tickets').where({ id }).first();

  it('counts the next SLA deadline down in working time, in words and colour, and flips to breached live', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await page.getByRole('button', { name: 'Semua tiket' }).click();
    const ticket = await inboundTicket(server, nextPhone(), 'Berapa lama izin PBG selesai?');
    const row = page.locator(`[data-ticket-id="${ticket.id}"]`);
    const badge = row.locator('.sla');
    await badge.waitFor();
    // The chat channels' policy: the first response within 60 working minutes.
    expect(await badge.getAttribute('data-sla')).to.equal('ok');
    // Settled: on sqlite3 the first render of the arriving row has once read otherwise for a moment
    // (not understood; the next read, 50 ms on, is right and stays so).
    const counting = /^Sesuai tenggat · Respons pertama: (59 menit|1 jam) kerja lagi$/;
    await waitFor('the badge counting down', async () => counting.test((await badge.textContent()) ?? ''));
    expect(await row.locator('[data-channel]').textContent()).to.equal('SMS');
    expect(await seriousViolations(page), 'the queue with its badges').to.deep.equal([]);

    // The deadline moved near (as if the hour had passed): warned now, breached in 4 s, no reload.
    const due = new Date(Date.now() + 4_000);
    const warn = new Date(Date.now() - 1_000);
    await server.runtime.db('sla_clocks').where({ ticket_id: ticket.id, kind: 'first_response' }).update({
      due_at: due,
      warn_at: warn,
    });
    await server.runtime.db('tickets').where({ id: ticket.id }).update({ sla_due_at: due, sla_warn_at: warn });
    await page.reload();
    await page.getByRole('button', { name: 'Semua tiket' }).click();
    await row.locator('.sla[data-sla="warning"]').waitFor();
    expect(await badge.textContent()).to.match(/^Hampir lewat · Respons pertama: 1 menit kerja lagi$/);
    await page.evaluate(() => {
      (window as unknown as { samePage: boolean }).samePage = true;
    });
    await row.locator('.sla[data-sla="breached"]').waitFor({ timeout: 15_000 });
    expect(await badge.textContent()).to.match(/^Terlambat · Respons pertama: lewat 1 menit kerja$/);
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).to.equal(true);
    expect(await seriousViolations(page), 'a breached badge').to.deep.equal([]);
    // The overdue filter: the breached ticket alone, not the one still on time.
    const onTime = await inboundTicket(server, nextPhone(), 'Masih tepat waktu.');
    await page.locator(`[data-ticket-id="${onTime.id}"]`).waitFor();
    await page.getByLabel('Hanya yang terlambat').check();
    await page.locator(`[data-ticket-id="${onTime.id}"]`).waitFor({ state: 'detached' });
    expect(await row.locator('.sla').getAttribute('data-sla')).to.equal('breached');
    await page.getByLabel('Hanya yang terlambat').uncheck();

    // In the ticket view: the same badge, and every clock with how it stands.
    await row.getByRole('link').click();
    await page.locator('.facts .sla[data-sla="breached"]').waitFor();
    expect(await page.locator('[data-clock="first_response"]').textContent()).to.match(/^Respons pertama: /);
  });

  it("shows a clock paused while the ticket waits on the citizen's clarification", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const ticket = await inboundTicket(server, nextPhone(), 'Minta salinan dokumen AMDAL.');
    // An information request (UU KIP): resolved within 10 working days; a clarification pauses it.
    await adminCall(server, 'PATCH', `/api/v1/tickets/${ticket.id}`, { category: 'information_request' }, 200);
    await openTicket(page, ticket);
    const badge = page.locator('.facts .sla');
    await page.locator('.facts .sla[data-sla="ok"]').waitFor();
    expect(await badge.textContent()).to.match(/^Sesuai tenggat · Penyelesaian: \d+ jam kerja lagi$/);
    await page.keyboard.press('l');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('clarify-body');
    await page.keyboard.type('Mohon sebutkan nama kegiatan dan lokasinya.');
    await page.getByRole('button', { name: 'Kirim permintaan klarifikasi' }).click();
    await page.getByText('Permintaan klarifikasi dikirim; tiket menunggu warga.').waitFor();
    await page.locator('.facts .sla[data-sla="paused"]').waitFor();
    expect(await badge.textContent()).to.equal('Dijeda: menunggu warga');
    expect(await page.locator('[data-clock="resolution"]').textContent()).to.equal(
      'Penyelesaian: Dijeda: menunggu warga',
    );
    await page.locator('[data-event="clarification_requested"]').getByText('Klarifikasi diminta dari warga').waitFor();
    expect((await ticketRow(ticket.id)).status).to.equal('pending_citizen');
    const asked = await waitFor('clarification sent', async () => {
      const message = await server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
        .first();
      return message?.provider_message_id ? message : undefined;
    });
    expect(asked.body).to.include('Mohon sebutkan nama kegiatan dan lokasinya.');
  });

  it("takes, classifies and transfers a ticket by keyboard, showing the API's refusals in words", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page, sari);
    const ticket = await inboundTicket(server, nextPhone(), 'Jalan rusak depan kantor kelurahan.');
    await openTicket(page, ticket);
    expect(await page.locator('[data-assignee]').textContent()).to.equal('Belum ditangani');
    await page.keyboard.press('a');
    await page.getByText('Tiket ini sekarang Anda tangani.').waitFor();
    expect(await page.locator('[data-assignee]').textContent()).to.equal('Anda');
    expect(Number((await ticketRow(ticket.id)).assignee_id)).to.equal(sariId);

    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('classify-category');
    await page.getByLabel('Kategori').selectOption('information_request');
    await page.getByLabel('Jenis maladministrasi').selectOption('undue_delay');
    await page.getByRole('button', { name: 'Simpan klasifikasi' }).click();
    // Refused by the API (a complaint type needs a complaint), said in Indonesian, its message after.
    const refusal = page.locator('[role=alert][data-code="complaint_type_needs_complaint"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.match(
      /^Ditolak: Jenis maladministrasi hanya untuk tiket berkategori pengaduan\. \(Pesan server: .+\)$/,
    );
    await page.getByLabel('Kategori').selectOption('complaint');
    await page.getByRole('button', { name: 'Simpan klasifikasi' }).click();
    await page.getByText('Klasifikasi disimpan.').waitFor();
    expect(await ticketRow(ticket.id)).to.include({ category: 'complaint', complaint_type: 'undue_delay' });
    expect(await seriousViolations(page), 'the ticket page with its actions').to.deep.equal([]);

    await page.keyboard.press('t');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('transfer-team');
    await page.getByLabel('Tim tujuan').selectOption({ label: 'Dinas PUPR' });
    await page.getByLabel('Catatan disposisi').fill('Kewenangan Dinas PUPR: perbaikan jalan.');
    await page.getByRole('button', { name: 'Disposisikan' }).click();
    await page.getByText('Tiket didisposisikan.').waitFor();
    // The front-desk agent no longer sees the OPD's ticket: said so, not shown as an error.
    await page.getByText('Tiket ini tidak lagi dapat Anda lihat').waitFor();
    expect(await ticketRow(ticket.id)).to.include({ team_id: agency, status: 'pending_agency' });
    const note = await server.runtime.db('messages').where({ ticket_id: ticket.id, internal: true }).first('body');
    expect(note.body).to.include('Kewenangan Dinas PUPR: perbaikan jalan.');
  });

  it('says in words that a ticket another agent took meanwhile cannot be taken', async () => {
    const rina = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/agents',
        {
          email: 'rina@dpmptsp.example.go.id',
          password: 'rina-password-123',
          name: 'Rina',
          role: 'agent',
          teams: [frontDesk],
        },
        201,
      )
    ).data.id;
    const page = await openConsole(browser, server, problems);
    await signIn(page, sari);
    const ticket = await inboundTicket(server, nextPhone(), 'Cara cek status NIB?');
    await openTicket(page, ticket);
    // Meanwhile a supervisor gives it to Rina; Sari, still looking at it, takes it.
    await adminCall(server, 'POST', `/api/v1/tickets/${ticket.id}/assign`, { agent_id: rina }, 200);
    await page.getByRole('button', { name: 'Ambil tiket ini' }).click();
    const refusal = page.locator('[role=alert][data-code="already_assigned"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.match(
      /^Ditolak: Tiket ini sudah ditangani agen lain\. \(Pesan server: .+\)$/,
    );
    expect(Number((await ticketRow(ticket.id)).assignee_id)).to.equal(rina);
  });

  it('resolves and reopens a ticket with s and o, and says why reopening an open one is refused', async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const ticket = await inboundTicket(server, nextPhone(), 'Terima kasih, sudah beres.');
    await openTicket(page, ticket);
    await page.keyboard.press('o'); // an open ticket: the API refuses, the console says so
    await page.locator('[role=alert][data-code="invalid_transition"]').waitFor();
    expect(await page.locator('[role=alert][data-code="invalid_transition"]').textContent()).to.match(
      /^Ditolak: Tindakan ini tidak dapat dilakukan pada status tiket sekarang\./,
    );
    await page.keyboard.press('s');
    await page.locator('[data-status="resolved"]').waitFor();
    await page.getByText('Tiket diselesaikan.').waitFor();
    await page.getByRole('button', { name: 'Buka kembali' }).waitFor();
    await page.keyboard.press('o');
    await page.getByText('Tiket dibuka kembali.').waitFor();
    await page.locator('[data-status="open"], [data-status="new"]').waitFor();
    expect((await ticketRow(ticket.id)).status).to.be.oneOf(['open', 'new']);
  });

  it("merges a ticket into the same citizen's other ticket, named by its reference number", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const duplicate = await inboundTicket(server, nextPhone(), 'Izin reklame saya belum keluar.');
    const stranger = await inboundTicket(server, nextPhone(), 'Izin reklame tetangga saya.');
    const original = await inboundTicket(server, nextPhone(), 'Izin reklame atas nama toko kami belum keluar.');
    // The same citizen, known by two numbers (the contact merge is another story): one contact.
    const { contact_id: citizen } = await ticketRow(duplicate.id);
    await server.runtime.db('tickets').where({ id: original.id }).update({ contact_id: citizen });
    await openTicket(page, duplicate);
    await page.keyboard.press('g');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('merge-reference');
    await page.keyboard.type('SP-000-000-000');
    await page.getByRole('button', { name: 'Gabungkan', exact: true }).click();
    await page.getByText('Tidak ada tiket dengan nomor referensi itu yang dapat Anda lihat.').waitFor();
    await page.getByLabel('Nomor referensi tiket tujuan').fill(stranger.reference);
    await page.getByRole('button', { name: 'Gabungkan', exact: true }).click();
    await page.locator('[role=alert][data-code="different_contact"]').waitFor();
    expect(await page.locator('[role=alert][data-code="different_contact"]').textContent()).to.match(
      /^Ditolak: Hanya tiket dari warga yang sama yang dapat digabungkan\./,
    );
    await page.getByLabel('Nomor referensi tiket tujuan').fill(original.reference);
    await page.getByRole('button', { name: 'Gabungkan', exact: true }).click();
    await page.getByText('Tiket ini sudah digabungkan ke tiket lain.').waitFor();
    expect(Number((await ticketRow(duplicate.id)).merged_into_id)).to.equal(original.id);
    expect((await ticketRow(stranger.id)).merged_into_id).to.equal(null);
    await page.getByRole('button', { name: 'Buka tiket tujuan' }).click();
    await page.getByRole('heading', { name: new RegExp(original.reference) }).waitFor();
  });

  it("fills a canned response's placeholders into the reply box, to edit and send", async () => {
    const canned = await adminCall<{ data: { id: number } }>(
      server,
      'POST',
      '/api/v1/canned-responses',
      {
        name: 'Tanda terima',
        language: 'id',
        body: 'Halo {{citizen_name}}, laporan {{reference}} sudah kami terima. Salam, {{agent_name}} ({{office_name}}).',
      },
      201,
    );
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const from = nextPhone();
    const ticket = await inboundTicket(server, from, 'Saya mau lapor pungutan liar.');
    await openTicket(page, ticket);
    await page.getByLabel('Jawaban siap pakai').selectOption({ label: 'Tanda terima (id)' });
    await page.getByText('Jawaban siap pakai dimasukkan; periksa sebelum mengirim.').waitFor();
    const box = page.getByLabel('Balasan kepada warga');
    const filled = await box.inputValue();
    expect(filled).to.match(
      new RegExp(`^Halo Bapak/Ibu, laporan ${ticket.reference} sudah kami terima\\. Salam, .+ \\(.+\\)\\.$`),
    );
    expect(filled).to.not.include('{{');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('reply');
    await page.keyboard.press('End');
    await page.keyboard.type(' Kami tindak lanjuti.');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await page.getByText('Balasan masuk antrean kirim.').waitFor();
    const sent = await waitFor('canned reply sent', async () => {
      const row = await server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
        .first();
      return row?.provider_message_id ? row : undefined;
    });
    expect(sent).to.include({ channel: 'sms', address: from });
    expect(sent.body).to.include(`${filled} Kami tindak lanjuti.`);
    // The audit trail names the canned response the edited text came from.
    const queued = await server.runtime
      .db('ticket_events')
      .where({ ticket_id: ticket.id, type: 'reply_queued' })
      .first('data');
    expect(fromJson<Record<string, unknown>>(queued.data)).to.include({ canned_response_id: canned.data.id });
  });

  it("shows the channel and WhatsApp's 24-hour window, and offers SMS once it has closed", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const from = nextPhone();
    const ticket = await inboundTicket(server, from, 'Halo, saya mau tanya izin usaha.', 'whatsapp');
    await openTicket(page, ticket);
    expect(await page.locator('.facts [data-channel]').textContent()).to.equal('WhatsApp');
    const window = page.locator('[data-whatsapp-window]');
    expect(await window.getAttribute('data-whatsapp-window')).to.equal('open');
    expect(await window.textContent()).to.match(
      /^Jendela WhatsApp 24 jam terbuka sampai .+: balasan bebas dapat dikirim\.$/,
    );

    // A day and more later, the window is closed: said before typing, and SMS chosen instead.
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await server.runtime
      .db('messages')
      .where({ ticket_id: ticket.id, direction: 'inbound' })
      .update({ created_at: dayAgo });
    await page.reload();
    await page.locator('[data-whatsapp-window="closed"]').waitFor();
    expect(await page.locator('[data-whatsapp-window]').textContent()).to.match(
      /^Jendela WhatsApp 24 jam tertutup sejak .+: WhatsApp menolak balasan bebas\. Kirim templat resmi, atau balas lewat SMS\./,
    );
    expect(await page.getByLabel('Kirim lewat').inputValue()).to.equal('sms');
    expect(await seriousViolations(page), 'the WhatsApp window notice').to.deep.equal([]);
    // WhatsApp chosen anyway: the API's refusal is shown, in words.
    await page.getByLabel('Kirim lewat').selectOption('whatsapp');
    await page.getByLabel('Balasan kepada warga').fill('Izin usaha diurus lewat OSS.');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await page.locator('[role=alert][data-code="whatsapp_window_closed"]').waitFor();
    await page.getByLabel('Kirim lewat').selectOption('sms');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await page.getByText('Balasan masuk antrean kirim.').waitFor();
    const sent = await waitFor('reply sent by SMS', async () => {
      const row = await server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
        .first();
      return row?.provider_message_id ? row : undefined;
    });
    expect(sent).to.include({ channel: 'sms', address: from });
  });

  it('pulls the next waiting ticket of my team with p, and says when nothing waits', async () => {
    const pullTeam = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/teams',
        { slug: 'loket-ambil', name: 'Loket ambil sendiri', routing_strategy: 'pull' },
        201,
      )
    ).data.id;
    const budi = { email: 'budi@dpmptsp.example.go.id', password: 'budi-password-123' };
    const budiId = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/agents',
        { ...budi, name: 'Budi', role: 'agent', teams: [pullTeam] },
        201,
      )
    ).data.id;
    const ticket = await inboundTicket(server, nextPhone(), 'Antre ambil sendiri.');
    await adminCall(
      server,
      'POST',
      `/api/v1/tickets/${ticket.id}/transfer`,
      { team_id: pullTeam, note: 'Ke loket.' },
      200,
    );
    const page = await openConsole(browser, server, problems);
    await signIn(page, budi);
    await page.keyboard.press('p');
    await page.getByRole('heading', { name: new RegExp(ticket.reference) }).waitFor();
    expect(Number((await ticketRow(ticket.id)).assignee_id)).to.equal(budiId);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Antrean' }).waitFor();
    await page.getByRole('button', { name: 'Ambil tiket berikutnya' }).click();
    await page.getByText('Tidak ada tiket menunggu untuk Anda.').waitFor();
  });

  it('tells each of two agents on one ticket that the other is there, and when they are replying', async () => {
    const ticket = await inboundTicket(server, nextPhone(), 'Apakah retribusi sampah bisa dibayar daring?');
    const adminName = String((await server.runtime.db('agents').where({ role: 'admin' }).first('name')).name);
    const mine = await openConsole(browser, server, problems);
    await signIn(mine, sari);
    await openTicket(mine, ticket);
    expect(await mine.locator('[data-collision]').count()).to.equal(0);
    const theirs = await openConsole(browser, server, problems);
    await signIn(theirs);
    await openTicket(theirs, ticket);
    // Each sees the other within a heartbeat (8 s), without a reload.
    await theirs.getByText('Sari Dewi juga membuka tiket ini.').waitFor({ timeout: 15_000 });
    await mine.getByText(`${adminName} juga membuka tiket ini.`).waitFor({ timeout: 15_000 });
    await theirs.getByLabel('Balasan kepada warga').fill('Bisa, lewat aplikasi.');
    const replying = mine.locator('[data-collision="replying"]');
    await replying.waitFor({ timeout: 15_000 });
    expect(await replying.textContent()).to.equal(`${adminName} sedang membalas tiket ini.`);
    expect(await seriousViolations(mine), 'the collision notice').to.deep.equal([]);
    await theirs.close(); // leaves the ticket: forgotten at once, gone from my page at the next heartbeat
    await mine.locator('[data-collision]').waitFor({ state: 'detached', timeout: 15_000 });
  });

  it("switches the ticket page's badge, actions and reply tools to English", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    const ticket = await inboundTicket(server, nextPhone(), 'Halo, saya butuh bantuan.', 'whatsapp');
    await openTicket(page, ticket);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Actions' }).waitFor();
    expect(await page.locator('.facts .sla').textContent()).to.match(
      /^On time · First response: (59 min|1 h) of working time left$/,
    );
    expect(await page.locator('[data-whatsapp-window]').textContent()).to.match(
      /^WhatsApp's 24-hour window is open until /,
    );
    for (const text of ['Classification', 'Transfer to a team (agency)', 'Merge into another ticket', 'Resolve'])
      expect(await page.getByText(text, { exact: true }).count(), text).to.be.above(0);
    for (const label of ['Canned responses', 'Reply to the citizen', 'Category', 'Transfer note'])
      expect(await page.getByLabel(label).count(), label).to.equal(1);
    const shown = ((await page.locator('main').textContent()) ?? '').replace(ticket.reference, '');
    for (const word of ['Tindakan', 'Klasifikasi', 'Disposisi', 'Gabungkan', 'Tenggat', 'kerja lagi', 'Selesaikan'])
      expect(shown, word).to.not.include(word);
    expect(await seriousViolations(page), 'the ticket page in English').to.deep.equal([]);
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click(); // the choice is kept per browser
    await page.getByRole('heading', { name: 'Tindakan' }).waitFor();
  });

  it('met no Content-Security-Policy violation and no script error on any page', () => {
    expect(problems).to.deep.equal([]);
  });
});
