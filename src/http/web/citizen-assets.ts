import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { packageRoot } from '../../package-file.js';

/** Where the built citizen assets are named: the addresses a page links to (absent: not built). */
export interface CitizenAssets {
  style?: string;
  script?: string;
}

export const CITIZEN_ASSET_PATH = '/citizen/assets';

/** dist/web/citizen, as web/build.mjs writes it. */
export function defaultCitizenDir(): string {
  return path.join(packageRoot(), 'dist', 'web', 'citizen');
}

/**
 * The citizen pages' style sheet and script, built by web/build.mjs with their content's hash in
 * their names (manifest.json says which). Read when asked, not once: a build made after the server
 * started (tests, `npm run build` in development) is picked up. Not built: the pages still work,
 * unstyled and without the script, which they never need.
 */
export function citizenAssets(directory: string = defaultCitizenDir()): CitizenAssets {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const named = (key: string) =>
      typeof manifest[key] === 'string' ? `${CITIZEN_ASSET_PATH}/${manifest[key]}` : undefined;
    return { style: named('style'), script: named('script') };
  } catch {
    return {};
  }
}

/**
 * GET /citizen/assets/*: the hashed files, cached for a year (a new build has new names). A
 * middleware, not a router's routes: static files are no API operation (as /console's assets).
 */
export function citizenAssetRoutes(directory: string = defaultCitizenDir()): RequestHandler {
  const files = express.static(path.join(directory, 'assets'), {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (response) => response.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!request.path.startsWith(`${CITIZEN_ASSET_PATH}/`)) return next();
    const url = request.url;
    request.url = url.slice(CITIZEN_ASSET_PATH.length);
    files(request, response, () => {
      request.url = url;
      next();
    });
  };
}
