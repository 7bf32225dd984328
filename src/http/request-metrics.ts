import type { Request, RequestHandler } from 'express';
import type { Histogram } from 'prom-client';

/** The label of requests no route answered (404s of unknown paths): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request by method, route pattern and status. Mounted first, so that it sees every
 * request, including those refused before any route (401 from `authenticate`).
 *
 * The pattern is `baseUrl + route.path` taken when the router matches the route. It cannot be
 * read when the response ends: a router that passes an error on restores `req.baseUrl` to its
 * parent's, leaving `/:id` without its `/api/v1/teams`. So the router's assignment of `req.route`
 * is observed through an accessor, at the moment both halves are right.
 */
export function httpMetricsMiddleware(histogram: Histogram<'method' | 'route' | 'status'>): RequestHandler {
  return (request, response, next) => {
    const stop = histogram.startTimer();
    let pattern: string | undefined;
    let route: unknown;
    Object.defineProperty(request, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (typeof value?.path === 'string') pattern = joinPattern(request, value.path);
      },
    });
    // 'close' comes once the answer is sent, and also when the client leaves first (event streams).
    response.once('close', () => {
      stop({ method: request.method, route: pattern ?? UNMATCHED_ROUTE, status: String(response.statusCode) });
    });
    next();
  };
}

function joinPattern(request: Request, path: string): string {
  // Routers are mounted at literal paths (src/app.ts); should one ever take a parameter, an id in
  // it must still not become a label value of its own.
  const base = request.baseUrl.replace(/\/\d+(?=\/|$)/g, '/:id');
  const joined = `${base}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}
