import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { FormSecrets } from './form-secret.js';

/**
 * The ALTCHA proof-of-work instead of a third-party captcha: nothing is loaded from elsewhere and
 * nobody is tracked. The page's script searches counters up to a secret one (SHA-256, between half
 * and all of `maxCounter`: about a second on a low-end phone at the default) before it sends. The
 * challenge is signed, expires with the form, and names the form's idempotency key in its data, so
 * one solution sends one report and cannot be reused on another form.
 */
export async function formChallenge(
  secrets: FormSecrets,
  idempotencyKey: string,
  options: { maxCounter: number; expiresAt: Date },
): Promise<Challenge> {
  const low = Math.max(1, Math.floor(options.maxCounter / 2));
  return createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: randomInt(low, Math.max(low + 1, options.maxCounter)),
    deriveKey,
    expiresAt: options.expiresAt,
    data: { key: idempotencyKey },
    hmacSignatureSecret: secrets.challenge,
    hmacKeySignatureSecret: secrets.challengeKey,
  });
}

/** The page's hidden field: base64 of JSON `{ challenge, solution }`, as web/citizen/form.ts writes it. */
export async function solvedChallenge(secrets: FormSecrets, field: unknown, idempotencyKey: string): Promise<boolean> {
  if (typeof field !== 'string' || field.length === 0 || field.length > 4096) return false;
  let payload: { challenge?: Challenge; solution?: { counter: number; derivedKey: string } };
  try {
    payload = JSON.parse(Buffer.from(field, 'base64').toString('utf8'));
  } catch {
    return false;
  }
  const { challenge, solution } = payload ?? {};
  if (!challenge?.parameters || typeof challenge.parameters !== 'object' || !solution) return false;
  if (challenge.parameters.data?.key !== idempotencyKey) return false;
  try {
    const result = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: secrets.challenge,
      hmacKeySignatureSecret: secrets.challengeKey,
    });
    return result.verified;
  } catch {
    return false; // a malformed challenge (wrong types inside) is a failed one, not a 500
  }
}
