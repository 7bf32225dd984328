import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed form timestamp: when the page was rendered, and for which idempotency key, signed
 * with HMAC-SHA-256. A form sent sooner than a person could fill it in is a robot's; one older
 * than the maximum age was left open (or is being replayed). Tying it to the key means one
 * rendered form, one report: a token cannot be copied onto another form.
 */
export type FormTokenProblem = 'forged' | 'too_fast' | 'expired';

export function signFormToken(secret: Buffer, idempotencyKey: string, issuedAt: Date): string {
  const stamp = String(issuedAt.getTime());
  return `${stamp}.${mac(secret, stamp, idempotencyKey)}`;
}

export function checkFormToken(
  secret: Buffer,
  token: unknown,
  idempotencyKey: string,
  now: Date,
  limits: { minFillSeconds: number; maxAgeHours: number },
): FormTokenProblem | undefined {
  if (typeof token !== 'string' || !/^\d{1,15}\.[A-Za-z0-9_-]{43}$/.test(token)) return 'forged';
  const [stamp, signature] = token.split('.') as [string, string];
  const expected = Buffer.from(mac(secret, stamp, idempotencyKey));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  const age = now.getTime() - Number(stamp);
  if (age < limits.minFillSeconds * 1000) return 'too_fast';
  if (age > limits.maxAgeHours * 3_600_000) return 'expired';
  return undefined;
}

const mac = (secret: Buffer, stamp: string, key: string): string =>
  createHmac('sha256', secret).update(`${stamp}\n${key}`).digest('base64url');
