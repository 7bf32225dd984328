import { ApiError } from '../api/client';
import { useTexts } from '../i18n';

/** A refused action: the API's own message (it names the problem), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTexts();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p class="error" role="alert">
      {error instanceof ApiError ? `${t.refused}: ` : ''}
      {message}
    </p>
  );
}
