import { ApiError } from '../api/client';
import { useTexts } from '../i18n';

/**
 * A refused action, announced to screen readers: in the user's language when the console knows the
 * API's error code, with the API's own message after it (it names the particular problem).
 */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTexts();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ApiError)) {
    return (
      <p class="error" role="alert">
        {message}
      </p>
    );
  }
  const known = error.code ? (t as Record<string, string>)[`error_${error.code}`] : undefined;
  return (
    <p class="error" role="alert" data-code={error.code}>
      {t.refused}: {known ?? message}
      {known && known !== message ? (
        <>
          {' '}
          <span class="detail">
            ({t.apiSaid}: <span lang="en">{message}</span>)
          </span>
        </>
      ) : null}
    </p>
  );
}
