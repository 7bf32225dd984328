import { stringify } from 'csv-stringify/sync';
import type { Summary } from './summary-metrics.js';

/**
 * The summary as a three-column CSV (section, item, value), for a spreadsheet or a report to the
 * head of office: one line per figure, in the order of the JSON answer. Empty value: no data
 * (no ticket measured, no clock stopped, or the voice channel not there).
 */
export function summaryCsv(summary: Summary): string {
  const rows: Array<[string, string, string | number | null]> = [
    ['period', 'from', summary.period.from],
    ['period', 'to', summary.period.to],
    ['scope', 'teams', summary.teams === null ? 'all' : summary.teams.join(' ')],
    ['scope', 'channels', summary.channels === null ? 'all' : summary.channels.join(' ')],
    ['volume', 'total', summary.volumes.total],
    ...Object.entries(summary.volumes.by_channel).map(
      ([channel, n]) => ['volume_by_channel', channel, n] as [string, string, number],
    ),
    ...Object.entries(summary.volumes.by_category).map(
      ([category, n]) => ['volume_by_category', category, n] as [string, string, number],
    ),
  ];
  for (const [section, figures] of [
    ['first_response_minutes', summary.first_response_minutes],
    ['resolution_minutes', summary.resolution_minutes],
  ] as const) {
    rows.push([section, 'count', figures.count], [section, 'median', figures.median], [section, 'p90', figures.p90]);
  }
  for (const [kind, figures] of Object.entries(summary.sla)) {
    rows.push(
      [`sla_${kind}`, 'met', figures.met],
      [`sla_${kind}`, 'breached', figures.breached],
      [`sla_${kind}`, 'percent_met', figures.percent_met],
      [`sla_${kind}`, 'breaches', figures.breaches],
    );
  }
  rows.push(['breaches', 'total', summary.breaches], ['reopened', 'total', summary.reopened]);
  if (summary.calls) for (const [item, n] of Object.entries(summary.calls)) rows.push(['calls', item, n]);
  return stringify(
    rows.map(([section, item, value]) => [section, item, value ?? '']),
    { header: true, columns: ['section', 'item', 'value'] },
  );
}
