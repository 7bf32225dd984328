/**
 * The few words of the launcher button the loader adds to the office's page. Kept apart from the
 * frame's dictionaries so that the loader script stays tiny.
 */
export const LAUNCHER_TEXTS = {
  id: {
    open: 'Buka obrolan dengan petugas',
    close: 'Tutup obrolan',
    label: 'Obrolan',
    frame: 'Obrolan dengan petugas',
  },
  en: { open: 'Open a chat with our staff', close: 'Close the chat', label: 'Chat', frame: 'Chat with our staff' },
} as const;
