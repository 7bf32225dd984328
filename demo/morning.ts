import type { Citizens, TwilioWebhooks } from './citizens.js';
import type { Delivered, Outbox } from './outbox.js';
import { waitFor } from '../test/support/wait-for.js';
import { phoneCall } from './phone-call.js';
import type { HelpDesk, StaffMember } from './seed.js';

export interface Ticket {
  id: number;
  reference: string;
  channel: string;
  status: string;
  subject: string | null;
  team_id: number | null;
  assignee_id: number | null;
}

interface TicketDetail extends Ticket {
  messages: Array<{ direction: string; channel: string; kind: string; body: string }>;
}

interface Task {
  id: number;
  kind: string;
  status: string;
  reason: string | null;
  phone: string | null;
  ticket: { id: number; reference: string };
}

export interface MorningContext {
  desk: HelpDesk;
  citizens: Citizens;
  webhooks: TwilioWebhooks;
  outbox: Outbox;
  /** The help desk's own address for citizens' mail. */
  helpdeskAddress: string;
  print: (line: string) => void;
}

/** What the morning left behind, for the closing summary and the curl examples. */
export interface Morning {
  /** The tickets the citizens were told about, by the reference in their acknowledgement. */
  tickets: Ticket[];
}

const REFERENCE = /SP-\d{3}-\d{3}-\d{3}/;

/**
 * A morning at the help desk of DPMPTSP Provinsi Kalimantan Timur: citizens write by SMS,
 * WhatsApp and email and call the voice line; agents answer and transfer through the API. Each
 * step waits for what a citizen would really see (the acknowledgement with the reference number
 * reaching the Twilio or SMTP stand-in) and reads the ticket back from the API.
 */
export async function playMorning(context: MorningContext): Promise<Morning> {
  const { desk, citizens, webhooks, outbox, print } = context;
  const tickets: Ticket[] = [];
  let step = 0;
  const section = (title: string) => print(`\n${++step}. ${title}`);

  /** Waits for the acknowledgement that tells the citizen their reference, then finds that ticket. */
  async function acknowledged(what: string, matches: (item: Delivered) => boolean, from: number): Promise<Ticket> {
    const ack = await outbox.next(
      `the acknowledgement of ${what}`,
      (item) => matches(item) && REFERENCE.test(item.text),
      from,
    );
    const reference = REFERENCE.exec(ack.text)![0];
    const ticket = await findTicket(reference);
    print(`   ✓ ticket ${ticket.reference} (${ticket.channel}) for ${what}, acknowledged by ${ack.channel}`);
    tickets.push(ticket);
    return ticket;
  }
  async function findTicket(reference: string): Promise<Ticket> {
    const found = await desk.admin.get<{ data: Ticket[] }>(`/api/v1/tickets?q=${encodeURIComponent(reference)}`);
    const ticket = found.data.find((candidate) => candidate.reference === reference);
    if (!ticket) throw new Error(`GET /api/v1/tickets?q=${reference} does not find the ticket`);
    return ticket;
  }
  /** The agent routing gave the ticket to (of its current team). */
  async function assignee(ticket: Ticket, teamId: number): Promise<StaffMember> {
    return waitFor(`an agent of team #${teamId} for ${ticket.reference}`, async () => {
      const view = (await desk.admin.get<{ data: Ticket }>(`/api/v1/tickets/${ticket.id}`)).data;
      const agent = view.team_id === teamId ? desk.byId(view.assignee_id) : undefined;
      if (agent) print(`   ✓ routing gave ${ticket.reference} to ${agent.name} (${agent.team})`);
      return agent;
    });
  }
  const sms = (to: string) => (item: Delivered) => item.channel === 'sms' && item.to === to;

  section('SMS: Ibu Sari asks what she needs for a business number (NIB)');
  const sari = '+6281254410101';
  let mark = await outbox.mark();
  await citizens.sms(
    sari,
    'Selamat pagi, saya mau buka warung makan di Samarinda. Apa saja syarat untuk mengurus NIB? Terima kasih.',
  );
  const sariTicket = await acknowledged('Ibu Sari’s SMS', sms(sari), mark);
  const rina = await assignee(sariTicket, desk.frontDeskId);
  mark = await outbox.mark();
  await rina.api.post(`/api/v1/tickets/${sariTicket.id}/replies`, {
    body: 'Selamat pagi Ibu Sari. NIB untuk usaha mikro gratis dan cukup diurus di oss.go.id dengan NIK dan email aktif. Bila perlu bantuan, silakan datang ke loket kami, Senin-Jumat.',
  });
  print(`   ${rina.name} replies through POST /api/v1/tickets/${sariTicket.id}/replies`);
  await outbox.next('the reply to Ibu Sari', sms(sari), mark);

  section('WhatsApp: Pak Budi’s building approval (PBG) is three weeks late; the front desk hands it to Dinas PUPR');
  const budi = '+6281350220202';
  mark = await outbox.mark();
  await citizens.whatsApp(
    budi,
    'Budi Santoso',
    'Assalamualaikum. Permohonan PBG rumah saya di Balikpapan sudah 3 minggu belum ada kabar. Mohon infonya.',
  );
  const whatsapp = (item: Delivered) => item.channel === 'whatsapp' && item.to === budi;
  const budiTicket = await acknowledged('Pak Budi’s WhatsApp', whatsapp, mark);
  const frontDeskAgent = await assignee(budiTicket, desk.frontDeskId);
  mark = await outbox.mark();
  await frontDeskAgent.api.post(`/api/v1/tickets/${budiTicket.id}/replies`, {
    body: 'Waalaikumsalam Pak Budi. Permohonan PBG ditangani Dinas PUPR, kami teruskan sekarang. Petugas PUPR akan menghubungi Bapak di sini.',
  });
  await outbox.next('the reply to Pak Budi', whatsapp, mark);
  await frontDeskAgent.api.post(`/api/v1/tickets/${budiTicket.id}/transfer`, {
    team_id: desk.opdId,
    note: 'PBG rumah tinggal di Balikpapan, diajukan 3 minggu lalu. Mohon dicek status verifikasi teknisnya.',
  });
  print(`   ${frontDeskAgent.name} transfers ${budiTicket.reference} to Dinas PUPR (POST /transfer)`);
  const yusuf = await assignee(budiTicket, desk.opdId);
  mark = await outbox.mark();
  await yusuf.api.post(`/api/v1/tickets/${budiTicket.id}/replies`, {
    body: 'Selamat pagi Pak Budi, saya Yusuf dari Dinas PUPR. Berkas PBG Bapak sedang diverifikasi; gambar struktur belum lengkap. Mohon dikirim lewat email dengan menyebut nomor tiket.',
  });
  await outbox.next('Dinas PUPR’s answer to Pak Budi', whatsapp, mark);

  section('Email: CV Mahakam Jaya asks about an environmental approval, over SMTP');
  const fauzi = 'ahmad.fauzi@mahakamjaya.example.co.id';
  mark = await outbox.mark();
  await citizens.email({
    from: `Ahmad Fauzi <${fauzi}>`,
    to: context.helpdeskAddress,
    subject: 'Permohonan informasi Persetujuan Lingkungan untuk gudang',
    text: 'Yth. DPMPTSP Provinsi Kalimantan Timur,\n\nKami berencana membangun gudang di Tenggarong. Apakah kami memerlukan PKPLH atau cukup SPPL, dan berapa lama prosesnya?\n\nHormat kami,\nAhmad Fauzi\nCV Mahakam Jaya',
  });
  const mail = (item: Delivered) => item.channel === 'email' && item.to === fauzi;
  const fauziTicket = await acknowledged('CV Mahakam Jaya’s mail', mail, mark);
  const mailAgent = await assignee(fauziTicket, desk.frontDeskId);
  mark = await outbox.mark();
  await mailAgent.api.post(`/api/v1/tickets/${fauziTicket.id}/replies`, {
    body: 'Yth. Bapak Ahmad Fauzi,\n\nUntuk gudang dengan luas di bawah 5.000 m2 umumnya cukup SPPL yang terbit otomatis melalui OSS. Bila di atas itu, diperlukan UKL-UPL dan PKPLH (sekitar 10 hari kerja).\n\nHormat kami,\nDPMPTSP Provinsi Kalimantan Timur',
  });
  await outbox.next('the answer to CV Mahakam Jaya', mail, mark);

  section('Voice: Pak Hendra presses 2 and records a complaint');
  const hendra = '+6285246330303';
  mark = await outbox.mark();
  await phoneCall(
    webhooks,
    hendra,
    {
      keys: ['2'],
      says: 'Saya mau mengadukan, sudah dua minggu sistem antrean di loket perizinan selalu gangguan. Mohon diperbaiki.',
      recordingSeconds: 24,
    },
    print,
  );
  await acknowledged('Pak Hendra’s complaint by phone', sms(hendra), mark);

  section('Voice: Ibu Maria asks for an agent and leaves a voice message');
  const maria = '+6281153440404';
  mark = await outbox.mark();
  // 5: an agent; none can take a call (the demo's agents have no phone), so 1: a voice message.
  await phoneCall(
    webhooks,
    maria,
    {
      keys: ['5', '1'],
      says: 'Selamat pagi, saya Maria dari Bontang. Mohon ditelepon kembali soal perpanjangan izin praktik bidan saya.',
      recordingSeconds: 18,
    },
    print,
  );
  await acknowledged('Ibu Maria’s voice message', sms(maria), mark);

  section('Voice: a caller hangs up during the greeting: a call-back task');
  const missed = '+6282155550505';
  await phoneCall(webhooks, missed, { keys: [] }, print);
  const task = await waitFor('the call-back task of the abandoned call', async () => {
    const open = await desk.admin.get<{ data: Task[] }>('/api/v1/tasks?kind=callback&status=open');
    return open.data.find((candidate) => candidate.phone === missed);
  });
  print(`   ✓ call-back task #${task.id} (${task.reason}) on ticket ${task.ticket.reference}, in GET /api/v1/tasks`);
  tickets.push(await findTicket(task.ticket.reference));

  section('Citizens quote their reference number');
  const budiMail = 'budi.santoso@example.com';
  await citizens.email({
    from: `Budi Santoso <${budiMail}>`,
    to: context.helpdeskAddress,
    subject: `Kelengkapan berkas PBG, tiket ${budiTicket.reference}`,
    text: `Selamat siang, berikut saya sampaikan bahwa gambar struktur untuk PBG rumah saya sudah saya siapkan (tiket ${budiTicket.reference}). Terima kasih.\n\nBudi Santoso`,
  });
  const joined = await waitFor(`Pak Budi’s mail on ${budiTicket.reference}`, async () => {
    const view = (await desk.admin.get<{ data: TicketDetail }>(`/api/v1/tickets/${budiTicket.id}`)).data;
    return view.messages.some((message) => message.direction === 'inbound' && message.channel === 'email')
      ? view
      : undefined;
  });
  const channels = [...new Set(joined.messages.filter((m) => m.direction === 'inbound').map((m) => m.channel))];
  print(`   ✓ the mail joined ${budiTicket.reference}, now one ticket across ${channels.join(' and ')}`);

  const digits = sariTicket.reference.replace(/\D/g, '');
  print(`   Ibu Sari calls, presses 3 and keys in ${digits} (${sariTicket.reference})`);
  await phoneCall(webhooks, sari, { keys: ['3', digits] }, print);
  await outbox.quiet();

  return { tickets };
}
