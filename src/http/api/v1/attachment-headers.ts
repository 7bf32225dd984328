import { KEPT_CONTENT_TYPES } from '../../../messages/attachment-policy.js';

/**
 * Shown in the browser when opened: PDF and raster images, which cannot run script in a
 * sandboxed answer. Everything else the policy keeps (office documents, text, CSV) is saved.
 */
const INLINE_TYPES = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/tiff',
  'image/heic',
  'image/heif',
]);

/**
 * Calls' recordings and voice notes as providers give them, played in the console: audio runs no
 * script, and the answer is sandboxed like every file's.
 */
export const PLAYED_AUDIO: ReadonlySet<string> = new Set([
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/ogg',
  'audio/mp4',
  'audio/aac',
]);

/** What a file saved without a name is called (as the attachment policy names one). */
const DEFAULT_NAME = 'lampiran';

export interface ServedAs {
  contentType: string;
  disposition: 'inline' | 'attachment';
}

/**
 * The type an attachment is served as: the one recorded, when it is one the attachment policy
 * gives after sniffing the bytes (attachment-policy.ts); anything else (text/html, image/svg+xml,
 * a provider's or an older row's declared type) as `application/octet-stream`, to be saved,
 * never rendered.
 */
export function servedAs(recorded: string | null): ServedAs {
  const type = recorded?.trim().toLowerCase() ?? '';
  if (PLAYED_AUDIO.has(type)) return { contentType: type, disposition: 'inline' };
  if (!KEPT_CONTENT_TYPES.has(type)) return { contentType: 'application/octet-stream', disposition: 'attachment' };
  return { contentType: type, disposition: INLINE_TYPES.has(type) ? 'inline' : 'attachment' };
}

/**
 * `Content-Disposition` (RFC 6266) for a name: a plain-ASCII `filename` for old clients, and the
 * name itself in `filename*` (RFC 5987, UTF-8 percent-encoded) for every current browser. The
 * name was cleaned when stored (no path, no control or bidi characters); the fallback also drops
 * what a quoted string or a decoding client could misread (`"`, `\`, `%`). Written here rather
 * than with the `content-disposition` package, which is only express's own dependency.
 */
export function contentDisposition(disposition: ServedAs['disposition'], filename: string | null): string {
  const name = filename?.trim() || DEFAULT_NAME;
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The headers of a served file, on top of the security headers every answer has: taken as the
 * type sent (nosniff); if a browser opens it, a sandbox that loads nothing, runs nothing and may
 * not be framed; kept by no shared cache (a citizen's document).
 */
export function fileHeaders(served: ServedAs, filename: string | null, size: number | null): Record<string, string> {
  return {
    'Content-Type': served.contentType,
    // A provider's file may come without its length: then it is sent chunked.
    ...(size === null ? {} : { 'Content-Length': String(size) }),
    'Content-Disposition': contentDisposition(served.disposition, filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'Cache-Control': 'private, no-store',
  };
}
