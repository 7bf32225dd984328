import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Knex } from 'knex';
import { formSecrets } from '../../src/http/web/abuse/form-secret.js';
import { signFormToken } from '../../src/http/web/abuse/form-token.js';

/** The hidden marks of a rendered /lapor page. */
export interface FormMarks {
  key: string;
  formToken: string;
  challenge: string;
}

const attribute = (html: string, pattern: RegExp): string => {
  const value = pattern.exec(html)?.[1];
  if (value === undefined) throw new Error(`not on the page: ${pattern}`);
  return value
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
};

export function marksOf(html: string): FormMarks {
  return {
    key: attribute(html, /name="key" value="([^"]+)"/),
    formToken: attribute(html, /name="form_token" value="([^"]+)"/),
    challenge: attribute(html, /data-challenge="([^"]+)"/),
  };
}

/** A form token signed as the server would have signed it `secondsAgo` seconds ago. */
export async function tokenFrom(db: Knex, key: string, secondsAgo: number): Promise<string> {
  const { formToken } = await formSecrets(db);
  return signFormToken(formToken, key, new Date(Date.now() - secondsAgo * 1000));
}

/** What the page's script puts in the hidden `altcha` field. */
export async function solved(challengeJson: string): Promise<string> {
  const challenge = JSON.parse(challengeJson);
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the challenge was not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

export interface Upload {
  name: string;
  content: Buffer;
  type?: string;
}

export function multipart(fields: Record<string, string>, files: Upload[] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append(
      'attachments',
      new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  return form;
}
