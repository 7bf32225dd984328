import { useCallback, useRef } from 'preact/hooks';

/**
 * `work` run one at a time however often the returned function is called: a call while it runs
 * asks for one more run after it, never more. Live events come in bursts (20 new tickets a
 * second at a busy desk), and a reload per event would queue reloads behind each other on the
 * server; the list only needs to be fetched after the last event it has not seen yet.
 */
export function useCoalesced(work: () => Promise<void>): () => void {
  const latest = useRef(work);
  latest.current = work;
  const running = useRef(false);
  const again = useRef(false);
  return useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    void (async () => {
      try {
        do {
          again.current = false;
          await latest.current().catch(() => undefined);
        } while (again.current);
      } finally {
        running.current = false;
      }
    })();
  }, []);
}
