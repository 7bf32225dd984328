import { performance } from 'node:perf_hooks';
import type { AuthenticatedAgent } from '../src/auth/tokens.js';
import { isPostgres, type Knex } from '../src/db/knex.js';
import { ticketFilters } from '../src/http/api/v1/ticket-filters.js';
import { WAITING_STATUSES } from '../src/routing/routing-state.js';
import { listTickets, type TicketListFilter } from '../src/tickets/ticket-queries.js';
import { ACTIVE_STATUSES } from '../src/tickets/ticket-statuses.js';
import type { ListingSeed } from './listing-seed.js';
import { note } from './progress.js';
import { percentile } from './stats.js';

/**
 * Queue listing with a million tickets (issue 3): the real endpoints through a running server,
 * one request at a time, each endpoint in turn, and the plan of each one's query.
 */

type Who = 'admin' | 'agent';

export interface ListingEndpoint {
  label: string;
  path: string;
  who: Who;
  /** The listTickets call the route makes for this request; none for the floor. */
  filter?: (agent: AuthenticatedAgent) => TicketListFilter;
}

export interface EndpointTiming {
  endpoint: ListingEndpoint;
  requests: number;
  rows: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
}

export interface QueryPlan {
  endpoint: ListingEndpoint;
  lines: string[];
  /** 'index' when every access to a big table is by an index; otherwise what is wrong. */
  verdict: string;
}

const query = (path: string) => Object.fromEntries(new URL(path, 'http://bench').searchParams);

/** The route's own merge of the query string into listTickets' filter (src/http/api/v1). */
const ticketsRoute = (path: string) => () => {
  const filters = ticketFilters.parse(query(path));
  return { ...filters, before: filters.cursor };
};

export function listingEndpoints(seed: ListingSeed): ListingEndpoint[] {
  const common = `/api/v1/tickets?q=${seed.searchWords.common}`;
  const rare = `/api/v1/tickets?q=${seed.searchWords.rare}`;
  return [
    { label: 'floor: /api/v1/tickets/vocabulary (no query)', path: '/api/v1/tickets/vocabulary', who: 'admin' },
    {
      label: '/api/v1/tickets (newest first)',
      path: '/api/v1/tickets',
      who: 'admin',
      filter: ticketsRoute('/api/v1/tickets'),
    },
    {
      label: '/api/v1/tickets?status=new&channel=sms',
      path: '/api/v1/tickets?status=new&channel=sms',
      who: 'admin',
      filter: ticketsRoute('/api/v1/tickets?status=new&channel=sms'),
    },
    {
      label: '/api/v1/queue/waiting (agent; routing order)',
      path: '/api/v1/queue/waiting',
      who: 'agent',
      filter: () => ({ ...ticketFilters.parse({}), status: [...WAITING_STATUSES], assignee: 'none', order: 'queue' }),
    },
    {
      label: '/api/v1/queue/mine (agent)',
      path: '/api/v1/queue/mine',
      who: 'agent',
      filter: (agent) => ({ ...ticketFilters.parse({}), status: [...ACTIVE_STATUSES], assignee: agent.id }),
    },
    { label: `${common} (1% match)`, path: common, who: 'admin', filter: ticketsRoute(common) },
    { label: `${rare} (0.01% match)`, path: rare, who: 'admin', filter: ticketsRoute(rare) },
    // An old case looked up by a word: the status alone matches most of the table.
    {
      label: `${common}&status=closed`,
      path: `${common}&status=closed`,
      who: 'admin',
      filter: ticketsRoute(`${common}&status=closed`),
    },
  ];
}

/**
 * Each listing's SQL, as listTickets builds it (captured from knex), explained: EXPLAIN QUERY PLAN
 * on SQLite; on PostgreSQL EXPLAIN ANALYZE (it runs the query), which also shows the rows a
 * filter threw away, the sign of an index scan that is a full scan in disguise.
 */
export async function explainListings(db: Knex, seed: ListingSeed, endpoints: ListingEndpoint[]): Promise<QueryPlan[]> {
  const people: Record<Who, AuthenticatedAgent> = {
    admin: await person(db, seed.admin.email),
    agent: await person(db, seed.agent.email),
  };
  const plans: QueryPlan[] = [];
  for (const endpoint of endpoints) {
    if (!endpoint.filter) continue;
    let captured: { sql: string; bindings: unknown[] } | undefined;
    const listener = (event: { sql: string; bindings: unknown[] }) => {
      captured ??= event;
    };
    db.on('query', listener);
    try {
      await listTickets(db, people[endpoint.who], endpoint.filter(people[endpoint.who]), 'SP-');
    } finally {
      db.off('query', listener);
    }
    if (!captured) throw new Error(`no query captured for ${endpoint.path}`);
    const sql = captured.sql.replace(/\$\d+/g, '?'); // PostgreSQL's $n back to knex's placeholders
    plans.push(
      isPostgres(db)
        ? await explainPostgres(db, endpoint, sql, captured.bindings)
        : await explainSqlite(db, endpoint, sql, captured.bindings),
    );
  }
  return plans;
}

async function person(db: Knex, email: string): Promise<AuthenticatedAgent> {
  const row = await db('agents').where({ email }).first('id', 'email', 'name', 'role');
  return { id: Number(row.id), email: row.email, name: row.name, role: row.role };
}

const BIG_TABLES = /\b(t|c|tickets|messages|contacts)\b/;

async function explainSqlite(
  db: Knex,
  endpoint: ListingEndpoint,
  sql: string,
  bindings: unknown[],
): Promise<QueryPlan> {
  const rows: Array<{ id: number; parent: number; detail: string }> = await db.raw(
    `explain query plan ${sql}`,
    bindings as Knex.RawBinding[],
  );
  // The plan's distinct steps, without the bookkeeping lines (subquery and index numbering).
  const lines = [
    ...new Set(
      rows.map((row) => row.detail).filter((detail) => !/^(LIST SUBQUERY|INDEX \d|CREATE BLOOM FILTER)/.test(detail)),
    ),
  ];
  const details = rows.map((row) => row.detail);
  const scans = details.filter(
    (detail) =>
      /^SCAN /.test(detail) && !/VIRTUAL TABLE|USING (COVERING )?INDEX/.test(detail) && BIG_TABLES.test(detail),
  );
  const sorts = details.some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY'));
  const verdict =
    scans.length === 0
      ? sorts
        ? 'index; then sorts every match (temp b-tree)'
        : 'index'
      : sorts
        ? `FULL SCAN (${scans.join(', ')}) and a sort`
        : `${scans.join(', ')}: walks the primary key in ORDER BY order and stops at LIMIT (a full scan only when few rows match)`;
  return { endpoint, lines, verdict };
}

async function explainPostgres(
  db: Knex,
  endpoint: ListingEndpoint,
  sql: string,
  bindings: unknown[],
): Promise<QueryPlan> {
  const result: { rows: Array<Record<string, string>> } = await db.raw(
    `explain (analyze, costs off, timing off, summary off) ${sql}`,
    bindings as Knex.RawBinding[],
  );
  const plan = result.rows.map((row) => row['QUERY PLAN']!);
  // The plan's nodes (with the rows each produced), its sort, and the rows its filters threw away.
  const lines = plan
    .filter((line) => /\(actual|Sort Method|Rows Removed by Filter|^\s*SubPlan/.test(line))
    .map((line) => line.replace('->  ', '    ').trimEnd());
  const seqScans = plan
    .filter((line) => /Seq Scan on (tickets|messages|contacts)\b/.test(line))
    .map((line) =>
      line
        .trim()
        .replace(/^->\s+/, '')
        .replace(/ \(actual.*$/, ''),
    );
  const discarded = plan.reduce((sum, line) => sum + Number(/Rows Removed by Filter: (\d+)/.exec(line)?.[1] ?? 0), 0);
  const verdict =
    seqScans.length > 0
      ? `FULL SCAN (${seqScans.join(', ')})`
      : discarded > 10_000
        ? `index, but a filter discards ${discarded} rows on the way: an index walk that is a scan in disguise`
        : plan.some((line) => /Sort Method/.test(line))
          ? 'index; then sorts every match'
          : 'index';
  return { endpoint, lines: indentFromPlan(lines), verdict };
}

/** PostgreSQL's plan lines keep their indentation; drop the common margin. */
function indentFromPlan(lines: string[]): string[] {
  const margin = Math.min(...lines.map((line) => /^\s*/.exec(line)![0].length));
  return lines.map((line) => line.slice(margin));
}

/** Logs in through the API, as a console would. */
export async function logIn(baseUrl: string, credentials: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`login as ${credentials.email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Each endpoint in turn, one request at a time (a console's refresh, not a load test): a few
 * warm-up requests, then `requests` timed ones, or as many as fit in `budgetMs` for a slow one.
 */
export async function timeListings(
  baseUrl: string,
  tokens: Record<Who, string>,
  endpoints: ListingEndpoint[],
  options: { requests: number; budgetMs: number; warmUp: number },
): Promise<EndpointTiming[]> {
  const timings: EndpointTiming[] = [];
  for (const endpoint of endpoints) {
    const headers = { authorization: `Bearer ${tokens[endpoint.who]}` };
    const latencies: number[] = [];
    let failures = 0;
    let rows = 0;
    const started = performance.now();
    for (let index = 0; index < options.warmUp + options.requests; index += 1) {
      if (index >= options.warmUp && latencies.length >= 10 && performance.now() - started > options.budgetMs) break;
      const sentAt = performance.now();
      const response = await fetch(`${baseUrl}${endpoint.path}`, { headers });
      const body = (await response.json()) as { data?: unknown[] };
      const elapsed = performance.now() - sentAt;
      if (!response.ok) failures += 1;
      if (index < options.warmUp) continue;
      latencies.push(elapsed);
      rows = Array.isArray(body.data) ? body.data.length : rows;
    }
    latencies.sort((a, b) => a - b);
    note(`${endpoint.label}: ${latencies.length} requests, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    timings.push({
      endpoint,
      requests: latencies.length,
      rows,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
      failures,
    });
  }
  return timings;
}
