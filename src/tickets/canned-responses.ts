import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { insertReturningId, isUniqueViolation, toIso } from '../db/rows.js';
import { NotFoundError, UnprocessableError } from '../errors.js';
import { validateTemplate, type TemplateLanguage } from './canned-templates.js';

export interface CannedResponseInput {
  name: string;
  language: TemplateLanguage;
  body: string;
  /** null: offered to every team. */
  team_id?: number | null;
}

export type CannedResponsePatch = Partial<CannedResponseInput>;

/**
 * The canned responses an agent may use: those for every team and those of their own teams;
 * admins, who manage them, see all. Expects canned_responses aliased as `cr`.
 */
export function usableBy(
  query: Knex.QueryBuilder,
  db: Knex | Knex.Transaction,
  agent: AuthenticatedAgent,
): Knex.QueryBuilder {
  if (agent.role === 'admin') return query;
  return query.where((inner) =>
    inner
      .whereNull('cr.team_id')
      .orWhereIn('cr.team_id', db('agent_teams').where({ agent_id: agent.id }).select('team_id')),
  );
}

export async function listCannedResponses(
  db: Knex,
  agent: AuthenticatedAgent,
  filter: { language?: TemplateLanguage },
) {
  const query = usableBy(db('canned_responses as cr'), db, agent)
    .orderBy([{ column: 'cr.name' }, { column: 'cr.language' }])
    .select('cr.*');
  if (filter.language) query.where('cr.language', filter.language);
  return (await query).map(describe);
}

/** 404 also for one that exists for another team: agents need not learn other teams' texts. */
export async function getCannedResponse(db: Knex, agent: AuthenticatedAgent, id: number) {
  const row = await usableBy(db('canned_responses as cr').where('cr.id', id), db, agent).first('cr.*');
  if (!row) throw new NotFoundError('Canned response');
  return describe(row);
}

export async function createCannedResponse(
  db: Knex,
  admin: AuthenticatedAgent,
  input: CannedResponseInput,
  now: Date,
): Promise<number> {
  validateTemplate(input.body);
  await assertTeamExists(db, input.team_id);
  return saving(input, () =>
    insertReturningId(db, 'canned_responses', {
      ...input,
      team_id: input.team_id ?? null,
      created_by: admin.id,
      created_at: now,
      updated_at: now,
    }),
  );
}

export async function updateCannedResponse(db: Knex, id: number, patch: CannedResponsePatch, now: Date): Promise<void> {
  if (patch.body !== undefined) validateTemplate(patch.body);
  await assertTeamExists(db, patch.team_id);
  const existing = await db('canned_responses').where({ id }).first('name', 'language');
  if (!existing) throw new NotFoundError('Canned response');
  const columns = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  await saving({ name: patch.name ?? existing.name, language: patch.language ?? existing.language }, () =>
    db('canned_responses')
      .where({ id })
      .update({ ...columns, updated_at: now }),
  );
}

export async function deleteCannedResponse(db: Knex, id: number): Promise<void> {
  if ((await db('canned_responses').where({ id }).delete()) === 0) throw new NotFoundError('Canned response');
}

/** One name per language: the same name in id and en is one response in two languages. */
async function saving<T>(key: { name: string; language: string }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UnprocessableError(
        'name_taken',
        `A canned response named "${key.name}" in the language ${key.language} exists already`,
      );
    }
    throw error;
  }
}

async function assertTeamExists(db: Knex, teamId: number | null | undefined): Promise<void> {
  if (teamId === null || teamId === undefined) return;
  if (!(await db('teams').where({ id: teamId }).first('id')))
    throw new UnprocessableError('unknown_team', `No team with id ${teamId}`);
}

function describe(row: Record<string, any>) {
  return {
    id: Number(row.id),
    name: row.name,
    language: row.language,
    body: row.body,
    team_id: row.team_id === null ? null : Number(row.team_id),
    created_by: Number(row.created_by),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
