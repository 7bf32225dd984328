/**
 * The chat's words to a visitor outside the widget: the transcript mailed to them. Bahasa
 * Indonesia first, English by the session's language.
 */
type Language = 'id' | 'en';

const TRANSCRIPT: Record<
  Language,
  { intro: (office: string, reference: string) => string; visitor: string; staff: string; closing: string }
> = {
  id: {
    intro: (office, reference) =>
      `Berikut salinan percakapan obrolan Anda dengan ${office}, nomor tiket ${reference}. Waktu dalam zona waktu kantor.`,
    visitor: 'Anda',
    staff: 'Petugas',
    closing: 'Untuk menambahkan informasi, balas email ini atau sebutkan nomor tiket di atas.',
  },
  en: {
    intro: (office, reference) =>
      `Here is a copy of your chat with ${office}, ticket number ${reference}. Times are in the office's time zone.`,
    visitor: 'You',
    staff: 'Staff',
    closing: 'To add information, reply to this email or quote the ticket number above.',
  },
};

export interface TranscriptLine {
  direction: 'inbound' | 'outbound';
  author?: string;
  /** Already formatted in the office's time zone. */
  time: string;
  text: string;
}

/** The transcript as plain text (never HTML: the visitor's words stay words). */
export function chatTranscriptText(
  language: string,
  values: { office: string; reference: string; lines: TranscriptLine[] },
): string {
  const words = TRANSCRIPT[language as Language] ?? TRANSCRIPT.id;
  const lines = values.lines.map(
    (line) =>
      `[${line.time}] ${line.direction === 'inbound' ? words.visitor : (line.author ?? words.staff)}: ${line.text}`,
  );
  return [words.intro(values.office, values.reference), '', ...lines, '', words.closing, '', values.office].join('\n');
}
