/**
 * Everything a citizen reads from us, in Bahasa Indonesia first and English on request. Plain
 * words and GSM-7 characters only, so an acknowledgement fits one SMS segment (mail texts, below,
 * may run longer).
 */
export type Language = 'id' | 'en';

interface AcknowledgementValues {
  office: string;
  reference: string;
}

const ACKNOWLEDGEMENT: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: pesan Anda sudah kami terima. Nomor tiket Anda ${reference}. Sebutkan nomor ini bila menghubungi kami lagi.`,
  en: ({ office, reference }) =>
    `${office}: we have received your message. Your ticket number is ${reference}. Please quote it whenever you contact us again.`,
};

export function acknowledgementText(language: string, values: AcknowledgementValues): string {
  return (ACKNOWLEDGEMENT[language as Language] ?? ACKNOWLEDGEMENT.id)(values);
}

/** A call nobody took opens a ticket too: say what happened, and that we call back (one SMS segment). */
const MISSED_CALL_ACKNOWLEDGEMENT: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: maaf, panggilan Anda belum dapat kami jawab. Kami akan menelepon Anda kembali. Nomor tiket Anda ${reference}.`,
  en: ({ office, reference }) =>
    `${office}: sorry, we could not answer your call. We will call you back. Your ticket number is ${reference}.`,
};

export function missedCallAcknowledgementText(language: string, values: AcknowledgementValues): string {
  return (MISSED_CALL_ACKNOWLEDGEMENT[language as Language] ?? MISSED_CALL_ACKNOWLEDGEMENT.id)(values);
}

/**
 * The acknowledgement of a ticket opened by mail. Mail has room for more than one SMS segment, so
 * it says what happens next and how to add to the ticket: answer this mail (its headers carry the
 * ticket) or quote the number on any other channel.
 */
const MAIL_ACKNOWLEDGEMENT: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    [
      'Yth. Bapak/Ibu,',
      '',
      `Terima kasih telah menghubungi ${office}. Pesan Anda sudah kami terima dan dicatat dengan nomor tiket ${reference}.`,
      'Petugas kami akan menindaklanjutinya dan menjawab melalui email.',
      '',
      'Untuk menambahkan keterangan atau lampiran, cukup balas email ini. Bila menghubungi kami melalui telepon, SMS atau WhatsApp, sebutkan nomor tiket di atas.',
      '',
      'Email ini dikirim secara otomatis.',
      '',
      'Hormat kami,',
      office,
    ].join('\n'),
  en: ({ office, reference }) =>
    [
      'Dear Sir or Madam,',
      '',
      `Thank you for contacting ${office}. We have received your message and recorded it under ticket number ${reference}.`,
      'Our staff will follow it up and answer you by email.',
      '',
      'To add information or attachments, simply reply to this email. If you contact us by phone, SMS or WhatsApp, please quote the ticket number above.',
      '',
      'This email was sent automatically.',
      '',
      'Kind regards,',
      office,
    ].join('\n'),
};

export function acknowledgementMailText(language: string, values: AcknowledgementValues): string {
  return (MAIL_ACKNOWLEDGEMENT[language as Language] ?? MAIL_ACKNOWLEDGEMENT.id)(values);
}

/**
 * The subject of a mail acknowledgement, after the reference. Never the citizen's own subject: the
 * sender may be forged, and a spammer's subject must not leave here under our name (backscatter).
 */
const ACKNOWLEDGEMENT_SUBJECT: Record<Language, string> = {
  id: 'Pesan Anda telah kami terima',
  en: 'We have received your message',
};

export function acknowledgementSubject(language: string): string {
  return ACKNOWLEDGEMENT_SUBJECT[language as Language] ?? ACKNOWLEDGEMENT_SUBJECT.id;
}

/** The subject of our mail on a ticket that has none (a message with an empty first line). */
const UNTITLED_SUBJECT: Record<Language, string> = { id: 'Pesan Anda', en: 'Your message' };

export function untitledSubject(language: string): string {
  return UNTITLED_SUBJECT[language as Language] ?? UNTITLED_SUBJECT.id;
}

interface ClarificationValues {
  office: string;
  reference: string;
  /** The local date by which the ticket is closed without an answer, e.g. "4 Desember 2026". */
  deadline: string;
}

/** A reminder that we still need the citizen's answer to a clarification. */
const CLARIFICATION_REMINDER: Record<Language, (values: ClarificationValues) => string> = {
  id: ({ office, reference, deadline }) =>
    `${office}: kami masih menunggu keterangan Anda untuk tiket ${reference}. Mohon balas pesan ini. Tanpa jawaban, tiket ditutup pada ${deadline}.`,
  en: ({ office, reference, deadline }) =>
    `${office}: we are still waiting for your answer on ticket ${reference}. Please reply to this message. Without an answer the ticket closes on ${deadline}.`,
};

/** The ticket was finished because the citizen did not answer (SP4N-LAPOR!: 10 working days). */
const CLARIFICATION_EXPIRED: Record<Language, (values: Omit<ClarificationValues, 'deadline'>) => string> = {
  id: ({ office, reference }) =>
    `${office}: tiket ${reference} kami tutup karena belum ada jawaban. Anda dapat membukanya kembali dengan membalas pesan ini.`,
  en: ({ office, reference }) =>
    `${office}: we closed ticket ${reference} as we received no answer. You can reopen it by replying to this message.`,
};

export function clarificationReminderText(language: string, values: ClarificationValues): string {
  return (CLARIFICATION_REMINDER[language as Language] ?? CLARIFICATION_REMINDER.id)(values);
}

export function clarificationExpiredText(language: string, values: Omit<ClarificationValues, 'deadline'>): string {
  return (CLARIFICATION_EXPIRED[language as Language] ?? CLARIFICATION_EXPIRED.id)(values);
}

interface ExtensionValues extends AcknowledgementValues {
  days: number;
  deadline: string;
  reason: string;
}

/**
 * The written notice UU 14/2008 (art. 22(8)) requires when an information request's deadline is
 * extended: that it is, why, and until when. Sent on the requester's channel; may take two SMS.
 */
const EXTENSION_NOTICE: Record<Language, (values: ExtensionValues) => string> = {
  id: ({ office, reference, days, deadline, reason }) =>
    `${office}: waktu penyelesaian permohonan informasi Anda (tiket ${reference}) kami perpanjang ${days} hari kerja, sampai ${deadline}. Alasan: ${reason}`,
  en: ({ office, reference, days, deadline, reason }) =>
    `${office}: we are extending the time to answer your information request (ticket ${reference}) by ${days} working days, until ${deadline}. Reason: ${reason}`,
};

export function extensionNoticeText(language: string, values: ExtensionValues): string {
  return (EXTENSION_NOTICE[language as Language] ?? EXTENSION_NOTICE.id)(values);
}

/** A date as citizens write it: "4 Desember 2026" / "4 December 2026", in the office's time zone. */
export function citizenDate(language: string, at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(at);
}

/** The SMS after the last call-back attempt: we tried, and how to reach us. GSM-7, one segment. */
const CALLBACK_UNREACHABLE: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: kami sudah beberapa kali mencoba menelepon Anda untuk tiket ${reference}. Silakan hubungi kami kembali atau balas pesan ini.`,
  en: ({ office, reference }) =>
    `${office}: we tried several times to call you about ticket ${reference}. Please call us back or reply to this message.`,
};

export function callbackUnreachableText(language: string, values: AcknowledgementValues): string {
  return (CALLBACK_UNREACHABLE[language as Language] ?? CALLBACK_UNREACHABLE.id)(values);
}

/**
 * The frame of an agent's text message (reply or clarification) by SMS or WhatsApp: a bare SMS
 * from an unknown number does not say who writes, so it opens with the office and the ticket's
 * reference. GSM-7 only: with the default office name ("Satu Pintu") and a reference such as
 * SP-262-591-945 the frame takes 35 characters, leaving 125 of a single 160-character segment.
 */
const AGENT_TEXT: Record<Language, (values: AcknowledgementValues & { body: string }) => string> = {
  id: ({ office, reference, body }) => `${office} (tiket ${reference}): ${body}`,
  en: ({ office, reference, body }) => `${office} (ticket ${reference}): ${body}`,
};

export function agentTextMessage(language: string, values: AcknowledgementValues & { body: string }): string {
  return (AGENT_TEXT[language as Language] ?? AGENT_TEXT.id)(values);
}

interface StatusValues extends AcknowledgementValues {
  /** The status in words (src/tickets/vocabulary.ts STATUSES), in the citizen's language. */
  status: string;
}

/**
 * The answers to a status request by SMS or WhatsApp (a reference number alone, or after STATUS /
 * CEK). GSM-7, one segment. "Not found" is one answer for an unknown number and for someone else's
 * ticket, so that the answer never tells a stranger that a ticket exists.
 */
const STATUS_ANSWER: Record<Language, (values: StatusValues) => string> = {
  id: ({ office, reference, status }) => `${office}: status tiket ${reference}: ${status}.`,
  en: ({ office, reference, status }) => `${office}: the status of ticket ${reference} is: ${status}.`,
};

const STATUS_NOT_FOUND: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: tiket ${reference} tidak ditemukan untuk nomor telepon ini. Periksa kembali nomornya, atau kirim dari nomor yang Anda pakai saat melapor.`,
  en: ({ office, reference }) =>
    `${office}: ticket ${reference} was not found for this phone number. Please check the number, or write from the phone you reported with.`,
};

const STATUS_MISTYPED: Record<Language, (values: AcknowledgementValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: nomor tiket ${reference} tidak valid, mungkin ada angka yang salah ketik. Periksa kembali nomor tiket Anda.`,
  en: ({ office, reference }) =>
    `${office}: ticket number ${reference} is not valid, a digit may be mistyped. Please check your ticket number.`,
};

export function statusAnswerText(language: string, values: StatusValues): string {
  return (STATUS_ANSWER[language as Language] ?? STATUS_ANSWER.id)(values);
}

export function statusNotFoundText(language: string, values: AcknowledgementValues): string {
  return (STATUS_NOT_FOUND[language as Language] ?? STATUS_NOT_FOUND.id)(values);
}

export function statusMistypedText(language: string, values: AcknowledgementValues): string {
  return (STATUS_MISTYPED[language as Language] ?? STATUS_MISTYPED.id)(values);
}
