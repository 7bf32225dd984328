import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';
import { formatReference } from '../tickets/reference-number.js';
import type { MetricScope } from './metric-scope.js';
import { withinScope } from './metric-scope.js';
import type { Period } from './period.js';
import { CLOCK_KINDS } from '../sla/policies.js';
import { ticketOutcomes } from './sla-outcomes.js';

/** Rows read per query: bounded memory whatever the export's size. */
const PAGE = 1000;

export const EXPORT_COLUMNS = [
  'reference',
  'status',
  'channel',
  'category',
  'priority',
  'team',
  'assignee',
  'confidential',
  'created_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  ...CLOCK_KINDS.map((kind) => `sla_${kind}`),
] as const;

/**
 * Writes the tickets created in the period (in the scope, with the statuses asked for; merged
 * duplicates left out, as in the summary's volumes) as CSV to `out`, oldest first, page by page
 * with backpressure. For reports to the head of office: no citizen's name, number, email or NIK,
 * and no subject (confidential tickets are in it like the others, as numbers are).
 */
export async function writeTicketExport(
  db: Knex,
  scope: MetricScope,
  period: Period,
  statuses: string[] | null,
  referencePrefix: string,
  out: Writable,
): Promise<void> {
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS] });
  csv.pipe(out);
  // A client that hangs up mid-export stops it: no page is read for nobody.
  const gone = once(out, 'close').then(() => true);
  let after: { createdAt: Knex.Value; id: number } | undefined;
  while (!out.destroyed) {
    const query = withinScope(db('tickets as t'), scope)
      .leftJoin('teams as team', 'team.id', 't.team_id')
      .leftJoin('agents as a', 'a.id', 't.assignee_id')
      .where('t.created_at', '>=', period.from)
      .where('t.created_at', '<', period.to)
      .whereNull('t.merged_into_id')
      .orderBy([{ column: 't.created_at' }, { column: 't.id' }])
      .limit(PAGE)
      .select(
        't.id',
        't.reference',
        't.status',
        't.channel',
        't.category',
        't.priority',
        't.confidential',
        't.created_at',
        't.first_response_at',
        't.resolved_at',
        't.closed_at',
        'team.slug as team',
        'a.name as assignee',
      );
    if (statuses) query.whereIn('t.status', statuses);
    // Keyset on (created_at, id), the order of the index the period reads through.
    if (after)
      query.where((next) =>
        next
          .where('t.created_at', '>', after!.createdAt)
          .orWhere((same) => same.where('t.created_at', after!.createdAt).where('t.id', '>', after!.id)),
      );
    const rows: Array<Record<string, any>> = await query;
    if (rows.length === 0) break;
    const outcomes = await ticketOutcomes(
      db,
      rows.map((row) => Number(row.id)),
    );
    for (const row of rows) {
      const sla = outcomes.get(Number(row.id))!;
      const line = [
        formatReference(row.reference, referencePrefix),
        row.status,
        row.channel,
        row.category ?? '',
        row.priority,
        row.team ?? '',
        row.assignee ?? '',
        row.confidential ? 'yes' : 'no',
        toIso(row.created_at),
        toIso(row.first_response_at) ?? '',
        toIso(row.resolved_at) ?? '',
        toIso(row.closed_at) ?? '',
        ...CLOCK_KINDS.map((kind) => sla[kind]),
      ];
      if (!csv.write(line) && (await Promise.race([once(csv, 'drain').then(() => false), gone]))) break;
    }
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.created_at, id: Number(last.id) };
    if (rows.length < PAGE) break;
  }
  csv.end();
  await finished(csv).catch(() => undefined); // a hang-up mid-write: nothing left to tell anyone
}
