import type { Knex } from 'knex';
import { insertReturningId } from '../../src/db/rows.js';
import type { TestServer } from './test-server.js';

/**
 * Seeding for the supervisor's-view tests: tickets, SLA clocks and events written straight into
 * the database with known times, so that every figure can be computed by hand.
 */

/** An instant given as WITA wall time (Asia/Makassar, UTC+8): wita('2026-11-23', '08:00'). */
export const wita = (date: string, time: string): Date => new Date(`${date}T${time}:00+08:00`);

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export interface Person {
  id: number;
  token: string;
}

/** An agent made through the API by the first admin, logged in. */
export async function person(
  server: TestServer,
  email: string,
  role: 'agent' | 'supervisor' | 'admin',
  teams: number[],
): Promise<Person> {
  const password = 'sandi-metrik-rahasia-1';
  const created = await server.api(
    '/api/v1/agents',
    json('POST', { email, name: email.split('@')[0], role, password, teams }),
  );
  if (created.status !== 201) throw new Error(`fixture: agent ${email}: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { data: { id: number } }).data.id;
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', { email, password }));
  return { id, token: ((await login.json()) as { token: string }).token };
}

export async function team(server: TestServer, slug: string, name: string): Promise<number> {
  const created = await server.api('/api/v1/teams', json('POST', { slug, name }));
  if (created.status !== 201) throw new Error(`fixture: team ${slug}: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { data: { id: number } }).data.id;
}

/** Who the supervisor's-view tests involve: the front desk and an agency, each with a supervisor, a front-desk agent and an admin of no team. */
export interface Cast {
  frontDesk: number;
  agency: number;
  supervisor: Person;
  agencySupervisor: Person;
  agent: Person;
  admin: Person;
}

/** The cast, made through the API on a fresh server (each suite has a database of its own). */
export async function cast(server: TestServer, agency: { slug: string; name: string }): Promise<Cast> {
  const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
  const agencyId = await team(server, agency.slug, agency.name);
  return {
    frontDesk,
    agency: agencyId,
    supervisor: await person(server, 'spv.loket@dpmptsp.example.go.id', 'supervisor', [frontDesk]),
    agencySupervisor: await person(server, `spv.${agency.slug}@dpmptsp.example.go.id`, 'supervisor', [agencyId]),
    agent: await person(server, 'petugas.loket@dpmptsp.example.go.id', 'agent', [frontDesk]),
    admin: await person(server, 'admin.metrik@dpmptsp.example.go.id', 'admin', []),
  };
}

export interface TicketSeed {
  team: number;
  channel: string;
  status: string;
  createdAt: Date;
  category?: string | null;
  priority?: string;
  assignee?: number | null;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  queuedAt?: Date | null;
  slaDueAt?: Date | null;
  slaWarnAt?: Date | null;
  confidential?: boolean;
  subject?: string;
  mergedInto?: number;
}

let serial = 0;

/** A ticket of a new citizen (with a phone number the export must never show). */
export async function seedTicket(db: Knex, seed: TicketSeed): Promise<{ id: number; reference: string }> {
  serial += 1;
  const contactId = await insertReturningId(db, 'contacts', {
    display_name: `Warga ${serial}`,
    language: 'id',
    created_at: seed.createdAt,
    updated_at: seed.createdAt,
  });
  await db('contact_identities').insert({
    contact_id: contactId,
    kind: 'phone',
    value: `+62812000${String(serial).padStart(5, '0')}`,
    created_at: seed.createdAt,
  });
  const reference = String(700_000_000 + serial);
  const id = await insertReturningId(db, 'tickets', {
    reference,
    contact_id: contactId,
    channel: seed.channel,
    subject: seed.subject ?? `Perihal ${serial}`,
    category: seed.category ?? null,
    priority: seed.priority ?? 'normal',
    status: seed.status,
    team_id: seed.team,
    assignee_id: seed.assignee ?? null,
    confidential: seed.confidential ?? false,
    created_at: seed.createdAt,
    updated_at: seed.createdAt,
    first_response_at: seed.firstResponseAt ?? null,
    resolved_at: seed.resolvedAt ?? null,
    closed_at: seed.closedAt ?? null,
    queued_at: seed.queuedAt ?? null,
    assigned_at: seed.assignee ? seed.createdAt : null,
    sla_due_at: seed.slaDueAt ?? null,
    sla_warn_at: seed.slaWarnAt ?? null,
    merged_into_id: seed.mergedInto ?? null,
  });
  return { id, reference };
}

export interface ClockSeed {
  ticket: number;
  kind: 'first_response' | 'next_response' | 'resolution' | 'agency_followup';
  startedAt: Date;
  dueAt?: Date | null;
  breachedAt?: Date | null;
  stoppedAt?: Date | null;
  outcome?: 'met' | 'breached' | 'cancelled' | null;
}

export async function seedClock(db: Knex, seed: ClockSeed): Promise<number> {
  return insertReturningId(db, 'sla_clocks', {
    ticket_id: seed.ticket,
    kind: seed.kind,
    target_unit: 'minutes',
    target_value: 60,
    started_at: seed.startedAt,
    due_at: seed.dueAt ?? null,
    breached_at: seed.breachedAt ?? null,
    stopped_at: seed.stoppedAt ?? null,
    outcome: seed.outcome ?? null,
    updated_at: seed.stoppedAt ?? seed.startedAt,
  });
}

export async function seedEvent(
  db: Knex,
  ticket: number,
  type: string,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<number> {
  return insertReturningId(db, 'ticket_events', {
    ticket_id: ticket,
    type,
    actor_type: 'system',
    actor_id: null,
    data: JSON.stringify(data),
    created_at: at,
  });
}

/** GET as `who` (a token, or none), with the body parsed when it is JSON. */
export async function getAs(
  server: TestServer,
  path: string,
  token?: string,
): Promise<{ status: number; type: string | null; body: any; text: string }> {
  const response = await fetch(server.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const type = response.headers.get('content-type');
  return { status: response.status, type, body: type?.includes('json') ? JSON.parse(text) : undefined, text };
}
