import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import type { ChannelKind } from '../../channels/adapter.js';
import { hashPassword } from '../auth/passwords.js';
import type { AuthenticatedAgent, Role } from '../auth/tokens.js';
import { insertReturningId, isUniqueViolation, toIso } from '../db/rows.js';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../errors.js';

export const PRESENCES = ['available', 'busy', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/** How many conversations at once, per channel, unless an agent's own capacity says otherwise. */
export const DEFAULT_CAPACITY: Record<ChannelKind, number> = {
  voice: 1,
  whatsapp: 4,
  sms: 4,
  webchat: 4,
  email: 10,
  // Forms are answered like mail (by mail or SMS, when the agent gets to them): as many at once.
  web: 10,
};

export interface AgentInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  phone?: string | null;
  teams?: number[];
  skills?: string[];
  capacities?: Partial<Record<ChannelKind, number>>;
}

export type AgentPatch = Partial<Omit<AgentInput, 'email'>> & { active?: boolean };

/** Agents the viewer may see: admins all, supervisors those sharing a team, agents themselves. */
function visibleAgents(db: Knex, viewer: AuthenticatedAgent): Knex.QueryBuilder {
  const query = db('agents as a');
  if (viewer.role === 'supervisor') {
    query.whereIn(
      'a.id',
      db('agent_teams')
        .whereIn('team_id', db('agent_teams').where({ agent_id: viewer.id }).select('team_id'))
        .select('agent_id'),
    );
  } else if (viewer.role === 'agent') {
    query.where('a.id', viewer.id);
  }
  return query;
}

export async function listAgents(db: Knex, viewer: AuthenticatedAgent) {
  if (viewer.role === 'agent') throw new ForbiddenError('Only supervisors and admins list agents');
  const rows = await visibleAgents(db, viewer).orderBy('a.id').select('a.*');
  return describeAgents(db, rows);
}

export async function getAgent(db: Knex, viewer: AuthenticatedAgent, id: number) {
  const row = await visibleAgents(db, viewer).where('a.id', id).first('a.*');
  if (!row) throw new NotFoundError('Agent');
  return (await describeAgents(db, [row]))[0]!;
}

export async function createAgent(db: Knex, input: AgentInput, now: Date, defaultLanguage = 'id'): Promise<number> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (trx) => {
      const id = await insertReturningId(trx, 'agents', {
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        password_hash: passwordHash,
        phone: input.phone ?? null,
        active: true,
        presence: 'offline',
        presence_changed_at: now,
        created_at: now,
        updated_at: now,
      });
      // Without skills given, an agent speaks the office's language: routing needs at least that.
      await replaceMemberships(trx, id, { ...input, skills: input.skills ?? [defaultLanguage] });
      return id;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new UnprocessableError('email_taken', `An agent with the email ${input.email} exists already`);
    throw error;
  }
}

export async function updateAgent(db: Knex, id: number, patch: AgentPatch, now: Date): Promise<void> {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  await db.transaction(async (trx) => {
    const existing = await trx('agents').where({ id }).first('id');
    if (!existing) throw new NotFoundError('Agent');
    const columns: Record<string, unknown> = { updated_at: now };
    if (patch.name !== undefined) columns.name = patch.name;
    if (patch.role !== undefined) columns.role = patch.role;
    if (patch.phone !== undefined) columns.phone = patch.phone;
    if (passwordHash) columns.password_hash = passwordHash;
    if (patch.active !== undefined) columns.active = patch.active;
    if (patch.active === false) Object.assign(columns, { presence: 'offline', presence_changed_at: now });
    await trx('agents').where({ id }).update(columns);
    // A disabled agent's tokens die with it: authentication also checks `active` on every request.
    if (patch.active === false) await trx('auth_tokens').where({ agent_id: id }).delete();
    await replaceMemberships(trx, id, patch);
  });
}

export async function setPresence(db: Knex, agentId: number, presence: Presence, now: Date): Promise<void> {
  await db('agents').where({ id: agentId }).update({ presence, presence_changed_at: now, updated_at: now });
}

async function replaceMemberships(
  trx: Knex.Transaction,
  agentId: number,
  input: Pick<AgentPatch, 'teams' | 'skills' | 'capacities'>,
): Promise<void> {
  if (input.teams) {
    const known = await trx('teams').whereIn('id', input.teams).pluck('id');
    const unknown = input.teams.filter((team) => !known.map(Number).includes(team));
    if (unknown.length > 0) throw new UnprocessableError('unknown_team', `No team with id ${unknown.join(', ')}`);
    await trx('agent_teams').where({ agent_id: agentId }).delete();
    if (input.teams.length > 0)
      await insertInChunks(
        [...new Set(input.teams)].map((team_id) => ({ agent_id: agentId, team_id })),
        (chunk) => trx('agent_teams').insert(chunk),
      );
  }
  if (input.skills) {
    await trx('agent_skills').where({ agent_id: agentId }).delete();
    const skills = [...new Set(input.skills.map((skill) => skill.trim().toLowerCase()).filter(Boolean))];
    await insertInChunks(
      skills.map((skill) => ({ agent_id: agentId, skill })),
      (chunk) => trx('agent_skills').insert(chunk),
    );
  }
  if (input.capacities) {
    for (const [channel, capacity] of Object.entries(input.capacities)) {
      await trx('agent_capacities').where({ agent_id: agentId, channel }).delete();
      await trx('agent_capacities').insert({ agent_id: agentId, channel, capacity });
    }
  }
}

async function describeAgents(db: Knex, rows: Array<Record<string, any>>) {
  const ids = rows.map((row) => Number(row.id));
  const [teams, skills, capacities] = await Promise.all([
    db('agent_teams as at')
      .join('teams as t', 't.id', 'at.team_id')
      .whereIn('at.agent_id', ids)
      .orderBy('t.id')
      .select('at.agent_id', 't.id', 't.slug', 't.name'),
    db('agent_skills').whereIn('agent_id', ids).orderBy('skill').select('agent_id', 'skill'),
    db('agent_capacities').whereIn('agent_id', ids).select('agent_id', 'channel', 'capacity'),
  ]);
  return rows.map((row) => {
    const id = Number(row.id);
    const own = capacities.filter((entry) => Number(entry.agent_id) === id);
    return {
      id,
      email: row.email,
      name: row.name,
      role: row.role,
      active: Boolean(row.active),
      phone: row.phone,
      presence: row.presence,
      presence_changed_at: toIso(row.presence_changed_at),
      teams: teams
        .filter((team) => Number(team.agent_id) === id)
        .map((team) => ({ id: Number(team.id), slug: team.slug, name: team.name })),
      skills: skills.filter((skill) => Number(skill.agent_id) === id).map((skill) => skill.skill),
      capacities: {
        ...DEFAULT_CAPACITY,
        ...Object.fromEntries(own.map((entry) => [entry.channel, Number(entry.capacity)])),
      },
    };
  });
}
