import type { RequestHandler } from 'express';
import type { ClockResync } from '../sla/clock-resync.js';

/**
 * After any successful write through this router, the open tickets' clocks are brought in line.
 * Only the HTTP side knows what a write and its success are (a method, a status below 300); the
 * resync itself is the SLA's (ClockResync), which knows no HTTP.
 */
export function resyncClocksAfterWrites(resync: ClockResync): RequestHandler {
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.on('finish', () => {
        if (response.statusCode < 300) resync.request();
      });
    }
    next();
  };
}
