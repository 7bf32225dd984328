/**
 * The citizen pages' Content-Security-Policy: script and style from this server only and nothing
 * inline (the pages write none), no plugins, no <base> rewriting, forms post only here, fetch only
 * here (the form's script posts to our own API). `frame-ancestors 'none'`: /lapor and /lacak are
 * never framed by another site (clickjacking a complaint form); the chat widget's iframe page has
 * its own policy that allows the configured origins.
 */
export const CITIZEN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The same policy with other framing rules (the widget's iframe): `frame-ancestors` replaced. */
export function citizenCspFramedBy(origins: readonly string[]): string {
  const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
  return CITIZEN_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${ancestors}`);
}
