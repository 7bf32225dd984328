import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { CITIZEN_CSP } from './citizen-csp.js';

/**
 * Sends a server-rendered citizen page. Preact escapes every text and attribute, so a citizen's
 * words come back as text, never markup. `no-store`: a form page carries a one-time idempotency key
 * and signed timestamp, and a result page a ticket number; neither belongs in a shared cache.
 */
export function sendPage<Props>(
  response: Response,
  page: VNode<Props>,
  options: { status?: number; csp?: string } = {},
): void {
  response
    .status(options.status ?? 200)
    .set({
      'Content-Security-Policy': options.csp ?? CITIZEN_CSP,
      'Cache-Control': 'no-store',
      'Content-Type': 'text/html; charset=utf-8',
    })
    .send(`<!doctype html>${renderToString(page as VNode<unknown> as VNode)}`);
}
