import { ApiError } from '../api/client';
import { useTexts } from '../i18n';

/**
 * A refused action, announced to screen readers: in the user's language when the console knows the
 * API's error code, with the API's own message after it (it names the particular problem).
 */
export function ErrorMessage({ error, showDetails = false }: { error: unknown; showDetails?: boolean }) {
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
      {showDetails ? <Details details={error.details} /> : null}
    </p>
  );
}

/**
 * The problems the API listed with its refusal (strings, or `{field, problem}`), in its words:
 * a holiday file's bad entries, say. At most ten.
 */
function Details({ details }: { details: unknown }) {
  if (!Array.isArray(details) || details.length === 0) return null;
  const lines = details
    .slice(0, 10)
    .map((entry) =>
      typeof entry === 'string'
        ? entry
        : entry && typeof entry === 'object' && 'problem' in entry
          ? `${String((entry as { field?: unknown }).field ?? '')}: ${String((entry as { problem: unknown }).problem)}`
          : JSON.stringify(entry),
    );
  return (
    <span class="detail problems" lang="en">
      {lines.map((line, index) => (
        <span key={index} class="problem">
          {line}
        </span>
      ))}
    </span>
  );
}
