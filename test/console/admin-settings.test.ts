import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { adminCall, inboundTicket, openConsole, seriousViolations, signIn } from './console-support.js';

/**
 * The administrator's settings pages (issue 14), in Chromium against the real server: a calendar's
 * hours and holidays moving the deadline preview, holidays loaded from the decree file and from a
 * CSV, a Ramadan range of exceptions, an SLA policy made and edited (with the escalation team's
 * warning), a canned response made here and used by an agent in a ticket's reply box.
 */
describe("Console: the administrator's calendars, SLA policies and canned responses", function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: TestBrowser;
  const problems: string[] = [];
  const decree = readFileSync(new URL('../fixtures/data/holidays-id-2026.json', import.meta.url));

  before(async () => {
    await buildConsole();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const open of browser.context.pages()) {
      if (open.url().startsWith(server.baseUrl)) await open.evaluate(() => localStorage.clear());
      await open.close();
    }
    expect(problems, 'no script error, no CSP refusal').to.deep.equal([]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openAdmin(page: Page, entry: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Administrasi' })
      .getByRole('link', { name: entry, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: entry }).waitFor();
  }
  /** Asks the preview for N working days from a start and answers the deadline's local time (a new one). */
  async function deadlineFrom(page: Page, start: string, days: number): Promise<string> {
    const form = page.getByRole('form', { name: 'Pratinjau tenggat' });
    await form.getByLabel('Mulai (waktu setempat)').fill(start);
    await form.getByLabel('Lama').fill(String(days));
    await form.getByLabel('Satuan').selectOption({ label: 'hari kerja' });
    const due = form.locator('[data-deadline-local]');
    const previous = (await due.count()) === 0 ? null : await due.getAttribute('data-deadline-local');
    await form.getByRole('button', { name: 'Hitung tenggat' }).click();
    await page.waitForFunction((before) => {
      const shown = document.querySelector('[data-deadline-local]')?.getAttribute('data-deadline-local');
      return shown && shown !== before;
    }, previous);
    return (await due.getAttribute('data-deadline-local'))!;
  }

  it("edits a calendar's weekly hours and holidays, and the deadline preview moves past the holiday", async () => {
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Kalender kerja');
    const create = page.getByRole('form', { name: 'Tambah kalender' });
    await create.getByLabel('Kode (slug)').fill('kantor-uji');
    await create.getByLabel('Nama', { exact: true }).fill('Kantor Uji');
    await create.getByLabel('Zona waktu').selectOption('Asia/Makassar');
    await create.getByLabel('Salin hari libur dan pengecualian dari').selectOption({ label: '(tidak menyalin)' });
    await create.getByRole('button', { name: 'Tambahkan kalender' }).click();
    // Created, it opens below the list, the focus on its heading.
    await page.getByRole('heading', { name: 'Kalender Kantor Uji' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'calendar-detail-title');
    const calendar = await server.runtime.db('calendars').where({ slug: 'kantor-uji' }).first();

    const hours = page.getByRole('form', { name: 'Nama, zona waktu dan jam kerja' });
    for (const day of ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat']) await hours.getByLabel(day).fill('08:00-16:00');
    for (const day of ['Sabtu', 'Minggu']) await hours.getByLabel(day).fill('');
    await hours.getByRole('button', { name: 'Simpan jam kerja' }).click();
    await page.getByText('Kalender disimpan; tenggat tiket terbuka dihitung ulang.').waitFor();
    // Wednesday 09:00 WITA, one working day: Thursday's closing.
    expect(await deadlineFrom(page, '2027-03-03T09:00', 1)).to.equal('2027-03-04T16:00:00+08:00');
    // Received before Wednesday's opening (07:00 WITA, not UTC): Wednesday itself counts.
    expect(await deadlineFrom(page, '2027-03-03T07:00', 1)).to.equal('2027-03-03T16:00:00+08:00');

    // A holiday on that Thursday: Friday's closing.
    await page.getByRole('spinbutton', { name: 'Tahun', exact: true }).fill('2027');
    await page.getByRole('form', { name: 'Tahun' }).getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByRole('heading', { name: 'Hari libur 2027' }).waitFor();
    const add = page.getByRole('form', { name: 'Tambahkan hari libur' });
    await add.getByLabel('Tanggal').fill('2027-03-04');
    await add.getByLabel('Nama', { exact: true }).fill('Libur daerah uji');
    await add.getByLabel('Jenis').selectOption({ label: 'Libur daerah' });
    await add.getByRole('button', { name: 'Tambahkan hari libur' }).click();
    await page.locator('[data-holiday="2027-03-04"]').getByText('Libur daerah uji').waitFor();
    expect(await deadlineFrom(page, '2027-03-03T09:00', 1)).to.equal('2027-03-05T16:00:00+08:00');
    // Shorter Fridays: the same deadline at Friday's own closing.
    await hours.getByLabel('Jumat').fill('08:00-11:00');
    await hours.getByRole('button', { name: 'Simpan jam kerja' }).click();
    await page.getByText('Kalender disimpan; tenggat tiket terbuka dihitung ulang.').waitFor();
    expect(await deadlineFrom(page, '2027-03-03T09:00', 1)).to.equal('2027-03-05T11:00:00+08:00');
    // Taken off again, the Thursday counts.
    await page.getByRole('button', { name: 'Hapus: 2027-03-04' }).click();
    await page.locator('[data-holiday="2027-03-04"]').waitFor({ state: 'detached' });
    expect(await deadlineFrom(page, '2027-03-03T09:00', 1)).to.equal('2027-03-04T16:00:00+08:00');
    const stored = await server.runtime.db('calendar_holidays').where({ calendar_id: calendar.id });
    expect(stored).to.deep.equal([]);
    expect(await seriousViolations(page), 'a calendar with its preview').to.deep.equal([]);
  });

  it('loads a year of holidays from the decree file and from a CSV, and sets Ramadan hours', async () => {
    const calendar = (
      await adminCall<{ data: { id: number } }>(
        server,
        'POST',
        '/api/v1/calendars',
        { slug: 'kantor-libur', name: 'Kantor Libur' },
        201,
      )
    ).data;
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Kalender kerja');
    await page.getByRole('button', { name: 'Kelola: Kantor Libur' }).click();
    const load = page.getByRole('form', { name: 'Muat satu tahun dari berkas SKB' });
    await load
      .getByLabel('Berkas hari libur (JSON atau CSV)')
      .setInputFiles({ name: 'holidays-id-2026.json', mimeType: 'application/json', buffer: decree });
    await load.getByRole('button', { name: 'Muat berkas' }).click();
    await load
      .getByText('Hari libur 2026 dimuat: 25 ditambah, 0 diubah, 0 dihapus, 0 tetap.', { exact: true })
      .waitFor();
    await page.getByRole('heading', { name: 'Hari libur 2026' }).waitFor();
    await page.locator('[data-holiday="2026-08-17"]').getByText('Proklamasi Kemerdekaan').waitFor();
    expect(await page.locator('[data-holiday="2026-02-16"] td').nth(1).textContent()).to.equal('Cuti bersama');
    const count = async (year: number) =>
      Number(
        (
          await server.runtime
            .db('calendar_holidays')
            .where({ calendar_id: calendar.id })
            .whereBetween('date', [`${year}-01-01`, `${year}-12-31`])
            .count({ n: '*' })
        )[0]!.n,
      );
    expect(await count(2026)).to.equal(25);

    // A CSV of the office's own list: a header, a quoted name with a comma, a kind left out.
    const csv =
      'date,name,kind\n2028-01-01,Tahun Baru,national\n2028-04-22,"Hari jadi kota, ke-100",regional\n2028-05-01,Hari Buruh\n';
    await load
      .getByLabel('Berkas hari libur (JSON atau CSV)')
      .setInputFiles({ name: 'libur-2028.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await load.getByRole('button', { name: 'Muat berkas' }).click();
    await load.getByText('Hari libur 2028 dimuat: 3 ditambah, 0 diubah, 0 dihapus, 0 tetap.').waitFor();
    await page.locator('[data-holiday="2028-04-22"]').getByText('Hari jadi kota, ke-100').waitFor();
    expect(await page.locator('[data-holiday="2028-05-01"] td').nth(1).textContent()).to.equal('Libur nasional');
    expect(await count(2028)).to.equal(3);
    // A file that is not a list is refused here, naming the line; nothing is sent.
    await load
      .getByLabel('Berkas hari libur (JSON atau CSV)')
      .setInputFiles({ name: 'salah.csv', mimeType: 'text/csv', buffer: Buffer.from('2028-13-45\n') });
    await load.getByRole('button', { name: 'Muat berkas' }).click();
    await load
      .getByRole('alert')
      .getByText(/^Berkas tidak terbaca\. Line 1: /)
      .waitFor();
    expect(await count(2028)).to.equal(3);
    // A date the server refuses (not in the year): its own message.
    await load.getByLabel('Berkas hari libur (JSON atau CSV)').setInputFiles({
      name: 'libur.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ year: 2029, national_holidays: [{ date: '2030-01-01', name: 'Salah' }] })),
    });
    await load.getByRole('button', { name: 'Muat berkas' }).click();
    await load.getByRole('alert').waitFor();
    expect(await load.getByRole('alert').textContent()).to.match(
      /^Ditolak: Isian tidak lengkap atau tidak sah\. \(Pesan server: Invalid holiday list\)entry 1: date must be a YYYY-MM-DD date in 2029$/,
    );

    // Ramadan 2027 hours for one week: shorter Monday to Thursday, Friday until 11:30, Saturday kept.
    const range = page.getByRole('form', { name: 'Rentang tanggal per hari (misalnya Ramadan)' });
    await range.getByLabel('Dari tanggal').fill('2027-02-08');
    await range.getByLabel('Sampai tanggal').fill('2027-02-14');
    await range.getByLabel('Catatan').fill('Jam kerja Ramadan');
    for (const day of ['Senin', 'Selasa', 'Rabu', 'Kamis']) await range.getByLabel(day).fill('08:00-14:00');
    await range.getByLabel('Jumat').fill('08:00-11:30');
    await range.getByLabel('Minggu').fill('-');
    await range.getByRole('button', { name: 'Simpan rentang' }).click();
    await range.getByText('Pengecualian rentang disimpan.').waitFor();
    await page.locator('[data-exception="2027-02-12"]').getByText('08:00-11:30').waitFor();
    expect(await page.locator('[data-exception="2027-02-14"] td').first().textContent()).to.equal('tutup');
    expect(await page.locator('[data-exception="2027-02-13"]').count(), 'Saturday keeps its hours').to.equal(0);
    expect(await page.locator('[data-exception]').count()).to.equal(6);
    // One date closed: a day off.
    const day = page.getByRole('form', { name: 'Satu tanggal' });
    await day.getByLabel('Tanggal').fill('2027-02-15');
    await day.getByLabel('Catatan').fill('Rapat kerja');
    await day.getByRole('button', { name: 'Simpan pengecualian' }).click();
    await page.locator('[data-exception="2027-02-15"]').getByText('Rapat kerja').waitFor();
    const exceptions = await adminCall<{ data: Array<{ date: string; hours: string[][] }> }>(
      server,
      'GET',
      `/api/v1/calendars/${calendar.id}/exceptions`,
      undefined,
      200,
    );
    expect(exceptions.data.find((entry) => entry.date === '2027-02-08')?.hours).to.deep.equal([['08:00', '14:00']]);
    expect(exceptions.data.find((entry) => entry.date === '2027-02-15')?.hours).to.deep.equal([]);
    expect(await seriousViolations(page), 'holidays and exceptions').to.deep.equal([]);
  });

  it('creates an SLA policy, warns of an escalation team without members, and edits it', async () => {
    const empty = await adminCall<{ data: { id: number } }>(
      server,
      'POST',
      '/api/v1/teams',
      { slug: 'tim-kosong', name: 'Tim Kosong' },
      201,
    );
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Kebijakan SLA');
    const form = page.getByRole('form', { name: 'Tambah kebijakan' });
    await form.getByLabel('Nama', { exact: true }).fill('Pengaduan mendesak');
    await form.getByLabel('Urutan').fill('5');
    await form.getByLabel('Pengaduan', { exact: true }).check();
    await form.getByLabel('Mendesak').check();
    await form.getByRole('spinbutton', { name: 'Respons pertama', exact: true }).fill('30');
    await form.getByRole('spinbutton', { name: 'Penyelesaian', exact: true }).fill('3');
    await form.getByRole('combobox', { name: /^Satuan Penyelesaian/ }).selectOption('days');
    await form.getByLabel('Peringatan setelah (% dari target)').fill('75');
    await form.getByLabel('Tim eskalasi').selectOption({ label: 'Tim Kosong' });
    await form.getByRole('button', { name: 'Tambahkan kebijakan' }).click();
    await page.getByText('Kebijakan ditambahkan; tenggat tiket terbuka dihitung ulang.').waitFor();
    const warning = page.locator('[data-warning="team_without_members"]');
    await warning.waitFor();
    expect(await warning.textContent()).to.match(
      /^Perhatian: Tim eskalasi belum punya anggota aktif: .* \(Pesan server: The escalation team \d+ has no active members/,
    );
    const policy = await server.runtime.db('sla_policies').where({ name: 'Pengaduan mendesak' }).first();
    const saved = await adminCall<{ data: Record<string, unknown> }>(
      server,
      'GET',
      `/api/v1/sla-policies/${policy.id}`,
      undefined,
      200,
    );
    expect(saved.data).to.deep.include({
      position: 5,
      active: true,
      categories: ['complaint'],
      priorities: ['urgent'],
      channels: null,
      warning_ratio: 0.75,
      escalation_team_id: empty.data.id,
    });
    expect(saved.data.targets).to.deep.equal({ first_response: { minutes: 30 }, resolution: { days: 3 } });
    const row = page.locator(`[data-policy-id="${policy.id}"]`);
    expect(await row.locator('.targets').textContent()).to.equal(
      'Respons pertama: 30 menit kerja; Penyelesaian: 3 hari kerja',
    );
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.policyId)).to.equal(
      String(policy.id),
    );

    // Edited: a longer first response, no escalation team, disabled.
    await row.getByRole('button', { name: 'Ubah: Pengaduan mendesak' }).click();
    const edit = page.getByRole('form', { name: 'Ubah kebijakan: Pengaduan mendesak' });
    expect(await edit.getByRole('spinbutton', { name: 'Respons pertama', exact: true }).inputValue()).to.equal('30');
    await edit.getByRole('spinbutton', { name: 'Respons pertama', exact: true }).fill('45');
    await edit.getByLabel('Tim eskalasi').selectOption({ label: '(tidak ada)' });
    await edit.getByLabel('Aktif', { exact: true }).uncheck();
    await edit.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.getByText('Kebijakan disimpan; tenggat tiket terbuka dihitung ulang.').waitFor();
    expect(await page.locator('[data-warning]').count()).to.equal(0);
    const edited = await adminCall<{ data: Record<string, unknown> }>(
      server,
      'GET',
      `/api/v1/sla-policies/${policy.id}`,
      undefined,
      200,
    );
    expect(edited.data).to.deep.include({ active: false, escalation_team_id: null });
    expect(edited.data.targets).to.deep.equal({ first_response: { minutes: 45 }, resolution: { days: 3 } });
    expect(await seriousViolations(page), 'the SLA policies').to.deep.equal([]);
  });

  it("creates a canned response that an agent then uses in a ticket's reply box", async () => {
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const sari = { email: 'sari@dpmptsp.example.go.id', password: 'sari-password-123' };
    await adminCall(
      server,
      'POST',
      '/api/v1/agents',
      { ...sari, name: 'Sari Dewi', role: 'agent', teams: [frontDesk] },
      201,
    );
    const page = await openConsole(browser, server, problems);
    await signIn(page);
    await openAdmin(page, 'Jawaban siap pakai');
    const form = page.getByRole('form', { name: 'Tambah jawaban siap pakai' });
    // The placeholders are explained beside the body.
    await form.getByText('{{reference}}', { exact: true }).waitFor();
    await form.getByLabel('Nama', { exact: true }).fill('Salam pembuka');
    await form.getByLabel('Bahasa').selectOption('id');
    await form.getByLabel('Tim').selectOption({ label: 'Semua tim' });
    // A misspelt placeholder: the server's refusal names it.
    await form.getByLabel('Isi').fill('Halo {{nama_warga}}, laporan {{reference}} kami terima.');
    await form.getByRole('button', { name: 'Tambahkan jawaban' }).click();
    await form
      .getByRole('alert')
      .getByText(/Isian templat tidak dikenal\..*\{\{nama_warga\}\}/)
      .waitFor();
    await form.getByLabel('Isi').fill('Halo {{citizen_name}}, laporan {{reference}} kami terima. <b>Terima kasih</b>');
    await form.getByRole('button', { name: 'Tambahkan jawaban' }).click();
    await page.getByText('Jawaban siap pakai ditambahkan.').waitFor();
    const stored = await server.runtime.db('canned_responses').where({ name: 'Salam pembuka' }).first();
    expect(stored).to.include({ language: 'id', team_id: null });
    // The body is shown as text, its markup too.
    const cell = page.locator(`[data-canned-id="${stored.id}"] td.body`);
    expect(await cell.textContent()).to.equal(
      'Halo {{citizen_name}}, laporan {{reference}} kami terima. <b>Terima kasih</b>',
    );
    expect(await cell.locator('b').count()).to.equal(0);
    expect(await seriousViolations(page), 'the canned responses').to.deep.equal([]);

    const agentTab = await openConsole(browser, server, problems);
    await signIn(agentTab, sari);
    const ticket = await inboundTicket(server, '+6281299960001', 'Izin saya kapan selesai?');
    await agentTab.goto(`${server.baseUrl}/console/tickets/${ticket.id}`);
    await agentTab.getByRole('heading', { name: new RegExp(ticket.reference) }).waitFor();
    await agentTab.getByLabel('Jawaban siap pakai').selectOption({ label: 'Salam pembuka (id)' });
    await agentTab.getByText('Jawaban siap pakai dimasukkan; periksa sebelum mengirim.').waitFor();
    const filled = await agentTab.getByLabel('Balasan kepada warga').inputValue();
    expect(filled).to.equal(`Halo Bapak/Ibu, laporan ${ticket.reference} kami terima. <b>Terima kasih</b>`);
    await agentTab.getByRole('button', { name: 'Kirim balasan' }).click();
    await agentTab.getByText('Balasan masuk antrean kirim.').waitFor();
    await waitFor('the canned reply recorded', async () =>
      server.runtime
        .db('messages')
        .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
        .first(),
    );

    // Edited, then deleted: the agent's list follows.
    await page.locator(`[data-canned-id="${stored.id}"]`).getByRole('button', { name: 'Ubah: Salam pembuka' }).click();
    const edit = page.getByRole('form', { name: 'Ubah jawaban siap pakai: Salam pembuka' });
    await edit.getByLabel('Nama', { exact: true }).fill('Salam pembuka resmi');
    await edit.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.getByText('Jawaban siap pakai disimpan.').waitFor();
    expect((await server.runtime.db('canned_responses').where({ id: stored.id }).first()).name).to.equal(
      'Salam pembuka resmi',
    );
    await page.getByRole('button', { name: 'Hapus: Salam pembuka resmi' }).click();
    await page.getByText('Jawaban Salam pembuka resmi dihapus.').waitFor();
    expect(await server.runtime.db('canned_responses').where({ id: stored.id }).first()).to.equal(undefined);
  });
});
