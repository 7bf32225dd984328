import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-file.js';
import express, { type RequestHandler } from 'express';
import { notFoundHandler } from './error-handler.js';

/**
 * The page's own policy: its script and style sheet come from this server only, nothing inline
 * (the build writes none), no plugins, no framing; fetch and the event streams go to this origin.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // Recordings are fetched with the agent's token and played from a blob: address (attachments.tsx).
  'media-src blob:',
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/web/console, as web/build.mjs writes it. */
export function defaultConsoleDir(): string {
  return path.join(packageRoot(), 'dist', 'web', 'console');
}

/**
 * GET /console: the agent console, built to static files by `npm run build` (web/build.mjs).
 * Assets carry their content's hash in their names, so they are cached for a year; index.html
 * (which names them) is never cached, so a new build reaches the browser on its next load. Every
 * address under /console that is not an asset is the single page (its router reads the path).
 * `/` sends browsers to the console. When the console was not built, /console says so (503)
 * rather than a bare 404.
 *
 * A middleware rather than a router of routes on purpose: these are static pages, not API
 * operations, so they stay out of the OpenAPI document and the access matrix, which list the
 * router's routes (test/support/route-listing.ts); they need no token (the page asks for one).
 */
export function consoleRoutes(directory: string = defaultConsoleDir()): RequestHandler {
  const assets = express.static(path.join(directory, 'assets'), {
    index: false,
    redirect: false,
    // Set here: the API's default (no-store, from security-headers.ts) is already on the answer.
    setHeaders: (response) => response.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  const index = path.join(directory, 'index.html');
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path === '/') return response.redirect(302, '/console');
    if (request.path !== '/console' && !request.path.startsWith('/console/')) return next();
    response.set('Content-Security-Policy', CONSOLE_CSP);
    if (request.path.startsWith('/console/assets/')) {
      // static reads request.url relative to its mount: strip the prefix for it, put it back after.
      const url = request.url;
      request.url = url.slice('/console/assets'.length);
      return assets(request, response, () => {
        request.url = url;
        notFoundHandler(request, response, next); // an unknown asset is a 404, not the page
      });
    }
    if (!fs.existsSync(index)) {
      response.status(503).json({
        error: { code: 'console_not_built', message: 'The console is not built: run `npm run build`' },
      });
      return;
    }
    response.set('Cache-Control', 'no-store');
    response.type('html').sendFile(index);
  };
}
