// Today's breaches of the design's arrows (issue 13), read by architecture.test.ts. The list only
// shrinks: an arrow not listed here fails the test, and so does a listed arrow the code no longer
// has. Fix the code, then delete its line; never add one.

export interface KnownArrow {
  from: string;
  to: string;
  reason: string;
}

/**
 * File -> imported file (or the express package), for imports a rule forbids: channels -> src,
 * core -> src/http or express, tickets -> sla | routing.
 */
export const knownForbiddenImports: readonly KnownArrow[] = [];

/**
 * Folder -> folder arrows that lie on a cycle between folders (src/<folder>, channels/<folder>; a file
 * directly in src/ is its own node, channels/adapter.ts and registry.ts are "channels").
 */
export const knownFolderCycleArrows: readonly KnownArrow[] = [
  { from: 'channels', to: 'channels/email', reason: 'issue 13: to be removed (the two folders import each other)' },
  {
    from: 'channels',
    to: 'channels/twilio-messaging',
    reason: 'issue 13: to be removed (the two folders import each other)',
  },
  {
    from: 'channels',
    to: 'channels/twilio-voice',
    reason: 'issue 13: to be removed (the two folders import each other)',
  },
  {
    from: 'channels',
    to: 'channels/webchat',
    reason:
      'issue 15: the web chat, a new folder (and adapter) on the existing folder cycle, as src/voice and the other adapters are; to be removed with them',
  },
  { from: 'channels/email', to: 'channels', reason: 'issue 13: to be removed (the two folders import each other)' },
  {
    from: 'channels/twilio-messaging',
    to: 'channels',
    reason: 'issue 13: to be removed (the two folders import each other)',
  },
  {
    from: 'channels/twilio-voice',
    to: 'channels',
    reason: 'issue 13: to be removed (the two folders import each other)',
  },
  {
    from: 'channels/twilio-voice',
    to: 'channels/twilio-messaging',
    reason: 'issue 13: to be removed (on a folder cycle)',
  },
  {
    from: 'channels/webchat',
    to: 'channels',
    reason:
      'issue 15: the web chat, a new folder (and adapter) on the existing folder cycle, as src/voice and the other adapters are; to be removed with them',
  },
  { from: 'src/auth', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/calendar', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/contacts', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/db', to: 'src/queue', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/mail', to: 'src/inbox', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/mail', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/i18n', to: 'src/tickets', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/inbox', to: 'src/contacts', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/i18n', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/mail', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/metrics', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/inbox', to: 'src/queue', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/inbox', to: 'src/tickets', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/mail', to: 'src/i18n', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/mail', to: 'src/tickets', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/messages', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/messages', to: 'src/mail', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/messages', to: 'src/metrics', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/messages', to: 'src/tickets', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/metrics', to: 'src/auth', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/metrics', to: 'src/calendar', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/metrics', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/metrics', to: 'src/queue', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/metrics', to: 'src/routing', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/metrics', to: 'src/sla', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/metrics', to: 'src/tickets', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/queue', to: 'src/db', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/queue', to: 'src/inbox', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/queue', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/queue', to: 'src/metrics', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/queue', to: 'src/routing', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/queue', to: 'src/sla', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/routing', to: 'src/auth', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/routing', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/routing', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/routing', to: 'src/queue', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/routing', to: 'src/tasks', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/routing', to: 'src/tickets', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/routing', to: 'src/voice', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/sla', to: 'src/auth', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/calendar', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/contacts', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/i18n', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/sla', to: 'src/queue', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/sla', to: 'src/tickets', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tasks', to: 'src/auth', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/calendar', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/contacts', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/i18n', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/messages', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/queue', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/routing', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tasks', to: 'src/tickets', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tasks', to: 'src/voice', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tickets', to: 'src/auth', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tickets', to: 'src/calendar', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tickets', to: 'src/contacts', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tickets', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/tickets', to: 'src/i18n', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tickets', to: 'src/mail', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tickets', to: 'src/messages', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/tickets', to: 'src/queue', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/calendar', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/contacts', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/db', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/inbox', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/queue', reason: 'issue 13: to be removed (on a folder cycle)' },
  { from: 'src/voice', to: 'src/routing', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/voice', to: 'src/tasks', reason: 'issue 13: to be removed (the two folders import each other)' },
  { from: 'src/voice', to: 'src/tickets', reason: 'issue 13: to be removed (on a folder cycle)' },
];
