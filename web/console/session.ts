import type { Agent } from './api/types';

/**
 * The session: the token lives in memory and in sessionStorage (so a reload of the tab keeps it,
 * a new tab or a closed browser does not), never in a URL, a cookie or a log.
 */
const KEY = 'satu-pintu.session';

export interface Session {
  token: string;
  agent: Agent;
}

export function loadSession(): Session | null {
  try {
    const stored = sessionStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage refused (private mode): the session lives in memory only
  }
}

const LANGUAGE_KEY = 'satu-pintu.language';
export function loadLanguage(): 'id' | 'en' {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}
export function saveLanguage(language: 'id' | 'en'): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // not kept: Indonesian again next time
  }
}
