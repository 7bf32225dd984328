import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { VoiceLanguage } from '../../channels/adapter.js';

/**
 * Everything the phone line says, as text (the provider speaks it: a `say` step): Bahasa Indonesia first,
 * English after the caller presses 9. Administrators override any of them with a JSON file
 * (VOICE_PROMPTS_FILE), so that wording, the office's hours or the information given change
 * without a release. `{office}`, `{reference}`, `{status}` are filled in when spoken.
 */
export const PROMPT_KEYS = [
  'greeting',
  'menu',
  'closed',
  'information',
  'invalidChoice',
  'noInput',
  'goodbye',
  'complaintPrompt',
  'voicemailPrompt',
  'recorded',
  'nothingRecorded',
  'enterReference',
  'invalidReference',
  'referenceAttemptsExhausted',
  'ticketNotFound',
  'ticketStatus',
  'callbackConfirmed',
  'callbackNextWorkingPeriod',
  'callbackUnavailable',
  'connecting',
  'noAgent',
  'voicemailOffer',
  'agentWhisper',
] as const;
export type PromptKey = (typeof PROMPT_KEYS)[number];
export type VoicePrompts = Record<VoiceLanguage, Record<PromptKey, string>>;

const ID: Record<PromptKey, string> = {
  greeting: 'Selamat datang di layanan pengaduan dan informasi {office}.',
  menu: 'Untuk informasi perizinan, tekan 1. Untuk menyampaikan pengaduan, tekan 2. Untuk menanyakan status tiket, tekan 3. Untuk minta ditelepon kembali, tekan 4. Untuk berbicara dengan petugas, tekan 5. For English, press 9.',
  closed: 'Saat ini di luar jam layanan. Jam layanan kami Senin sampai Jumat pukul tujuh tiga puluh sampai enam belas.',
  information:
    'Permohonan izin usaha diajukan melalui sistem OSS dengan Nomor Induk Berusaha. Persyaratan dan alur setiap izin dapat Anda tanyakan kepada petugas kami atau di loket pelayanan.',
  invalidChoice: 'Pilihan tidak tersedia.',
  noInput: 'Kami tidak menerima pilihan Anda.',
  goodbye: 'Terima kasih telah menghubungi {office}. Sampai jumpa.',
  complaintPrompt: 'Silakan sampaikan pengaduan Anda setelah nada, lalu tekan tanda pagar.',
  voicemailPrompt: 'Silakan tinggalkan pesan setelah nada, lalu tekan tanda pagar.',
  recorded:
    'Terima kasih, pesan Anda sudah kami catat dan akan ditindaklanjuti. Nomor tiket akan kami kirim melalui SMS.',
  nothingRecorded: 'Kami tidak menerima rekaman.',
  enterReference: 'Masukkan sembilan angka nomor tiket Anda, lalu tekan tanda pagar.',
  invalidReference: 'Nomor tiket tidak valid. Mohon periksa kembali.',
  referenceAttemptsExhausted: 'Nomor tiket belum dapat kami kenali.',
  ticketNotFound: 'Tiket dengan nomor tersebut tidak ditemukan untuk nomor telepon ini.',
  ticketStatus: 'Status tiket {reference}: {status}.',
  callbackConfirmed: 'Permintaan Anda sudah kami catat. Petugas kami akan segera menelepon Anda kembali.',
  callbackNextWorkingPeriod:
    'Permintaan Anda sudah kami catat. Petugas kami akan menelepon Anda kembali pada jam layanan berikutnya.',
  callbackUnavailable: 'Nomor telepon Anda tidak terlihat, sehingga kami tidak dapat menelepon kembali.',
  connecting: 'Mohon tunggu, Anda akan dihubungkan dengan petugas kami.',
  noAgent: 'Mohon maaf, saat ini petugas kami belum dapat menerima panggilan.',
  voicemailOffer: 'Untuk meninggalkan pesan suara, tekan 1. Untuk minta ditelepon kembali, tekan 2.',
  agentWhisper: 'Panggilan balik untuk tiket {reference}. Menghubungkan ke warga.',
};

const EN: Record<PromptKey, string> = {
  greeting: 'Welcome to the information and complaints line of {office}.',
  menu: 'For information about licences, press 1. To make a complaint, press 2. For the status of a ticket, press 3. To be called back, press 4. To speak to an agent, press 5. Untuk Bahasa Indonesia, tekan 9.',
  closed: 'We are closed now. Our hours are Monday to Friday, from seven thirty to four in the afternoon.',
  information:
    'Business licences are applied for through the OSS system with a business identification number, NIB. Our agents and service counters can tell you the requirements and steps of each licence.',
  invalidChoice: 'That option is not available.',
  noInput: 'We did not receive your choice.',
  goodbye: 'Thank you for calling {office}. Goodbye.',
  complaintPrompt: 'Please state your complaint after the tone, then press the hash key.',
  voicemailPrompt: 'Please leave a message after the tone, then press the hash key.',
  recorded: 'Thank you, we have recorded your message and will follow it up. We will send your ticket number by SMS.',
  nothingRecorded: 'We did not receive a recording.',
  enterReference: 'Enter the nine digits of your ticket number, then press the hash key.',
  invalidReference: 'That ticket number is not valid. Please check it.',
  referenceAttemptsExhausted: 'We could not recognise the ticket number.',
  ticketNotFound: 'No ticket with that number was found for this phone number.',
  ticketStatus: 'The status of ticket {reference} is: {status}.',
  callbackConfirmed: 'We have noted your request. One of our agents will call you back soon.',
  callbackNextWorkingPeriod: 'We have noted your request. One of our agents will call you back when we are open again.',
  callbackUnavailable: 'Your number is withheld, so we cannot call you back.',
  connecting: 'Please hold, we are connecting you to an agent.',
  noAgent: 'We are sorry, no agent can take your call right now.',
  voicemailOffer: 'To leave a voice message, press 1. To be called back, press 2.',
  agentWhisper: 'Call-back for ticket {reference}. Connecting you to the citizen.',
};

export const DEFAULT_PROMPTS: VoicePrompts = { id: ID, en: EN };

const overrideSchema = z
  .object({
    id: z
      .object(Object.fromEntries(PROMPT_KEYS.map((key) => [key, z.string().trim().min(1).max(1000).optional()])))
      .strict()
      .optional(),
    en: z
      .object(Object.fromEntries(PROMPT_KEYS.map((key) => [key, z.string().trim().min(1).max(1000).optional()])))
      .strict()
      .optional(),
  })
  .strict();

/** The defaults with an administrator's overrides; an unknown key or language is an error at start. */
export function mergePrompts(overrides: unknown): VoicePrompts {
  const parsed = overrideSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    throw new Error(
      `Invalid voice prompts: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const pick = (language: VoiceLanguage) => ({
    ...DEFAULT_PROMPTS[language],
    ...(stripUndefined(parsed.data[language] ?? {}) as Partial<Record<PromptKey, string>>),
  });
  return { id: pick('id'), en: pick('en') };
}

/** The prompts for this installation: the defaults, or those of VOICE_PROMPTS_FILE over them. */
export function loadPrompts(file: string | undefined): VoicePrompts {
  if (!file) return DEFAULT_PROMPTS;
  return mergePrompts(JSON.parse(readFileSync(file, 'utf8')));
}

/** A prompt with its `{placeholders}` filled in. */
export function speak(
  prompts: VoicePrompts,
  language: VoiceLanguage,
  key: PromptKey,
  values: Record<string, string> = {},
): string {
  return prompts[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function stripUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
