import type { Server } from 'node:http';
import type { Express } from 'express';

/** One route the express app answers: an HTTP method and a path in OpenAPI form (`/tickets/{id}`). */
export interface ListedRoute {
  method: string;
  path: string;
}

/** A layer of express 5's router (package `router` 2.x), with the fields read here. */
interface Layer {
  /** The path the layer was added with, as written: `app.use('/api/v1/tickets', …)` keeps '/api/v1/tickets' (router ≥ 2.3). */
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * The routes an express 5 app really has, found by walking its router.
 *
 * Express 5 no longer keeps a mount path as a regexp one could read back, but each layer of its
 * router (`router` 2.3) keeps the path it was added with as written, in `layer.rawPath`; a route
 * keeps its own in `route.path`. So: walk `app.router.stack`; a layer with a `route` is an
 * endpoint (its methods at prefix + route.path); a layer whose handle has a `stack` is a nested
 * router mounted at prefix + rawPath, walked the same way; any other layer is middleware
 * (body parsers, `authenticate`, the 404 and error handlers) and answers no route of its own.
 * Nothing in the app has to register its routes anywhere for this: a router line added to
 * src/app.ts, or a route added to a router, shows up here. Paths written with express's
 * wildcard or optional syntax, or as regexps, cannot be compared with a document and fail loudly.
 */
export function listRoutes(app: Express): ListedRoute[] {
  const router = (app as unknown as { router?: { stack?: Layer[] } }).router;
  if (!router?.stack) throw new Error('listRoutes: not an express 5 app (no app.router.stack)');
  const routes: ListedRoute[] = [];
  walk(router.stack, '', routes);
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function walk(stack: Layer[], prefix: string, into: ListedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const path = joinPaths(prefix, expressPath(layer.route.path, 'route'));
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') into.push({ method: method.toUpperCase(), path });
        if (on && method === '_all')
          throw new Error(`listRoutes: ${path} answers every method (router.all); list its methods instead`);
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      if (layer.rawPath === undefined)
        throw new Error('listRoutes: a mounted router without layer.rawPath: this needs the package router >= 2.3');
      walk(layer.handle.stack, joinPaths(prefix, expressPath(layer.rawPath, 'mount')), into);
    }
  }
}

function expressPath(path: unknown, what: string): string {
  if (typeof path !== 'string')
    throw new Error(`listRoutes: a ${what} path that is not a plain string (${String(path)}) cannot be listed`);
  if (/[*?()[\]{}]/.test(path))
    throw new Error(
      `listRoutes: the ${what} path ${path} uses wildcard or optional syntax, which a document cannot name`,
    );
  // Express's `:id` is OpenAPI's `{id}`.
  return path.replace(/:(\w+)/g, '{$1}');
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : '/';
}

/** The express app behind a running server: `app.listen` made the server with the app as its request listener. */
export function appOf(server: Server): Express {
  const [listener] = server.listeners('request');
  if (typeof listener !== 'function' || !('router' in listener))
    throw new Error("appOf: the server's request listener is not an express app");
  return listener as unknown as Express;
}

export const routeKey = (route: ListedRoute): string => `${route.method} ${route.path}`;

/** The (method, path) pairs of an OpenAPI document, as `METHOD /path`. */
export function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  return Object.entries(document.paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => methods.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** Both directions: routes the server has that the document lacks, and documented routes the server lacks. */
export function compareRoutes(documented: string[], actual: string[]): { undocumented: string[]; missing: string[] } {
  const have = new Set(actual);
  const described = new Set(documented);
  return {
    undocumented: [...have].filter((route) => !described.has(route)).sort(),
    missing: [...described].filter((route) => !have.has(route)).sort(),
  };
}
