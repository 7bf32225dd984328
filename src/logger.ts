import { pino, type Logger } from 'pino';
import { maskPersonalData } from './privacy/mask.js';

export type { Logger };

/**
 * Structured logs (pino). Known personal-data fields are masked by path, and every log line's
 * string values pass through the same masking, so a phone number in an error message does not
 * leak either.
 */
const PERSONAL_FIELDS = ['from', 'to', 'phone', 'email', 'address', 'nik', '*.from', '*.to', '*.phone', '*.email', '*.nik'];

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: PERSONAL_FIELDS,
      censor: (value) => (typeof value === 'string' ? maskPersonalData(value) : '[masked]'),
    },
    formatters: {
      log: (object) => maskStrings(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (error: Error) => ({
        type: error.name,
        message: maskPersonalData(error.message),
        stack: error.stack ? maskPersonalData(error.stack) : undefined,
      }),
    },
  });
}

function maskStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, depth + 1)]));
}
