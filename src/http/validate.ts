import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Parses input with a zod schema; a failure is a 400 naming each problem. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, where: string): z.infer<T> {
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
