import type { Language } from '../i18n/citizen-texts.js';

interface UnreachableValues {
  office: string;
  reference: string;
}

/** The SMS after the last call-back attempt: we tried, and how to reach us. GSM-7, one segment. */
const UNREACHABLE: Record<Language, (values: UnreachableValues) => string> = {
  id: ({ office, reference }) =>
    `${office}: kami sudah beberapa kali mencoba menelepon Anda untuk tiket ${reference}. Silakan hubungi kami kembali atau balas pesan ini.`,
  en: ({ office, reference }) => `${office}: we tried several times to call you about ticket ${reference}. Please call us back or reply to this message.`,
};

export function callbackUnreachableText(language: string, values: UnreachableValues): string {
  return (UNREACHABLE[language as Language] ?? UNREACHABLE.id)(values);
}
