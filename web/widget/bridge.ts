/**
 * The few messages the loader (on the office's page) and the frame (on our origin) exchange with
 * postMessage. Nothing in them is secret (whether the chat is open, how many messages are unread),
 * and each side checks where a message came from before acting on it.
 */
export const BRIDGE = 'satu-pintu-chat';

export type ToFrame = { ns: typeof BRIDGE; type: 'visibility'; open: boolean };
/** `ready`: the frame listens now, and asks whether it is shown (a message sent earlier was lost). */
export type ToLoader =
  | { ns: typeof BRIDGE; type: 'ready' }
  | { ns: typeof BRIDGE; type: 'close' }
  | { ns: typeof BRIDGE; type: 'unread'; count: number };

export function isBridgeMessage<T extends { type: string }>(data: unknown): data is T {
  return (
    !!data &&
    typeof data === 'object' &&
    (data as { ns?: unknown }).ns === BRIDGE &&
    typeof (data as { type?: unknown }).type === 'string'
  );
}
