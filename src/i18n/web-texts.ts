/**
 * What a citizen reads on the web door's pages (/lapor, /lacak...), in Bahasa Indonesia first and
 * English on request (`?lang=en`). One object per language with the same shape, so that a text added
 * to one language and forgotten in the other fails the type check. Plain words: the reader may be on
 * a cheap phone, in a hurry, and not at home with official language.
 */
import type { Language } from './citizen-texts.js';

export type { Language };

export const WEB_LANGUAGES: readonly Language[] = ['id', 'en'];

/** The page's language from `?lang=` (or a form's hidden `lang`): Bahasa Indonesia unless English is asked. */
export function webLanguage(value: unknown, fallback: Language = 'id'): Language {
  return value === 'en' || value === 'id' ? value : fallback;
}

export interface LayoutTexts {
  skipToContent: string;
  /** The link to the other language, written in that language. */
  otherLanguage: string;
  otherLanguageName: string;
  footer: (office: string) => string;
  footerNote: string;
  navigation: string;
  reportLink: string;
  trackLink: string;
}

export interface FormTexts {
  title: string;
  intro: string;
  required: string;
  optional: string;
  aboutYou: string;
  name: string;
  nameHint: string;
  phone: string;
  phoneHint: string;
  email: string;
  emailHint: string;
  contactRule: string;
  kind: string;
  kindHint: string;
  choose: string;
  complaintType: string;
  complaintTypeHint: string;
  complaintTypeNone: string;
  permitNumber: string;
  permitNumberHint: string;
  text: string;
  textHint: (max: number) => string;
  attachments: string;
  attachmentsHint: (count: number, megabytes: number) => string;
  protection: string;
  confidential: string;
  confidentialHint: string;
  anonymous: string;
  anonymousHint: string;
  honeypot: string;
  privacyTitle: string;
  /** What is kept and why, who sees it, for how long (the office's years, else its schedule), who to ask. */
  privacy: (office: string, contact: string, retentionYears?: number) => string[];
  privacyContactFallback: string;
  submit: string;
  solving: string;
  errorSummary: string;
  errors: Record<FormErrorCode, string>;
}

/** Every problem a submission can have, each with a plain sentence on the page and a code in the API. */
export type FormErrorCode =
  | 'name_too_long'
  | 'contact_missing'
  | 'phone_invalid'
  | 'email_invalid'
  | 'kind_invalid'
  | 'complaint_type_invalid'
  | 'permit_number_too_long'
  | 'text_missing'
  | 'text_too_long'
  | 'attachment_too_many'
  | 'attachment_too_large'
  | 'attachment_type'
  | 'body_too_large'
  | 'honeypot_filled'
  | 'form_expired'
  | 'too_fast'
  | 'challenge_failed'
  | 'rate_limited'
  | 'idempotency_key_invalid'
  | 'idempotency_conflict'
  | 'malformed';

export interface ReceivedTexts {
  title: string;
  thanks: string;
  reference: string;
  keep: string;
  ackBySms: string;
  ackByEmail: string;
  pending: string;
  refresh: string;
  another: string;
}

export interface WebTexts {
  language: Language;
  layout: LayoutTexts;
  form: FormTexts;
  received: ReceivedTexts;
  notFound: { title: string; text: string };
}

const ID: WebTexts = {
  language: 'id',
  layout: {
    skipToContent: 'Langsung ke isi halaman',
    otherLanguage: 'English',
    otherLanguageName: 'Switch to English',
    footer: (office) => `${office}: layanan pengaduan dan informasi`,
    footerNote: 'Halaman ini tidak memakai cookie pelacak dan tidak memuat apa pun dari situs lain.',
    navigation: 'Menu',
    reportLink: 'Kirim laporan',
    trackLink: 'Lacak laporan',
  },
  form: {
    title: 'Kirim laporan, pertanyaan atau saran',
    intro:
      'Isi formulir ini untuk bertanya, mengadu, berkonsultasi, memberi saran atau apresiasi. Anda akan mendapat nomor tiket untuk melacak tindak lanjutnya.',
    required: 'wajib',
    optional: 'boleh dikosongkan',
    aboutYou: 'Tentang Anda',
    name: 'Nama',
    nameHint: 'Nama Anda, atau nama panggilan.',
    phone: 'Nomor HP',
    phoneHint: 'Contoh: 0812 3456 7890. Kami mengirim nomor tiket lewat SMS.',
    email: 'Email',
    emailHint: 'Bila diisi, jawaban kami dikirim ke email ini.',
    contactRule: 'Isi nomor HP atau email (atau keduanya) agar kami dapat menjawab Anda.',
    kind: 'Jenis laporan',
    kindHint: 'Pilih yang paling sesuai.',
    choose: 'Pilih…',
    complaintType: 'Jenis pengaduan',
    complaintTypeHint: 'Hanya untuk pengaduan. Pilih bila Anda tahu; petugas dapat mengubahnya.',
    complaintTypeNone: 'Tidak tahu / tidak dipilih',
    permitNumber: 'Nomor izin atau nomor berkas',
    permitNumberHint: 'Bila laporan Anda tentang permohonan izin yang sudah diajukan.',
    text: 'Isi laporan',
    textHint: (max) =>
      `Ceritakan apa yang terjadi, kapan dan di mana, dan apa yang Anda harapkan. Paling banyak ${max} karakter.`,
    attachments: 'Lampiran',
    attachmentsHint: (count, megabytes) =>
      `Foto, PDF atau dokumen (Word, Excel) tanpa makro; paling banyak ${count} berkas, masing-masing paling besar ${megabytes} MB.`,
    protection: 'Perlindungan pelapor',
    confidential: 'Rahasiakan laporan saya',
    confidentialHint:
      'Isi laporan hanya dapat dibuka oleh petugas yang menanganinya dan atasannya, bukan oleh semua petugas.',
    anonymous: 'Sembunyikan identitas saya',
    anonymousHint:
      'Petugas yang menangani tidak melihat nama, nomor HP dan email Anda; hanya atasan yang dapat melihatnya. Kami tetap dapat mengirim jawaban kepada Anda.',
    honeypot: 'Jangan isi kolom ini',
    privacyTitle: 'Data pribadi Anda',
    privacy: (office, contact, retentionYears) => [
      `${office} menyimpan nama, nomor HP, email, isi laporan dan lampiran Anda untuk menindaklanjuti laporan ini dan menjawab Anda (UU 27/2022 tentang Pelindungan Data Pribadi).`,
      'Data hanya dilihat oleh petugas yang perlu menanganinya. Data tidak dijual dan tidak diberikan kepada pihak lain di luar instansi yang menangani laporan Anda.',
      retentionYears
        ? `Data disimpan selama laporan ditangani dan sesudahnya ${retentionYears} tahun sejak laporan selesai, sesuai jadwal retensi arsip ${office}, lalu dihapus.`
        : `Data disimpan selama laporan ditangani dan sesudahnya selama masa simpan yang ditetapkan ${office} dalam jadwal retensi arsipnya, lalu dihapus. Lama masa simpan itu dapat Anda tanyakan kepada ${contact}.`,
      `Untuk melihat, memperbaiki atau meminta penghapusan data Anda, hubungi ${contact} dan sebutkan nomor tiket Anda.`,
    ],
    privacyContactFallback: 'petugas layanan kami',
    submit: 'Kirim laporan',
    solving: 'Menyiapkan pengiriman…',
    errorSummary: 'Ada yang perlu diperbaiki:',
    errors: {
      name_too_long: 'Nama terlalu panjang (paling banyak 200 karakter).',
      contact_missing: 'Isi nomor HP atau email agar kami dapat menjawab Anda.',
      phone_invalid: 'Nomor HP tidak dikenali. Tulis seperti 0812 3456 7890 atau +62 812 3456 7890.',
      email_invalid: 'Alamat email tidak dikenali. Tulis seperti nama@contoh.id.',
      kind_invalid: 'Pilih jenis laporan.',
      complaint_type_invalid: 'Pilih jenis pengaduan dari daftar.',
      permit_number_too_long: 'Nomor izin terlalu panjang (paling banyak 64 karakter).',
      text_missing: 'Tulis isi laporan Anda.',
      text_too_long: 'Isi laporan terlalu panjang.',
      attachment_too_many: 'Terlalu banyak lampiran.',
      attachment_too_large: 'Lampiran terlalu besar.',
      attachment_type: 'Jenis berkas ini tidak diterima. Kirim foto, PDF atau dokumen tanpa makro.',
      body_too_large: 'Kiriman terlalu besar. Kurangi atau perkecil lampiran.',
      honeypot_filled: 'Kolom "Jangan isi kolom ini" harus kosong. Kosongkan lalu kirim lagi.',
      form_expired: 'Formulir sudah terlalu lama dibuka. Periksa isian Anda lalu kirim lagi.',
      too_fast: 'Formulir terkirim terlalu cepat. Periksa isian Anda lalu kirim lagi.',
      challenge_failed: 'Pemeriksaan keamanan tidak berhasil. Kirim lagi.',
      rate_limited: 'Terlalu banyak kiriman dari sambungan Anda. Coba lagi beberapa saat lagi.',
      idempotency_key_invalid: 'Formulir tidak lengkap. Muat ulang halaman lalu kirim lagi.',
      idempotency_conflict:
        'Formulir ini sudah pernah dikirim dengan isi lain. Muat ulang halaman untuk mengirim laporan baru.',
      malformed: 'Kiriman tidak dapat dibaca. Muat ulang halaman lalu kirim lagi.',
    },
  },
  received: {
    title: 'Laporan Anda sudah kami terima',
    thanks: 'Terima kasih. Laporan Anda sudah tercatat.',
    reference: 'Nomor tiket Anda',
    keep: 'Simpan nomor ini. Sebutkan bila menghubungi kami lagi, atau pakai untuk melacak laporan.',
    ackBySms: 'Kami juga mengirim nomor ini lewat SMS.',
    ackByEmail: 'Kami juga mengirim nomor ini lewat email.',
    pending: 'Laporan Anda sudah tersimpan dan sedang dicatat. Nomor tiket muncul di sini dalam beberapa detik.',
    refresh: 'Muat ulang halaman ini',
    another: 'Kirim laporan lain',
  },
  notFound: { title: 'Halaman tidak ditemukan', text: 'Alamat ini tidak ada.' },
};

const EN: WebTexts = {
  language: 'en',
  layout: {
    skipToContent: 'Skip to content',
    otherLanguage: 'Bahasa Indonesia',
    otherLanguageName: 'Ganti ke Bahasa Indonesia',
    footer: (office) => `${office}: complaints and information service`,
    footerNote: 'This page uses no tracking cookies and loads nothing from other sites.',
    navigation: 'Menu',
    reportLink: 'Send a report',
    trackLink: 'Track a report',
  },
  form: {
    title: 'Send a report, question or suggestion',
    intro:
      'Fill in this form to ask a question, make a complaint, ask for advice, or send a suggestion or thanks. You will get a ticket number to follow what happens to it.',
    required: 'required',
    optional: 'optional',
    aboutYou: 'About you',
    name: 'Name',
    nameHint: 'Your name, or what we should call you.',
    phone: 'Mobile number',
    phoneHint: 'For example 0812 3456 7890. We send your ticket number by SMS.',
    email: 'Email',
    emailHint: 'If you give one, our answers go to this address.',
    contactRule: 'Give a mobile number or an email address (or both) so that we can answer you.',
    kind: 'Kind of report',
    kindHint: 'Choose the closest.',
    choose: 'Choose…',
    complaintType: 'Kind of complaint',
    complaintTypeHint: 'Complaints only. Choose one if you know; our staff may change it.',
    complaintTypeNone: "Don't know / not chosen",
    permitNumber: 'Permit or file number',
    permitNumberHint: 'If your report is about a permit application you already made.',
    text: 'Your report',
    textHint: (max) =>
      `Tell us what happened, when and where, and what you would like us to do. At most ${max} characters.`,
    attachments: 'Attachments',
    attachmentsHint: (count, megabytes) =>
      `Photos, PDF or documents (Word, Excel) without macros; at most ${count} files of at most ${megabytes} MB each.`,
    protection: 'Protecting you',
    confidential: 'Keep my report confidential',
    confidentialHint: 'Only the officer handling your report and their supervisors can open it, not every officer.',
    anonymous: 'Hide who I am',
    anonymousHint:
      'The officer handling your report does not see your name, number or email; only supervisors can. We can still send you our answer.',
    honeypot: 'Leave this field empty',
    privacyTitle: 'Your personal data',
    privacy: (office, contact, retentionYears) => [
      `${office} keeps your name, mobile number, email, report and attachments to follow up this report and answer you (Law 27/2022 on Personal Data Protection).`,
      'Only the staff who need to handle it see your data. It is never sold, nor given to anyone outside the agencies handling your report.',
      retentionYears
        ? `Your data is kept while your report is handled and for ${retentionYears} ${retentionYears === 1 ? 'year' : 'years'} after it is closed, under the records retention schedule of ${office}, then deleted.`
        : `Your data is kept while your report is handled and afterwards for the period set in the records retention schedule of ${office}, then deleted. You can ask ${contact} how long that period is.`,
      `To see, correct or ask us to delete your data, contact ${contact} and quote your ticket number.`,
    ],
    privacyContactFallback: 'our service staff',
    submit: 'Send report',
    solving: 'Getting ready to send…',
    errorSummary: 'Please correct the following:',
    errors: {
      name_too_long: 'The name is too long (at most 200 characters).',
      contact_missing: 'Give a mobile number or an email address so that we can answer you.',
      phone_invalid: 'We do not recognise this mobile number. Write it like 0812 3456 7890 or +62 812 3456 7890.',
      email_invalid: 'We do not recognise this email address. Write it like name@example.id.',
      kind_invalid: 'Choose the kind of report.',
      complaint_type_invalid: 'Choose a kind of complaint from the list.',
      permit_number_too_long: 'The permit number is too long (at most 64 characters).',
      text_missing: 'Write your report.',
      text_too_long: 'Your report is too long.',
      attachment_too_many: 'Too many attachments.',
      attachment_too_large: 'An attachment is too large.',
      attachment_type: 'This kind of file is not accepted. Send photos, PDF or documents without macros.',
      body_too_large: 'What you sent is too large. Send fewer or smaller attachments.',
      honeypot_filled: 'The field "Leave this field empty" must be empty. Empty it and send again.',
      form_expired: 'The form was open too long. Check what you wrote and send it again.',
      too_fast: 'The form was sent too quickly. Check what you wrote and send it again.',
      challenge_failed: 'The security check did not pass. Please send again.',
      rate_limited: 'Too many reports from your connection. Please try again in a while.',
      idempotency_key_invalid: 'The form is incomplete. Reload the page and send again.',
      idempotency_conflict: 'This form was already sent with other content. Reload the page to send a new report.',
      malformed: 'We could not read what was sent. Reload the page and send again.',
    },
  },
  received: {
    title: 'We have received your report',
    thanks: 'Thank you. Your report is recorded.',
    reference: 'Your ticket number',
    keep: 'Keep this number. Quote it when you contact us again, or use it to track your report.',
    ackBySms: 'We have also sent this number by SMS.',
    ackByEmail: 'We have also sent this number by email.',
    pending: 'Your report is saved and being recorded. The ticket number appears here within a few seconds.',
    refresh: 'Reload this page',
    another: 'Send another report',
  },
  notFound: { title: 'Page not found', text: 'There is no such page.' },
};

const TEXTS: Record<Language, WebTexts> = { id: ID, en: EN };

export function webTexts(language: Language): WebTexts {
  return TEXTS[language] ?? ID;
}
