import type { Knex } from '../src/db/knex.js';
import { isPostgres } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { hashPassword } from '../src/auth/passwords.js';
import { begin } from './progress.js';

/**
 * A help desk with years of history, for the queue-listing benchmark: `tickets` tickets over two
 * years (ids in creation order, as the server assigns them), spread over 20 teams (the front desk
 * takes 30%), 20 agents per team, 50,000 citizens (fewer when the tickets are few), one inbound
 * message per ticket. Old tickets are closed or resolved; the newest 3% hold the live work: new
 * (unassigned, queued), open, waiting on the citizen or on an agency.
 *
 * Everything is inserted with `insert … select` from a generated series (a recursive CTE on
 * SQLite, generate_series on PostgreSQL): no row crosses from Node. Values come from a small
 * multiplicative hash of the row number, so both databases get the same data. The schema is the
 * migrations' own: on SQLite every index and full-text trigger is maintained during the insert; on
 * PostgreSQL the secondary indexes are dropped and built again around it (see bulk()).
 */

export interface ListingSeed {
  tickets: number;
  contacts: number;
  messages: number;
  teams: number;
  agents: number;
  seconds: number;
  /** Seconds per step: tickets, messages (each with their indexes and full-text upkeep), the rest. */
  steps: Record<string, number>;
  admin: { email: string; password: string };
  /** An agent of the front desk (the largest queue), for the queue views. */
  agent: { email: string; password: string; id: number; teamId: number };
  /** A place name in about 1% of subjects and messages, and a word in about 0.01%. */
  searchWords: { common: string; rare: string };
}

const TEAMS = 20;
const AGENTS_PER_TEAM = 20;
const YEAR_MS = 365 * 24 * 3600_000;
const PASSWORD = 'bench-password-4c7a19e2';

const TOPICS = [
  'Permohonan',
  'Pertanyaan tentang',
  'Keluhan',
  'Pengaduan',
  'Status',
  'Syarat',
  'Biaya',
  'Perpanjangan',
  'Pembatalan',
  'Konsultasi',
  'Informasi',
  'Perubahan data',
];
const OBJECTS = [
  'izin usaha',
  'NIB',
  'PBG',
  'SLF',
  'izin reklame',
  'izin apotek',
  'izin praktik dokter',
  'izin praktik bidan',
  'SIUP',
  'TDP',
  'izin lingkungan',
  'AMDAL',
  'UKL-UPL',
  'izin lokasi',
  'izin gangguan',
  'izin trayek',
  'izin usaha mikro',
  'sertifikat halal',
  'izin operasional sekolah',
  'izin klinik',
  'izin toko obat',
  'izin parkir',
  'izin usaha perikanan',
  'izin pemakaman',
];
// 100 one-word place names: each is in about 1% of the tickets.
const PLACES = ['Suka', 'Karang', 'Sumber', 'Tanjung', 'Mekar', 'Cipta', 'Bumi', 'Jati', 'Harapan', 'Pasir'].flatMap(
  (head) =>
    ['maju', 'jaya', 'sari', 'rejo', 'mulya', 'asih', 'indah', 'makmur', 'wangi', 'baru'].map((tail) => head + tail),
);
const SENTENCES = [
  'Mohon informasi prosesnya sudah sampai mana.',
  'Berkas sudah saya unggah lewat OSS minggu lalu.',
  'Apakah bisa diurus secara daring tanpa datang ke kantor?',
  'Petugas di loket meminta dokumen tambahan yang tidak ada di syarat.',
  'Terima kasih atas bantuannya, pelayanan sangat cepat.',
  'Sudah tiga minggu belum ada kabar, mohon ditindaklanjuti.',
  'Saya ingin tahu berapa lama waktu penyelesaiannya.',
  'Nomor pendaftaran saya tidak ditemukan di sistem.',
];
const RARE_WORD = 'longsor'; // in about one message in 10,000
const CATEGORIES = ['information_request', 'complaint', 'consultation', 'aspiration', 'appreciation'];

// Multipliers of a multiplicative hash modulo 2^31 - 1, one per column so that columns vary
// independently; large, so that consecutive rows land far apart (small ones repeat patterns).
const MULTIPLIERS = [
  1103515245, 1664525013, 1350490027, 1957747793, 1442695041, 1181783497, 1597334677, 1234567891, 1812433253,
  1540483477, 1099087573, 1316567173, 1732050807, 1414213563, 1618033989, 1123581321, 1291394713, 1867867873,
  1999999973, 1073676287,
];

/** A value in 0..m-1 for row `i`, the same on both databases (64-bit integers throughout). */
const hash = (column: number, m: number, i = 'i') => `(((${i} * ${MULTIPLIERS[column]}) % 2147483647) % ${m})`;

/** A string literal inside knex.raw (where a bare `?` would be a binding). */
const quote = (text: string) => `'${text.replace(/'/g, "''").replace(/\?/g, '\\?')}'`;
/** `case <expr> when 0 then 'a' when 1 then 'b' … end`: a list picked by a hash. */
const pick = (expr: string, values: string[]) =>
  `case ${expr} ${values.map((value, index) => `when ${index} then ${quote(value)}`).join(' ')} end`;

/** The one inbound message of ticket number `n`: its subject and a sentence; one in 10,000 also the rare word. */
const messageBody = (subject: string, n: string) =>
  `${subject} || '. ' || ${pick(hash(5, SENTENCES.length, n), SENTENCES)} || case when ${hash(6, 10_000, n)} = 0 then ' Ada ${RARE_WORD} di dekat lokasi.' else '' end`;

export async function seedListingDatabase(db: Knex, options: { tickets: number }): Promise<ListingSeed> {
  const started = Date.now();
  const steps: Record<string, number> = {};
  let lap = started;
  let shown = begin('teams, agents, contacts');
  /** Ends step `label` (its time kept for the report and printed) and begins `next`. */
  const step = (label: string, next?: string) => {
    steps[label] = (Date.now() - lap) / 1000;
    lap = Date.now();
    shown.end();
    if (next) shown = begin(next);
  };
  const pg = isPostgres(db);
  await migrateToLatest(db);
  if (!pg) {
    // The seeding connection only: a large page cache for the index inserts. The server opens its own.
    await db.raw('PRAGMA cache_size = -400000');
    await db.raw('PRAGMA synchronous = OFF');
  }

  const n = options.tickets;
  const contacts = Math.min(50_000, Math.max(1000, Math.floor(n / 20)));
  const now = Date.now();
  const span = 2 * YEAR_MS;
  const t0 = now - span - 3600_000;
  const spacing = Math.max(1, Math.floor(span / n));
  /** A timestamp column from epoch milliseconds: SQLite stores the number, as knex binds a Date there. */
  const ts = (ms: string) => (pg ? `to_timestamp((${ms}) / 1000.0)` : `(${ms})`);
  const series = (count: number) =>
    pg
      ? `generate_series(1::bigint, ${count}) as s(i)`
      : `(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${count}) select i from s) as s`;
  const bool = (expr: string) => (pg ? `(${expr})` : `(case when ${expr} then 1 else 0 end)`);

  // Teams: the migration's front desk and 19 agencies.
  const created = new Date(t0);
  await db('teams').insert(
    Array.from({ length: TEAMS - 1 }, (_, k) => ({ slug: `opd-${k + 1}`, name: `OPD ${k + 1}`, created_at: created })),
  );
  const teamIds = (await db('teams').orderBy('id').pluck('id')).map(Number);
  const firstTeam = contiguous(teamIds, TEAMS, 'teams');

  // Agents: an admin, then 20 per team in team order; two can log in (scrypt is slow by design).
  const passwordHash = await hashPassword(PASSWORD);
  const admin = { email: 'admin@bench.example', password: PASSWORD };
  const agentRows = Array.from({ length: TEAMS * AGENTS_PER_TEAM }, (_, k) => ({
    email: `agent${k}@bench.example`,
    name: `Agen ${k}`,
    role: k % AGENTS_PER_TEAM === 0 ? 'supervisor' : 'agent',
    password_hash: k === 1 ? passwordHash : 'scrypt$disabled',
    active: true,
    presence: 'available',
    presence_changed_at: created,
    created_at: created,
    updated_at: created,
  }));
  await db('agents').insert({
    ...agentRows[0],
    email: admin.email,
    name: 'Admin',
    role: 'admin',
    password_hash: passwordHash,
  });
  await db.batchInsert('agents', agentRows, 200);
  const agentIds = (await db('agents').whereNot({ role: 'admin' }).orderBy('id').pluck('id')).map(Number);
  const firstAgent = contiguous(agentIds, agentRows.length, 'agents');
  await db.batchInsert(
    'agent_teams',
    agentIds.map((id, k) => ({ agent_id: id, team_id: teamIds[Math.floor(k / AGENTS_PER_TEAM)] })),
    500,
  );
  // The bench's agent: the second of the front desk (the first is its supervisor).
  const agent = { email: 'agent1@bench.example', password: PASSWORD, id: firstAgent + 1, teamId: firstTeam };

  await db.raw(
    `insert into contacts (display_name, language, created_at, updated_at) ` +
      `select 'Warga ' || cast(i as text), 'id', ${ts(`${t0} + i`)}, ${ts(`${t0} + i`)} from ${series(contacts)}`,
  );
  const firstContact = Number((await db('contacts').min({ id: 'id' }).first())?.id);

  step('teams, agents, contacts', 'tickets');

  // The newest 3% is live work; the next 6% mostly resolved; everything older closed or resolved.
  const recent = Math.max(1, Math.round(n * 0.03));
  const status =
    `case when ${n} - i < ${recent} then ` +
    `(case when ${hash(1, 100)} < 33 then 'new' when ${hash(1, 100)} < 60 then 'open' when ${hash(1, 100)} < 72 then 'pending_citizen' ` +
    `when ${hash(1, 100)} < 80 then 'pending_agency' when ${hash(1, 100)} < 95 then 'resolved' else 'closed' end) ` +
    `when ${n} - i < ${3 * recent} then ` +
    `(case when ${hash(1, 100)} < 5 then 'open' when ${hash(1, 100)} < 8 then 'pending_citizen' when ${hash(1, 100)} < 10 then 'pending_agency' ` +
    `when ${hash(1, 100)} < 60 then 'resolved' else 'closed' end) ` +
    `else (case when ${hash(1, 100)} < 8 then 'resolved' else 'closed' end) end`;
  const team = `(case when ${hash(5, 100)} < 30 then 0 else 1 + ${hash(6, TEAMS - 1)} end)`;
  const channel = `(case when ${hash(7, 100)} < 45 then 'whatsapp' when ${hash(7, 100)} < 75 then 'sms' when ${hash(7, 100)} < 95 then 'email' else 'voice' end)`;
  const priority = `(case when ${hash(8, 100)} < 2 then 'urgent' when ${hash(8, 100)} < 15 then 'high' when ${hash(8, 100)} < 90 then 'normal' else 'low' end)`;
  const subject = `${pick(hash(12, TOPICS.length), TOPICS)} || ' ' || ${pick(hash(2, OBJECTS.length), OBJECTS)} || ' di ' || ${pick(hash(3, PLACES.length), PLACES)}`;
  const inner =
    `select i, ${t0} + i * ${spacing} + ${hash(0, spacing)} as created, ${status} as status, ${team} as team, ` +
    `(case when ${status} = 'new' or (${status} = 'pending_agency' and ${hash(4, 2)} = 0) then 0 else 1 end) as assigned from ${series(n)}`;
  await bulk(db, ['tickets'], (trx) =>
    trx.raw(
      `insert into tickets (reference, contact_id, channel, subject, category, priority, status, team_id, assignee_id, confidential, anonymous, language, ` +
        `created_at, updated_at, last_message_at, first_response_at, resolved_at, closed_at, queued_at, assigned_at${pg ? ', search_vector' : ''}) ` +
        `select cast(100000000 + i as text), ${firstContact} + ${hash(13, contacts)}, ${channel}, ${subject}, ` +
        `case when status = 'new' then null else ${pick(hash(9, CATEGORIES.length), CATEGORIES)} end, ${priority}, status, ${firstTeam} + team, ` +
        `case when assigned = 1 then ${firstAgent} + team * ${AGENTS_PER_TEAM} + ${hash(10, AGENTS_PER_TEAM)} else null end, ` +
        `${bool(`${hash(11, 200)} = 0`)}, ${bool('1 = 0')}, case when ${hash(14, 100)} < 3 then 'en' else 'id' end, ` +
        `${ts('created')}, ${ts(`created + ${hash(15, 600_000)}`)}, ${ts(`created + ${hash(16, 60_000)}`)}, ` +
        `case when status = 'new' or assigned = 0 then null else ${ts(`created + ${hash(17, 7_200_000)}`)} end, ` +
        `case when status in ('resolved', 'closed') then ${ts(`created + 86400000 + ${hash(18, 259_200_000)}`)} else null end, ` +
        `case when status = 'closed' then ${ts(`created + 432000000 + ${hash(19, 86_400_000)}`)} else null end, ` +
        `case when assigned = 0 then ${ts('created')} else null end, ` +
        `case when assigned = 1 then ${ts(`created + ${hash(4, 600_000)}`)} else null end` +
        // The words the triggers of migration 0014 would have stored (bulk() turns triggers off):
        // the subject and the one message this seed gives each ticket, whose id is its row number.
        (pg ? `, strip(to_tsvector('simple', ${subject} || ' ' || ${messageBody(subject, 'i')}))` : '') +
        ` from (${inner}) as x`,
    ),
  );

  step('tickets', 'messages');

  await bulk(db, ['messages'], (trx) =>
    trx.raw(
      `insert into messages (ticket_id, direction, channel, author_type, kind, body, internal, auto_reply, created_at) ` +
        `select t.id, 'inbound', t.channel, 'citizen', 'message', ${messageBody('t.subject', 'cast(t.id as bigint)')}, ${bool('1 = 0')}, ${bool('1 = 0')}, t.created_at from tickets as t order by t.id`,
    ),
  );

  step('messages', pg ? 'analyze' : 'statistics, checkpoint');
  if (pg) await checkSearchVectors(db);

  // PostgreSQL's autovacuum would analyze the new rows within a minute, and the server's SQLite
  // connection runs PRAGMA optimize when it opens and every hour (src/db/planner-statistics.ts):
  // both now, so that plans (the bench's EXPLAIN included) do not depend on timing.
  if (pg) await db.raw('analyze');
  else await db.raw('PRAGMA optimize = 0x10002').then(() => db.raw('PRAGMA wal_checkpoint(TRUNCATE)'));
  step(pg ? 'analyze' : 'statistics, checkpoint');

  return {
    tickets: n,
    contacts,
    messages: n,
    teams: TEAMS,
    agents: agentRows.length,
    seconds: (Date.now() - started) / 1000,
    steps,
    admin,
    agent,
    searchWords: { common: PLACES[37]!, rare: RARE_WORD },
  };
}

/**
 * One bulk insert. On PostgreSQL, as its documentation advises for bulk loads, the tables'
 * secondary indexes are dropped first and built again after (the same definitions, read from
 * pg_indexes), and foreign-key triggers are skipped for the transaction (the rows are consistent
 * by construction): row-by-row upkeep of a GIN index and of three foreign keys would triple the
 * time. SQLite keeps everything: its indexes and full-text triggers cost less than a minute.
 */
async function bulk(db: Knex, tables: string[], insert: (trx: Knex.Transaction) => Promise<unknown>): Promise<void> {
  await db.transaction(async (trx) => {
    if (!isPostgres(db)) {
      await insert(trx);
      return;
    }
    await trx.raw('set local session_replication_role = replica');
    await trx.raw("set local maintenance_work_mem = '256MB'");
    const { rows } = await trx.raw<{ rows: Array<{ indexname: string; indexdef: string }> }>(
      `select i.indexname, i.indexdef from pg_indexes i where i.schemaname = current_schema() and i.tablename = any(?) ` +
        `and not exists (select 1 from pg_constraint c join pg_namespace s on s.oid = c.connamespace where s.nspname = current_schema() and c.conname = i.indexname)`,
      [tables],
    );
    for (const { indexname } of rows) await trx.raw('drop index ??', [indexname]);
    await insert(trx);
    for (const { indexdef } of rows) await trx.raw(indexdef.replace(/\?/g, '\\?'));
  });
}

/** Bulk inserts into a fresh table number rows in order; the seeding arithmetic relies on it. */
function contiguous(ids: number[], expected: number, table: string): number {
  const first = ids[0]!;
  if (ids.length !== expected || ids[ids.length - 1] !== first + expected - 1)
    throw new Error(`${table}: expected ${expected} consecutive ids, got ${ids.length}`);
  return first;
}

/**
 * The seed writes search_vector itself (its bulk insert runs without triggers); make sure it wrote
 * what the triggers would have: every ticket's subject and messages, on a sample of 1,000 tickets.
 */
async function checkSearchVectors(db: Knex): Promise<void> {
  const { rows } = await db.raw<{ rows: Array<{ n: string }> }>(
    'select count(*) as n from (select id from tickets where id % 997 = 0 limit 1000) as s join tickets t on t.id = s.id ' +
      "where t.search_vector is distinct from strip(to_tsvector('simple', coalesce(t.subject, ''))) || " +
      "coalesce((select strip(to_tsvector('simple', string_agg(m.body, ' '))) from messages m where m.ticket_id = t.id), ''::tsvector)",
  );
  if (Number(rows[0]?.n) !== 0)
    throw new Error(`seed: ${rows[0]?.n} of 1,000 tickets have a search_vector the triggers would not have written`);
}
