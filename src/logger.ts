import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPersonalData } from './privacy-mask.js';

export type { Logger };

/**
 * Structured logs (pino). Personal data never leaves unmasked: known fields are masked by path,
 * every string value of a line passes through the same masking, and so do error messages and
 * stacks, including an error's message that pino would otherwise copy into `msg` untouched.
 */
const PERSONAL_FIELDS = [
  'from',
  'to',
  'phone',
  'email',
  'address',
  'nik',
  '*.from',
  '*.to',
  '*.phone',
  '*.email',
  '*.nik',
];

/**
 * The longest string a log line keeps. A citizen's mail or a provider's error can be megabytes,
 * and masking it whole (libphonenumber over every run of digits) would hold the process for
 * seconds: a line needs its beginning, not all of it.
 */
export const MAX_LOGGED_STRING = 4096;

/** A string as a log line may carry it: cut to MAX_LOGGED_STRING, then masked. */
function logText(value: string): string {
  if (value.length <= MAX_LOGGED_STRING) return maskPersonalData(value);
  // A cut through a phone number would leave a stub libphonenumber no longer knows as one: the
  // digits and separators just before the cut go too.
  let end = MAX_LOGGED_STRING;
  while (end > 0 && /[\d\s().+-]/.test(value[end - 1]!)) end -= 1;
  return `${maskPersonalData(value.slice(0, end))}… [${value.length - end} more characters]`;
}

/** The longest array a log line keeps (a batch of 10,000 ids is not worth a 100 KB line). */
export const MAX_LOGGED_ITEMS = 100;

// `err` or `error` holding something other than an Error (a string, a provider's JSON) must not
// throw here: pino would drop the whole line without a word.
const serializeError = (error: unknown) =>
  error instanceof Error
    ? {
        type: error.name,
        message: logText(error.message),
        stack: error.stack ? logText(error.stack) : undefined,
      }
    : maskStrings(error, new WeakSet());

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: PERSONAL_FIELDS,
      censor: (value) => (typeof value === 'string' ? logText(value) : '[masked]'),
    },
    formatters: {
      log: (object) => maskStrings(object, new WeakSet()) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, withMaskedMessage(args) as Parameters<typeof method>);
      },
    },
    serializers: { err: serializeError, error: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Where the server's lines go: on a terminal (`npm run dev`, `npm start` by hand) readable lines
 * through pino-pretty, a development dependency, when it is installed; otherwise undefined, that is
 * one JSON object per line on stdout, for whatever collects the logs. Lines are masked before
 * either, and written synchronously: the last line before an exit is never lost.
 */
export function terminalDestination(
  stdout: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
): DestinationStream | undefined {
  if (!stdout.isTTY) return undefined;
  let prettify: (line: string) => string;
  try {
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as {
      prettyFactory(options: object): (line: string) => string;
    };
    prettify = prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined; // installed without development dependencies: JSON lines on a terminal too
  }
  return { write: (line: string) => void stdout.write(prettify(line)) };
}

/** Masks the message strings, and gives an error logged on its own a masked message of its own. */
function withMaskedMessage(args: unknown[]): unknown[] {
  const masked = args.map((arg) => (typeof arg === 'string' ? logText(arg) : arg));
  const [first] = masked;
  const hasMessage = masked.slice(1).some((arg) => typeof arg === 'string') || typeof first === 'string';
  if (hasMessage) return masked;
  if (first instanceof Error) return [{ err: first }, logText(first.message)];
  const nested = (first as { err?: unknown } | undefined)?.err;
  if (nested instanceof Error) return [first, logText(nested.message)];
  return masked;
}

function maskStrings(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return logText(value);
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_LOGGED_ITEMS).map((item) => maskStrings(item, seen));
    return value.length > MAX_LOGGED_ITEMS ? [...kept, `… [${value.length - MAX_LOGGED_ITEMS} more items]`] : kept;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, seen)]));
}
