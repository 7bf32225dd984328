import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export type Role = 'agent' | 'supervisor' | 'admin';

export interface AuthenticatedAgent {
  id: number;
  email: string;
  name: string;
  role: Role;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Opaque bearer tokens: only their hash is stored, each expires, and every request checks the
 * agent is still active, so disabling an agent takes effect at once.
 */
export async function issueToken(
  db: Knex,
  agentId: number,
  ttlHours: number,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db('auth_tokens').insert({
    agent_id: agentId,
    token_hash: sha256(token),
    expires_at: expiresAt,
    created_at: now,
  });
  return { token, expiresAt };
}

export async function agentForToken(db: Knex, token: string, now: Date): Promise<AuthenticatedAgent | undefined> {
  const row = await db('auth_tokens as t')
    .join('agents as a', 'a.id', 't.agent_id')
    .where('t.token_hash', sha256(token))
    .where('t.expires_at', '>', now)
    .where('a.active', true)
    .first('a.id', 'a.email', 'a.name', 'a.role');
  return row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role } : undefined;
}

/** Logging out: the token is deleted, so it stops working at once (it is not kept until it expires). */
export async function revokeToken(db: Knex, token: string): Promise<void> {
  await db('auth_tokens')
    .where({ token_hash: sha256(token) })
    .delete();
}
