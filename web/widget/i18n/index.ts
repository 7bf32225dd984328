import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.js';
import { type Dictionary, id } from './id.js';

export type Language = 'id' | 'en';
export const DICTIONARIES: Record<Language, Dictionary> = { id, en };

export const TextsContext = createContext<Dictionary>(id);
export const useTexts = (): Dictionary => useContext(TextsContext);
