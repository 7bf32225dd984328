import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { StreamEvent } from './api/event-stream';
import type { Dictionary } from './i18n/id';
import type { LiveEvents } from './live';
import { ticketIdOf } from './live';

/** The browser's permission for notifications, or 'unsupported' where there is no Notification. */
export type NotifyPermission = NotificationPermission | 'unsupported';

export function notifyPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The permission, and asking for it (only ever on the agent's click: browsers refuse it otherwise). */
export function useNotifyPermission(): [NotifyPermission, () => Promise<void>] {
  const [permission, setPermission] = useState<NotifyPermission>(notifyPermission);
  const ask = async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  };
  return [permission, ask];
}

/**
 * Desktop notifications, once the agent allowed them, for what they must not miss while looking at
 * another window: a ticket assigned to them, and a citizen's new message on a ticket of theirs.
 * Only a ticket that is theirs is read (one call, for its reference); its subject goes into the
 * notification as text, which is all a notification can show. A click opens the ticket.
 */
export function useTicketNotifications(options: {
  api: ApiClient;
  live: LiveEvents;
  agentId: number;
  t: Dictionary;
  onOpen(ticketId: number): void;
}): void {
  const { api, live, agentId, t, onOpen } = options;
  useEffect(
    () =>
      live.listen((event: StreamEvent) => {
        if (notifyPermission() !== 'granted') return;
        const ticketId = ticketIdOf(event);
        if (ticketId === undefined) return;
        // Whose the ticket is now comes with the event: only my tickets are read, for their reference.
        if ((event.data as { assignee_id?: unknown } | null)?.assignee_id !== agentId) return;
        const assignedToMe = event.event === 'assigned';
        if (!assignedToMe && event.event !== 'message_received') return;
        api.ticket(ticketId).then(
          (ticket) => {
            const title = (assignedToMe ? t.notifyAssigned : t.notifyMessage).replace('{reference}', ticket.reference);
            const shown = new Notification(title, {
              body: ticket.subject ?? t.noSubject,
              tag: `ticket-${ticket.id}`, // one per ticket: a newer one replaces it
              lang: t.switchLanguage === 'English' ? 'id' : 'en',
            });
            shown.onclick = () => {
              window.focus();
              onOpen(ticket.id);
              shown.close();
            };
          },
          () => undefined, // gone from my sight meanwhile: nothing to tell
        );
      }),
    [api, live, agentId, t, onOpen],
  );
}
