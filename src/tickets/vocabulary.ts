import { TICKET_STATUSES, type TicketStatus } from './ticket-statuses.js';

/**
 * The words a ticket is classified with, as stable snake_case codes stored in the database, each
 * with its Bahasa Indonesia and English label for consoles. Codes never change once stored; labels
 * may. One place, so that validation, reports and consoles agree.
 */
export interface Term<Code extends string = string> {
  code: Code;
  label: { id: string; en: string };
}

const terms = <const Code extends string>(
  entries: ReadonlyArray<readonly [Code, string, string]>,
): ReadonlyArray<Term<Code>> => entries.map(([code, id, en]) => ({ code, label: { id, en } }));

const codes = <Code extends string>(list: ReadonlyArray<Term<Code>>) =>
  list.map((term) => term.code) as unknown as readonly [Code, ...Code[]];

/** Kinds of contact (docs/domain.md); whistle-blowing as SP4N-LAPOR! uses it. */
export const CATEGORIES = terms([
  ['information_request', 'Permintaan informasi', 'Information request'],
  ['complaint', 'Pengaduan', 'Complaint'],
  ['consultation', 'Konsultasi', 'Consultation'],
  ['aspiration', 'Aspirasi / saran', 'Aspiration / suggestion'],
  ['appreciation', 'Apresiasi', 'Appreciation'],
  ['whistleblowing', 'Pengaduan pelanggaran (whistle-blowing)', 'Whistle-blowing'],
]);

/** The Ombudsman RI's ten forms of maladministration (Peraturan Ombudsman 26/2017, art. 11). */
export const COMPLAINT_TYPES = terms([
  ['undue_delay', 'Penundaan berlarut', 'Undue delay'],
  ['failure_to_serve', 'Tidak memberikan pelayanan', 'Failure to serve'],
  ['incompetence', 'Tidak kompeten', 'Incompetence'],
  ['abuse_of_authority', 'Penyalahgunaan wewenang', 'Abuse of authority'],
  ['procedural_deviation', 'Penyimpangan prosedur', 'Procedural deviation'],
  ['request_for_payment', 'Permintaan imbalan', 'Request for payment'],
  ['impropriety', 'Tidak patut', 'Impropriety'],
  ['partiality', 'Berpihak', 'Partiality'],
  ['discrimination', 'Diskriminasi', 'Discrimination'],
  ['conflict_of_interest', 'Konflik kepentingan', 'Conflict of interest'],
]);

export const PRIORITIES = terms([
  ['low', 'Rendah', 'Low'],
  ['normal', 'Normal', 'Normal'],
  ['high', 'Tinggi', 'High'],
  ['urgent', 'Mendesak', 'Urgent'],
]);

const STATUS_LABELS: Record<TicketStatus, [string, string]> = {
  new: ['Baru', 'New'],
  open: ['Ditangani', 'Open'],
  pending_citizen: ['Menunggu pelapor', 'Waiting on the citizen'],
  pending_agency: ['Didisposisikan ke OPD', 'Disposed to an agency'],
  resolved: ['Selesai', 'Resolved'],
  closed: ['Ditutup', 'Closed'],
};
export const STATUSES = terms(TICKET_STATUSES.map((code) => [code, ...STATUS_LABELS[code]] as const));

export const CATEGORY_CODES = codes(CATEGORIES);
export const COMPLAINT_TYPE_CODES = codes(COMPLAINT_TYPES);
export const PRIORITY_CODES = codes(PRIORITIES);

export type Category = (typeof CATEGORY_CODES)[number];
export type ComplaintType = (typeof COMPLAINT_TYPE_CODES)[number];
export type Priority = (typeof PRIORITY_CODES)[number];

/** Higher first in a queue: urgent before high before normal before low. */
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** SQL for ORDER BY a priority column in queue order (PRIORITY_RANK's): urgent 0, high 1, normal 2, anything else last. */
export function priorityQueueOrder(column: string): string {
  const mostUrgentFirst = (Object.keys(PRIORITY_RANK) as Priority[]).sort(
    (a, b) => PRIORITY_RANK[b] - PRIORITY_RANK[a],
  );
  const whens = mostUrgentFirst.slice(0, -1).map((code, index) => `when '${code}' then ${index}`);
  return `case ${column} ${whens.join(' ')} else ${whens.length} end`;
}

/** Complaint types classify complaints only (whistle-blowing reports have their own handling). */
export const categoryTakesComplaintType = (category: string | null | undefined): boolean => category === 'complaint';

/** Everything above as one read-only document for consoles. */
export function vocabularyDocument() {
  return { categories: CATEGORIES, complaint_types: COMPLAINT_TYPES, priorities: PRIORITIES, statuses: STATUSES };
}
