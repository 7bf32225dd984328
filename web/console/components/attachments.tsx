import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { MessageAttachment } from '../api/types';
import { useTexts } from '../i18n';
import { ErrorMessage } from './error-message';

/** "12 KB", "1.4 MB": a file's size as a person reads it. */
function sizeOf(bytes: number | null, language: string): string {
  if (bytes === null) return '';
  const format = (value: number, unit: string) =>
    `${value.toLocaleString(language === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 })} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / (1024 * 1024), 'MB');
}

/** A recording or a voice note: played in the page rather than saved. */
const isAudio = (attachment: MessageAttachment) => (attachment.content_type ?? '').startsWith('audio/');

/**
 * A message's files. Both downloading and playing fetch the file with the agent's token (a link or
 * an `<audio src>` could not carry it) and hand the browser a blob: address: saved under the name
 * the server gave, or played by an `<audio>` element (CSP media-src blob:). The server sends files
 * with a safe type, so nothing of the citizen's runs in the page; a call's recording comes from the
 * provider through the server, whose credentials never reach the page.
 */
export function Attachments({ api, attachments }: { api: ApiClient; attachments: MessageAttachment[] }) {
  const { t, language } = useTexts();
  const [error, setError] = useState<unknown>(null);
  /** The blob: address of each recording loaded for playing, by attachment id. */
  const [playing, setPlaying] = useState<Record<number, string>>({});
  const [loading, setLoading] = useState<number | null>(null);
  const playingRef = useRef(playing);
  playingRef.current = playing;
  // The recordings' bytes are let go when the timeline is left.
  useEffect(
    () => () => {
      for (const address of Object.values(playingRef.current)) URL.revokeObjectURL(address);
    },
    [],
  );
  if (attachments.length === 0) return null;
  const fetched = async (attachment: MessageAttachment): Promise<string | undefined> => {
    setError(null);
    try {
      return URL.createObjectURL(await api.attachment(attachment.download_url!));
    } catch (refused) {
      setError(refused);
      return undefined;
    }
  };
  const download = async (attachment: MessageAttachment) => {
    const address = await fetched(attachment);
    if (!address) return;
    const link = document.createElement('a');
    link.href = address;
    link.download = attachment.filename ?? `lampiran-${attachment.id}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(address), 60_000);
  };
  const play = async (attachment: MessageAttachment) => {
    setLoading(attachment.id);
    const address = await fetched(attachment);
    setLoading(null);
    if (address) setPlaying((loaded) => ({ ...loaded, [attachment.id]: address }));
  };
  return (
    <div class="attachments">
      <ul aria-label={t.attachments}>
        {attachments.map((attachment) => {
          const name = attachment.filename ?? t.unnamedFile;
          const size = sizeOf(attachment.size_bytes, language);
          const loaded = playing[attachment.id];
          let control: ComponentChildren = <span>{name}</span>;
          if (attachment.download_url && isAudio(attachment))
            control = loaded ? (
              // biome-ignore lint/a11y/useMediaCaption: a citizen's call has no captions; its transcription, when Twilio made one, is a message of its own on the timeline
              <audio controls autoPlay src={loaded} aria-label={t.recordingOf.replace('{name}', name)} />
            ) : (
              <button
                type="button"
                class="link"
                disabled={loading === attachment.id}
                onClick={() => void play(attachment)}
              >
                {loading === attachment.id ? t.loadingRecording : t.playRecording.replace('{name}', name)}
              </button>
            );
          else if (attachment.download_url)
            control = (
              <button type="button" class="link" onClick={() => void download(attachment)}>
                {t.downloadFile.replace('{name}', name)}
              </button>
            );
          return (
            <li key={attachment.id}>
              {control}
              {size ? <span class="size"> · {size}</span> : null}
            </li>
          );
        })}
      </ul>
      <ErrorMessage error={error} />
    </div>
  );
}
