import { useEffect, useState } from 'preact/hooks';

/** The current time, re-read every `everyMs` while the component is shown (the SLA badges tick with it). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Calls `refresh` every `everyMs`: the server's working-time countdown is read again now and then. */
export function useEvery(everyMs: number, refresh: () => void): void {
  useEffect(() => {
    const timer = setInterval(refresh, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, refresh]);
}
