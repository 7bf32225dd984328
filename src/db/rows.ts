import type { Knex } from 'knex';

/**
 * Small bridges over the differences between SQLite and PostgreSQL rows, so that services never
 * branch on the database.
 */

/** SQLite returns dates as epoch numbers, PostgreSQL as Date objects. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date =
    value instanceof Date
      ? value
      : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number));
  return date.toISOString();
}

/** JSON columns come back parsed from PostgreSQL and as text from SQLite. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; errno?: number; message?: string };
  return (
    candidate?.code === '23505' ||
    // better-sqlite3 reports SQLite's extended result code.
    candidate?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    candidate?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    // sqlite3 only the primary one (SQLITE_CONSTRAINT, errno 19), shared with foreign keys, NOT NULL
    // and CHECK: the message tells them apart (SQLite words a primary key's violation the same).
    (candidate?.code === 'SQLITE_CONSTRAINT' &&
      /SQLITE_CONSTRAINT: UNIQUE constraint failed/.test(candidate.message ?? ''))
  );
}

export async function insertReturningId(
  db: Knex | Knex.Transaction,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  const [inserted] = await db(table).insert(row).returning('id');
  return Number(typeof inserted === 'object' ? inserted.id : inserted);
}
