import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { defaultConsoleDir } from './console-route.js';
import { notFoundHandler } from './error-handler.js';

/** dist/web/widget, beside the console's build. */
export function defaultWidgetDir(): string {
  return path.join(path.dirname(defaultConsoleDir()), 'widget');
}

/**
 * The frame's policy: like the console's (its script and style from this server only, nothing
 * inline, no plugins; fetch and the stream to this origin), except who may frame it: our own
 * origin and the office sites of WIDGET_ALLOWED_ORIGINS, nobody else.
 */
export function widgetFrameCsp(frameAncestors: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${frameAncestors.join(' ')}`.trimEnd(),
  ].join('; ');
}

/** PUBLIC_URL's origin and the configured ones, each once. */
export function frameAncestors(publicUrl: string, allowed: string[] = []): string[] {
  return [...new Set([new URL(publicUrl).origin, ...allowed])];
}

export interface WidgetRouteOptions {
  publicUrl: string;
  /** WIDGET_ALLOWED_ORIGINS: the office sites that embed the widget. */
  allowedOrigins?: string[];
  directory?: string;
}

/** The loader changes with a deploy and its address cannot: browsers keep it five minutes. */
const LOADER_CACHE = 'public, max-age=300';

/**
 * The chat widget's static files, built by `npm run build` (web/build.mjs):
 * - `GET /chat/widget.js`, the loader an office embeds with `<script src=... async>`; loaded by
 *   other sites, so it may be read cross-origin (CORP cross-origin) and is cached briefly.
 * - `GET /chat/frame`, the iframe's page, under its own CSP whose frame-ancestors name the sites
 *   allowed to embed it (X-Frame-Options, which can only say DENY or SAMEORIGIN, is dropped:
 *   frame-ancestors is what browsers read). Never cached: it names the hashed assets.
 * - `GET /chat/assets/*`, the frame's hashed script and style, cached for a year.
 * Not built: 503 JSON saying so. A middleware like the console's, for the same reasons (static
 * pages, no token, outside the OpenAPI document and the access matrix).
 */
export function widgetRoutes(options: WidgetRouteOptions): RequestHandler {
  const directory = options.directory ?? defaultWidgetDir();
  const csp = widgetFrameCsp(frameAncestors(options.publicUrl, options.allowedOrigins));
  const assets = express.static(path.join(directory, 'assets'), {
    index: false,
    redirect: false,
    setHeaders: (response) => response.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  const notBuilt = (response: express.Response) =>
    response.status(503).json({
      error: { code: 'widget_not_built', message: 'The chat widget is not built: run `npm run build`' },
    });

  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path === '/chat/widget.js') {
      const file = path.join(directory, 'widget.js');
      if (!fs.existsSync(file)) return notBuilt(response);
      response.set({
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': LOADER_CACHE,
      });
      return response.type('text/javascript').sendFile(file);
    }
    if (request.path === '/chat/frame') {
      const file = path.join(directory, 'frame.html');
      if (!fs.existsSync(file)) return notBuilt(response);
      response.removeHeader('X-Frame-Options');
      response.set({ 'Content-Security-Policy': csp, 'Cross-Origin-Resource-Policy': 'cross-origin' });
      return response.type('html').sendFile(file);
    }
    if (request.path.startsWith('/chat/assets/')) {
      const url = request.url;
      request.url = url.slice('/chat/assets'.length);
      return assets(request, response, () => {
        request.url = url;
        notFoundHandler(request, response, next);
      });
    }
    next();
  };
}
