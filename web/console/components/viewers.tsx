import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { TicketViewer } from '../api/types';
import { useTexts } from '../i18n';

/** How often an open ticket tells the server its agent is there (the server forgets after 30 s). */
export const VIEWER_HEARTBEAT_MS = 8_000;

/**
 * Collision detection: while the ticket is open, tells the server every few seconds that this agent
 * views it, or replies (at once when that changes); answers the other agents there now.
 */
export function useViewers(api: ApiClient, ticketId: number, replying: boolean): TicketViewer[] {
  const [others, setOthers] = useState<TicketViewer[]>([]);
  const activity = useRef<'viewing' | 'replying'>('viewing');
  activity.current = replying ? 'replying' : 'viewing';
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((count) => count + 1), VIEWER_HEARTBEAT_MS);
    // Gone at once when the ticket or the tab closes; else forgotten 30 s after the last word.
    const closing = () => void api.leaveViewers(ticketId, true).catch(() => undefined);
    addEventListener('pagehide', closing);
    return () => {
      clearInterval(timer);
      removeEventListener('pagehide', closing);
      api.leaveViewers(ticketId).catch(() => undefined);
    };
  }, [api, ticketId]);
  useEffect(() => {
    let current = true;
    api.markViewer(ticketId, activity.current).then(
      (answer) => current && setOthers(answer),
      () => current && setOthers([]), // not worth an error on screen: the ticket itself says what failed
    );
    return () => {
      current = false;
    };
  }, [api, ticketId, replying, tick]);
  return others;
}

/** "Sari sedang membalas tiket ini": said, not only shown, to screen readers too. */
export function ViewersNotice({ viewers }: { viewers: TicketViewer[] }) {
  const { t } = useTexts();
  const replying = viewers.filter((viewer) => viewer.activity === 'replying').map((viewer) => viewer.name);
  const viewing = viewers.filter((viewer) => viewer.activity === 'viewing').map((viewer) => viewer.name);
  return (
    <div class="viewers" role="status" aria-live="polite">
      {replying.length > 0 ? (
        <p class="collision" data-collision="replying">
          {t.collisionReplying.replace('{names}', replying.join(', '))}
        </p>
      ) : null}
      {viewing.length > 0 ? (
        <p class="collision" data-collision="viewing">
          {t.collisionViewing.replace('{names}', viewing.join(', '))}
        </p>
      ) : null}
    </div>
  );
}
