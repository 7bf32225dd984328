/**
 * What a citizen reads on the tracking page (/lacak), in Bahasa Indonesia first and English on
 * request; next to web-texts.ts (the shell and the form), one object per language of one shape.
 */
import type { Language } from './citizen-texts.js';

export interface TrackTexts {
  title: string;
  intro: string;
  reference: string;
  referenceHint: string;
  factorLegend: string;
  factorHint: string;
  phoneLast4: string;
  phoneLast4Hint: string;
  or: string;
  email: string;
  submit: string;
  /** The one answer for every miss: unknown number, wrong phone or email, a merged ticket. */
  notFound: string;
  problemTitle: string;
  errors: {
    reference_missing: string;
    reference_invalid: string;
    factor_missing: string;
    phone_last4_invalid: string;
    email_invalid: string;
    too_many_requests: (minutes: number) => string;
    malformed: string;
  };
  result: {
    title: string;
    status: string;
    agency: string;
    agencyNone: string;
    created: string;
    due: string;
    dueResponse: string;
    daysLeft: (days: number) => string;
    overdue: string;
    resolved: string;
    waiting: string;
    replies: string;
    noReplies: string;
    repliedOn: (date: string) => string;
    another: string;
    subscribe: string;
    subscribeHint: string;
    subscribed: (channel: string) => string;
    noAddress: string;
  };
}

const CHANNEL_NAMES: Record<Language, Record<string, string>> = {
  id: { sms: 'SMS', whatsapp: 'WhatsApp', email: 'email', webchat: 'obrolan web' },
  en: { sms: 'SMS', whatsapp: 'WhatsApp', email: 'email', webchat: 'web chat' },
};

const ID: TrackTexts = {
  title: 'Lacak laporan',
  intro:
    'Masukkan nomor tiket Anda dan, untuk memastikan ini laporan Anda, empat angka terakhir nomor HP atau email yang Anda pakai saat melapor.',
  reference: 'Nomor tiket',
  referenceHint: 'Contoh: SP-262-591-945. Ada di SMS atau email tanda terima dari kami.',
  factorLegend: 'Nomor HP atau email Anda',
  factorHint: 'Isi salah satu.',
  phoneLast4: 'Empat angka terakhir nomor HP',
  phoneLast4Hint: 'Contoh: untuk 0812-3456-7890, isi 7890.',
  or: 'atau',
  email: 'Email',
  submit: 'Lacak',
  notFound:
    'Laporan tidak ditemukan untuk nomor tiket dan nomor HP atau email ini. Periksa kembali nomor tiket dan isian Anda.',
  problemTitle: 'Periksa isian Anda',
  errors: {
    reference_missing: 'Isi nomor tiket.',
    reference_invalid: 'Nomor tiket tidak valid, mungkin ada angka yang salah ketik. Nomor tiket terdiri dari 9 angka.',
    factor_missing: 'Isi empat angka terakhir nomor HP atau email Anda.',
    phone_last4_invalid: 'Isi tepat empat angka terakhir nomor HP Anda.',
    email_invalid: 'Alamat email tidak valid.',
    too_many_requests: (minutes) => `Terlalu banyak pelacakan dari sambungan Anda. Coba lagi dalam ${minutes} menit.`,
    malformed: 'Isian tidak dapat kami baca. Muat ulang halaman dan coba lagi.',
  },
  result: {
    title: 'Status laporan',
    status: 'Status',
    agency: 'Ditangani oleh',
    agencyNone: 'Petugas layanan',
    created: 'Diterima',
    due: 'Diselesaikan paling lambat',
    dueResponse: 'Ditindaklanjuti paling lambat',
    daysLeft: (days) => `${days} hari kerja lagi`,
    overdue: 'Batas waktu sudah lewat',
    resolved: 'Diselesaikan',
    waiting: 'Kami menunggu keterangan dari Anda. Balas pesan terakhir kami.',
    replies: 'Jawaban petugas',
    noReplies: 'Belum ada jawaban tertulis dari petugas.',
    repliedOn: (date) => `Dikirim ${date}`,
    another: 'Lacak laporan lain',
    subscribe: 'Kabari saya bila statusnya berubah',
    subscribeHint: 'Kami kirim kabar lewat saluran yang Anda pakai saat melapor.',
    subscribed: (channel) =>
      `Baik. Kami akan mengabari Anda lewat ${CHANNEL_NAMES.id[channel] ?? channel} bila status laporan ini berubah.`,
    noAddress: 'Kami tidak punya alamat untuk mengirim kabar lewat saluran laporan ini.',
  },
};

const EN: TrackTexts = {
  title: 'Track a report',
  intro:
    'Enter your ticket number and, to make sure the report is yours, the last four digits of the phone number or the email you reported with.',
  reference: 'Ticket number',
  referenceHint: 'For example SP-262-591-945. It is in the SMS or email we sent when we received your report.',
  factorLegend: 'Your phone number or email',
  factorHint: 'Fill in one of them.',
  phoneLast4: 'Last four digits of your phone number',
  phoneLast4Hint: 'For example, for 0812-3456-7890 enter 7890.',
  or: 'or',
  email: 'Email',
  submit: 'Track',
  notFound:
    'No report was found for this ticket number and this phone number or email. Please check the ticket number and what you entered.',
  problemTitle: 'Please check what you entered',
  errors: {
    reference_missing: 'Enter the ticket number.',
    reference_invalid: 'The ticket number is not valid, a digit may be mistyped. A ticket number has 9 digits.',
    factor_missing: 'Enter the last four digits of your phone number, or your email.',
    phone_last4_invalid: 'Enter exactly the last four digits of your phone number.',
    email_invalid: 'The email address is not valid.',
    too_many_requests: (minutes) => `Too many tracking requests from your connection. Try again in ${minutes} minutes.`,
    malformed: 'We could not read what was sent. Reload the page and try again.',
  },
  result: {
    title: 'Status of your report',
    status: 'Status',
    agency: 'Handled by',
    agencyNone: 'Service desk',
    created: 'Received',
    due: 'To be resolved by',
    dueResponse: 'To be followed up by',
    daysLeft: (days) => `${days} working day${days === 1 ? '' : 's'} left`,
    overdue: 'The deadline has passed',
    resolved: 'Resolved',
    waiting: 'We are waiting for information from you. Please answer our last message.',
    replies: 'Answers from our staff',
    noReplies: 'No written answer from our staff yet.',
    repliedOn: (date) => `Sent ${date}`,
    another: 'Track another report',
    subscribe: 'Tell me when the status changes',
    subscribeHint: 'We write to you on the channel you reported on.',
    subscribed: (channel) =>
      `Done. We will tell you by ${CHANNEL_NAMES.en[channel] ?? channel} when the status of this report changes.`,
    noAddress: 'We have no address to write to on the channel of this report.',
  },
};

const TEXTS: Record<Language, TrackTexts> = { id: ID, en: EN };

export function trackTexts(language: Language): TrackTexts {
  return TEXTS[language] ?? ID;
}
