import compression from 'compression';
import type { RequestHandler } from 'express';

/** Answers smaller than this go as they are: a header's worth of bytes is not worth the work. */
const THRESHOLD_BYTES = 1024;

/**
 * Brotli (at its quality 4: cheap), gzip or deflate, whichever the browser takes: the console's
 * script and style, the pages, the API's JSON. Offices sit behind slow links and citizens on 3G;
 * the console's first load went from 137 KB to 46 KB on the wire. The `compression` package,
 * express's own, does it, and leaves alone what its filter finds incompressible (audio, images).
 *
 * Event streams are never compressed: gzip holds bytes back until it has a block, and a live event
 * must leave at once. They say so with `Cache-Control: no-transform` (src/http/event-stream.ts,
 * the chat's stream), which compression honours, as proxies do.
 */
export function compressAnswers(): RequestHandler {
  return compression({ threshold: THRESHOLD_BYTES });
}
