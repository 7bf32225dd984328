import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en';
import { type Dictionary, id } from './id';

export type Language = 'id' | 'en';
export const DICTIONARIES: Record<Language, Dictionary> = { id, en };

export interface Texts {
  language: Language;
  t: Dictionary;
  /** A vocabulary word (status, channel, priority) by its code, the code itself when unknown. */
  word(kind: 'status' | 'channel' | 'priority' | 'presence', code: string): string;
}

export function textsFor(language: Language): Texts {
  const t = DICTIONARIES[language];
  return {
    language,
    t,
    word: (kind, code) => (t as Record<string, string>)[`${kind}_${code}`] ?? code,
  };
}

export const TextsContext = createContext<Texts>(textsFor('id'));
export const useTexts = (): Texts => useContext(TextsContext);
