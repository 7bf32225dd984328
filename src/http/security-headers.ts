import type { RequestHandler } from 'express';

/** A year, the least that browsers' HSTS preload lists accept; subdomains too. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The same headers as `helmet` would set, for what this server answers: JSON, CSV, TwiML (XML), the
 * Prometheus text, event streams; nothing a browser should render, frame, sniff or cache. A small
 * middleware rather than helmet, which is not a dependency (it would be the follow-up when pages
 * with scripts arrive; their router then sets its own Content-Security-Policy and Cache-Control,
 * which replace these defaults because a route sets its headers after this middleware).
 *
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`: an answer opened in a
 *   browser loads nothing and runs nothing (a JSON body with markup in it stays inert), and no
 *   page may frame it; `X-Frame-Options: DENY` says the same to older browsers.
 * - `X-Content-Type-Options: nosniff`: the content type is taken as sent (text/plain is not HTML).
 * - `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: same-origin`: no URL (with its
 *   ticket ids and search words) leaks to another site, and no other site may embed an answer.
 * - `Cache-Control: no-store`: answers carry citizens' personal data and tokens; no browser or
 *   proxy keeps a copy. (Event streams set `no-store, no-transform` themselves.)
 * - `Strict-Transport-Security`, when the request came over TLS (`request.secure`, which honours
 *   X-Forwarded-Proto from a trusted proxy) or PUBLIC_URL is https: browsers then refuse plain
 *   HTTP to this host for a year. Never over plain HTTP alone: it would be ignored, or, behind a
 *   proxy that terminates TLS for another host name, wrong.
 *
 * `X-Powered-By` is switched off where the app is made (`app.disable('x-powered-by')`).
 */
export function securityHeaders(options: { publicUrl?: string } = {}): RequestHandler {
  const httpsEverywhere = options.publicUrl?.startsWith('https:') ?? false;
  return (request, response, next) => {
    response.set({
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    if (httpsEverywhere || request.secure) response.set('Strict-Transport-Security', HSTS);
    next();
  };
}
