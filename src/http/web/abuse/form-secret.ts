import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { mailSigningKey } from '../../../mail/signing-key.js';

/**
 * The secrets that sign the web form's timestamps and proof-of-work challenges, derived from the
 * installation's signing key (in the database, src/mail/signing-key.ts), so that every API process
 * signs and verifies alike and nobody configures one. Each use has its own label, so a value signed
 * for one can never pass for another.
 */
export interface FormSecrets {
  formToken: Buffer;
  challenge: string;
  challengeKey: string;
}

export async function formSecrets(db: Knex): Promise<FormSecrets> {
  const root = await mailSigningKey(db);
  const derive = (label: string) => createHmac('sha256', root).update(`satu-pintu web form: ${label}`).digest();
  return {
    formToken: derive('form token'),
    challenge: derive('altcha challenge').toString('hex'),
    challengeKey: derive('altcha key').toString('hex'),
  };
}
