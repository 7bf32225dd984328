import { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * The largest id a row can have. Ids are PostgreSQL `integer`s (knex's `increments`); a larger
 * number names no row, and sent to PostgreSQL it is an "out of range" error, a 500. So every id
 * the API reads is bounded here: a 400 naming the field instead.
 */
export const MAX_ID = 2_147_483_647;

/** An id in a JSON body. */
export const bodyId = () => z.number().int().positive().max(MAX_ID);
/** An id in a path or a query string (text, coerced). */
export const textId = () => z.coerce.number().int().positive().max(MAX_ID);
/** A path of the form `/:id`. */
export const idParam = z.object({ id: textId() });
/** An id list in a query (`?team=1,2` or repeated): digits, at most ten of them. */
export const idText = (what = 'an id') =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, what)
    .refine((text) => Number(text) <= MAX_ID, what);

/** A high surrogate without its low half, or a low one without its high half (one pass, no backtracking). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Deeper than this, a body is no request of this API (its deepest are a few levels). */
export const MAX_NESTING = 32;

/**
 * The first thing in the input no field of this API can hold: a NUL character (PostgreSQL's text
 * cannot store it: the insert fails, a 500), a lone surrogate (not Unicode: stored as U+FFFD, so
 * not what was sent), or nesting past MAX_NESTING. Walked with a stack of its own, so that 10,000
 * levels of `[` cannot overflow the call stack.
 */
function unstorable(input: unknown): { field: string; problem: string } | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: input, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    const field = path.join('.');
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field, problem: 'contains a NUL character' };
      if (LONE_SURROGATE.test(value)) return { field, problem: 'is not well-formed Unicode (a lone surrogate)' };
    } else if (value !== null && typeof value === 'object') {
      if (path.length >= MAX_NESTING) return { field, problem: `nested deeper than ${MAX_NESTING} levels` };
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000') || LONE_SURROGATE.test(key))
          return { field: field || key, problem: 'has a key with a NUL character or a lone surrogate' };
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * Parses input with a zod schema; a failure is a 400 naming each problem. Text no column can
 * store is refused first, whatever the schema.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, where: string): z.infer<T> {
  const bad = unstorable(input);
  if (bad) {
    const field = bad.field || where;
    throw new ValidationError(`Invalid ${where}: ${field} ${bad.problem}`, [{ field, problem: bad.problem }]);
  }
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      field: issue.path.join('.') || where,
      problem: issue.message,
    }));
    throw new ValidationError(
      `Invalid ${where}: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`,
      problems,
    );
  }
  return result.data;
}
