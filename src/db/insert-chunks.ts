/**
 * Multi-row INSERTs in pieces each database takes. knex writes a multi-row insert on SQLite as one
 * `SELECT … UNION ALL SELECT …`, and SQLite refuses more than 500 terms in a compound select; old
 * SQLite builds also bind at most 999 variables per statement (PostgreSQL 65,535). A mail with 600
 * attachments, or a batch of many events, must not be one statement: it would fail on every retry.
 */
export const MAX_ROWS_PER_INSERT = 400;
export const MAX_BINDINGS_PER_INSERT = 900;

/** How many rows of this shape fit in one statement. */
export function rowsPerInsert(rows: ReadonlyArray<object>): number {
  const columns = Math.max(1, ...rows.slice(0, 50).map((row) => Object.keys(row).length));
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_BINDINGS_PER_INSERT / columns)));
}

/**
 * Runs `insert` once per piece of `rows`, in order, and concatenates what each returned (RETURNING
 * rows stay in insertion order, piece after piece). The caller's transaction makes the pieces one.
 */
export async function insertInChunks<Row extends object, Returned = never>(
  rows: Row[],
  insert: (chunk: Row[]) => PromiseLike<Returned[] | number[] | unknown>,
): Promise<Returned[]> {
  const size = rowsPerInsert(rows);
  const returned: Returned[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const result = await insert(rows.slice(start, start + size));
    if (Array.isArray(result)) returned.push(...(result as Returned[]));
  }
  return returned;
}
