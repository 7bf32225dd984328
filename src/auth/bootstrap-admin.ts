import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import { hashPassword } from './passwords.js';

export type BootstrapOutcome = 'exists' | 'created' | 'missing_settings';

/**
 * The first administrator comes from ADMIN_EMAIL / ADMIN_PASSWORD, once, when there is none. They
 * join the front desk speaking the office's language, so they can take tickets from the start.
 */
export async function ensureFirstAdmin(
  db: Knex,
  email: string | undefined,
  password: string | undefined,
  now: Date,
  language = 'id',
): Promise<BootstrapOutcome> {
  const existing = await db('agents').where({ role: 'admin' }).first('id');
  if (existing) return 'exists';
  if (!email || !password) return 'missing_settings';
  const [team] = await db('teams').where({ slug: 'front-desk' }).pluck('id');
  const passwordHash = await hashPassword(password);
  await db.transaction(async (trx) => {
    const agentId = await insertReturningId(trx, 'agents', {
      email: email.toLowerCase(),
      name: 'Administrator',
      role: 'admin',
      password_hash: passwordHash,
      active: true,
      created_at: now,
      updated_at: now,
    });
    if (team) await trx('agent_teams').insert({ agent_id: agentId, team_id: team });
    await trx('agent_skills').insert({ agent_id: agentId, skill: language });
  });
  return 'created';
}
