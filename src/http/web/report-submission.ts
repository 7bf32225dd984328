import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AttachmentRef, InboundEnvelope } from '../../../channels/adapter.js';
import {
  formDigest,
  formEnvelope,
  recordedDigest,
  type ReportForm,
  WEB_FORM_PROVIDER,
} from '../../../channels/web/form-envelope.js';
import { fromJson } from '../../db/rows.js';
import { classifyAttachment } from '../../messages/attachment-policy.js';
import type { AttachmentStore } from '../../messages/attachment-store.js';
import type { Language } from '../../i18n/web-texts.js';
import type { InboxWriter } from '../../inbox/inbox-writer.js';
import { checkFormToken } from './abuse/form-token.js';
import type { FormSecrets } from './abuse/form-secret.js';
import { honeypotFilled, HONEYPOT_FIELD } from './abuse/honeypot.js';
import { solvedChallenge } from './abuse/proof-of-work.js';
import type { SubmissionLimits } from './abuse/submission-limits.js';
import { checkFields, type FieldProblem, IDEMPOTENCY_KEY, typedValues } from './report-fields.js';

/** One uploaded file as the HTTP edge read it. */
export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface SubmissionSettings {
  defaultRegion: string;
  textMaxChars: number;
  attachmentMaxCount: number;
  attachmentMaxBytes: number;
  minFillSeconds: number;
  maxAgeHours: number;
  /** Where the report was sent (the envelope's `to`): the office's public address. */
  publicUrl: string;
}

export interface SubmissionContext {
  db: Knex;
  inbox: InboxWriter;
  store: AttachmentStore;
  limits: SubmissionLimits;
  secrets: () => Promise<FormSecrets>;
  settings: SubmissionSettings;
}

export type SubmissionOutcome =
  /** Recorded now, or earlier under the same key with the same content (a replay, a double click). */
  | { ok: true; idempotencyKey: string; replay: boolean }
  /** Problems with the citizen's input: the page marks each field, the API answers 4xx. */
  | { ok: false; status: 400 | 409 | 413 | 422 | 429; problems: FieldProblem[]; retryAfterSeconds?: number };

/**
 * A web form submission, from the fields and files the HTTP edge read to a row in the inbox, like
 * any provider's message. In order: the form's own marks (idempotency key, honeypot, a forged
 * timestamp), the citizen's fields and files, the timestamp's age and, when the page's script ran,
 * the solved proof-of-work, a replay of a recorded key (same content: the same report; other content: 409), the
 * rate limits (only reports that would be recorded count), then the files are kept and the
 * envelope recorded. The ticket follows from the inbox as for every channel.
 */
export async function submitReport(
  context: SubmissionContext,
  input: { fields: Record<string, unknown>; files: UploadedFile[]; clientAddress: string; language: Language },
  now: Date,
): Promise<SubmissionOutcome> {
  const { settings } = context;
  const { fields, files } = input;
  const key = typeof fields.key === 'string' ? fields.key : '';
  if (!IDEMPOTENCY_KEY.test(key)) return refused(400, 'form', 'idempotency_key_invalid');
  if (honeypotFilled(fields[HONEYPOT_FIELD])) return refused(422, 'form', 'honeypot_filled');
  const secrets = await context.secrets();
  const tokenProblem = checkFormToken(secrets.formToken, fields.form_token, key, now, {
    minFillSeconds: settings.minFillSeconds,
    maxAgeHours: settings.maxAgeHours,
  });
  if (tokenProblem === 'forged') return refused(400, 'form', 'malformed');
  // The citizen's own mistakes first: a form sent too fast or too late that also has them is
  // answered with them (the corrected form comes with a new timestamp, and takes its time).
  const checked = checkFields(typedValues(fields), settings);
  const problems = [...checked.problems, ...(await checkFiles(files, settings))];
  if (problems.length > 0 || !checked.fields) {
    const tooLarge = problems.some((problem) => problem.code === 'attachment_too_large');
    return { ok: false, status: tooLarge ? 413 : 422, problems };
  }
  if (tokenProblem === 'expired') return refused(422, 'form', 'form_expired');
  if (tokenProblem === 'too_fast') return refused(422, 'form', 'too_fast');
  // The proof-of-work is optional (no JavaScript, no proof), but a wrong one is refused.
  const hasProof = typeof fields.altcha === 'string' && fields.altcha !== '';
  const solved = hasProof && (await solvedChallenge(secrets, fields.altcha, key));
  if (hasProof && !solved) return refused(422, 'form', 'challenge_failed');
  const digests = files.map((file) => createHash('sha256').update(file.content).digest('hex'));
  const form: ReportForm = {
    idempotencyKey: key,
    language: input.language,
    ...checked.fields,
    attachments: digests.map((sha256) => ({ storage: 'local', url: '', sha256 })),
  };
  const digest = formDigest(form);
  const earlier = await recordedEnvelope(context.db, key);
  if (earlier) return sameReport(earlier, digest);

  const wait = await context.limits.take(input.clientAddress, solved);
  if (wait !== undefined)
    return { ok: false, status: 429, problems: [{ field: 'form', code: 'rate_limited' }], retryAfterSeconds: wait };

  const attachments: AttachmentRef[] = [];
  for (const file of files) {
    const kept = await context.store.storeOutgoing(file);
    if ('refused' in kept) return refused(422, 'attachments', 'attachment_type'); // checked above; a race at most
    attachments.push(kept);
  }
  const envelope = formEnvelope({ ...form, attachments }, now, settings.publicUrl);
  const [recorded] = await context.inbox.record([envelope]);
  if (recorded?.duplicate) {
    // Two submissions of one key at once: the other was recorded first.
    const winner = await recordedEnvelope(context.db, key);
    return winner ? sameReport(winner, digest) : refused(409, 'form', 'idempotency_conflict');
  }
  return { ok: true, idempotencyKey: key, replay: false };
}

const refused = (
  status: 400 | 409 | 413 | 422,
  field: FieldProblem['field'],
  code: FieldProblem['code'],
): SubmissionOutcome => ({ ok: false, status, problems: [{ field, code }] });

function sameReport(earlier: InboundEnvelope, digest: string): SubmissionOutcome {
  if (recordedDigest(earlier) === digest) return { ok: true, idempotencyKey: earlier.externalId, replay: true };
  return refused(409, 'form', 'idempotency_conflict');
}

/** The envelope recorded under a form's idempotency key, if any. */
export async function recordedEnvelope(db: Knex, key: string): Promise<InboundEnvelope | undefined> {
  const row = await db('inbox').where({ provider: WEB_FORM_PROVIDER, external_id: key }).first('envelope');
  return row ? fromJson<InboundEnvelope>(row.envelope) : undefined;
}

/** Count, size, and what the bytes are (the attachment policy: the declared type counts for nothing). */
async function checkFiles(files: UploadedFile[], settings: SubmissionSettings): Promise<FieldProblem[]> {
  if (files.length > settings.attachmentMaxCount) return [{ field: 'attachments', code: 'attachment_too_many' }];
  if (files.some((file) => file.content.length > settings.attachmentMaxBytes))
    return [{ field: 'attachments', code: 'attachment_too_large' }];
  for (const file of files) {
    const verdict = await classifyAttachment(file);
    if (!verdict.accepted) return [{ field: 'attachments', code: 'attachment_type' }];
  }
  return [];
}
