/**
 * Everything a citizen reads from us, in Bahasa Indonesia first and English on request. Plain
 * words and GSM-7 characters only, so an acknowledgement fits one SMS segment.
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
