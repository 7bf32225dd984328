import { useState } from 'preact/hooks';
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

/**
 * A message's files. Downloading fetches the file with the agent's token (a link could not carry
 * it) and hands the browser a blob: address to save, under the name the server gave; the server
 * sends it with a safe type and as an attachment, so nothing of the citizen's runs in the page.
 */
export function Attachments({ api, attachments }: { api: ApiClient; attachments: MessageAttachment[] }) {
  const { t, language } = useTexts();
  const [error, setError] = useState<unknown>(null);
  if (attachments.length === 0) return null;
  const download = async (attachment: MessageAttachment) => {
    setError(null);
    try {
      const blob = await api.attachment(attachment.download_url!);
      const address = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = address;
      link.download = attachment.filename ?? `lampiran-${attachment.id}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(address), 60_000);
    } catch (refused) {
      setError(refused);
    }
  };
  return (
    <div class="attachments">
      <ul aria-label={t.attachments}>
        {attachments.map((attachment) => {
          const name = attachment.filename ?? t.unnamedFile;
          const size = sizeOf(attachment.size_bytes, language);
          return (
            <li key={attachment.id}>
              {attachment.download_url ? (
                <button type="button" class="link" onClick={() => void download(attachment)}>
                  {t.downloadFile.replace('{name}', name)}
                </button>
              ) : (
                <span>
                  {name} ({t.fileAtProvider})
                </span>
              )}
              {size ? <span class="size"> · {size}</span> : null}
            </li>
          );
        })}
      </ul>
      <ErrorMessage error={error} />
    </div>
  );
}
