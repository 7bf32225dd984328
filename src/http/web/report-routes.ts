import { randomBytes } from 'node:crypto';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { h } from 'preact';
import type { Config } from '../../config.js';
import { AttachmentStore } from '../../messages/attachment-store.js';
import { type FormErrorCode, type Language, webLanguage, webTexts } from '../../i18n/web-texts.js';
import type { InboxWriter } from '../../inbox/inbox-writer.js';
import type { Logger } from '../../logger.js';
import { type FormSecrets, formSecrets } from './abuse/form-secret.js';
import { checkFormToken, signFormToken } from './abuse/form-token.js';
import { formChallenge } from './abuse/proof-of-work.js';
import { SubmissionLimits } from './abuse/submission-limits.js';
import { citizenAssets } from './citizen-assets.js';
import { readFormBody } from './form-body.js';
import { EMPTY_VALUES, ReportFormPage } from './pages/report-form-page.js';
import { ReportReceivedPage } from './pages/report-received-page.js';
import { sendPage } from './render-page.js';
import { type FieldProblem, IDEMPOTENCY_KEY, type TypedValues, typedValues } from './report-fields.js';
import { type Receipt, waitForReceipt } from './report-receipt.js';
import { type SubmissionContext, type SubmissionOutcome, submitReport } from './report-submission.js';

export interface ReportRouteContext {
  config: Config;
  db: Knex;
  redis: Redis;
  inbox: InboxWriter;
  logger: Logger;
}

/** Room for the text fields and multipart framing besides the files. */
const FIELDS_ALLOWANCE_BYTES = 256 * 1024;

/** The form's parts: the pages (GET/POST /lapor, the receipt) and the JSON twin's handlers. */
export function reportRoutes(context: ReportRouteContext) {
  const { config, db } = context;
  let secrets: Promise<FormSecrets> | undefined;
  const loadSecrets = () => {
    secrets ??= formSecrets(db);
    secrets.catch(() => {
      secrets = undefined; // the database was down: read again next time
    });
    return secrets;
  };
  const submission: SubmissionContext = {
    db,
    inbox: context.inbox,
    store: new AttachmentStore({ dataDir: config.DATA_DIR, maxBytes: config.WEB_ATTACHMENT_MAX_BYTES }),
    limits: new SubmissionLimits(context.redis, {
      windowMinutes: config.WEB_LIMIT_WINDOW_MINUTES,
      perAddress: config.WEB_SUBMISSIONS_PER_ADDRESS,
      perAddressNoJs: config.WEB_SUBMISSIONS_PER_ADDRESS_NO_JS,
      perOffice: config.WEB_SUBMISSIONS_PER_OFFICE,
      keyPrefix: config.QUEUE_PREFIX,
    }),
    secrets: loadSecrets,
    settings: {
      defaultRegion: config.DEFAULT_REGION,
      textMaxChars: config.WEB_TEXT_MAX_CHARS,
      attachmentMaxCount: config.WEB_ATTACHMENT_MAX_COUNT,
      attachmentMaxBytes: config.WEB_ATTACHMENT_MAX_BYTES,
      minFillSeconds: config.WEB_FORM_MIN_FILL_SECONDS,
      maxAgeHours: config.WEB_FORM_MAX_AGE_HOURS,
      publicUrl: config.publicUrl,
    },
  };
  const bodyLimit = config.WEB_ATTACHMENT_MAX_COUNT * config.WEB_ATTACHMENT_MAX_BYTES + FIELDS_ALLOWANCE_BYTES;
  const languageOf = (request: Request, field?: unknown): Language =>
    webLanguage(request.query.lang ?? field, config.DEFAULT_LANGUAGE);

  /** A fresh form's hidden marks: a new idempotency key (unless kept), the timestamp, the challenge. */
  const marks = async (keep?: string, keepToken?: unknown) => {
    const key = keep && IDEMPOTENCY_KEY.test(keep) ? keep : randomBytes(16).toString('base64url');
    const now = new Date();
    const keys = await loadSecrets();
    const challenge = await formChallenge(keys, key, {
      maxCounter: config.WEB_POW_MAX_COUNTER,
      expiresAt: new Date(now.getTime() + config.WEB_FORM_MAX_AGE_HOURS * 3_600_000),
    });
    // A form shown again to correct a field keeps the time it was first opened (when that token is
    // genuine, for this key, and not expired): a citizen who fixes one field in a second is not a
    // robot, and must not be told the form came back too fast.
    const genuine =
      keep === key &&
      checkFormToken(keys.formToken, keepToken, key, now, {
        minFillSeconds: 0,
        maxAgeHours: config.WEB_FORM_MAX_AGE_HOURS,
      }) === undefined;
    const formToken = genuine ? String(keepToken) : signFormToken(keys.formToken, key, now);
    return { idempotencyKey: key, formToken, challenge };
  };

  const renderForm = async (
    response: Response,
    language: Language,
    state: { values: TypedValues; problems: FieldProblem[]; keepKey?: string; keepToken?: unknown; status?: number },
  ) => {
    const { idempotencyKey, formToken, challenge } = await marks(state.keepKey, state.keepToken);
    sendPage(
      response,
      h(ReportFormPage, {
        texts: webTexts(language),
        office: config.OFFICE_NAME,
        assets: citizenAssets(),
        values: state.values,
        problems: state.problems,
        idempotencyKey,
        formToken,
        challenge: JSON.stringify(challenge),
        limits: {
          textMaxChars: config.WEB_TEXT_MAX_CHARS,
          attachmentMaxCount: config.WEB_ATTACHMENT_MAX_COUNT,
          attachmentMaxBytes: config.WEB_ATTACHMENT_MAX_BYTES,
        },
        privacyContact: config.PRIVACY_CONTACT,
        privacyRetentionYears: config.PRIVACY_RETENTION_YEARS,
      }),
      { status: state.status },
    );
  };

  const receiptPath = (key: string) => `/lapor/diterima/${key}`;

  /** Reads and submits one post; what went wrong as problems, never a thrown error for bad input. */
  const receive = async (request: Request, response: Response) => {
    const body = await readFormBody(request, response, bodyLimit);
    if (typeof body === 'string') {
      const status = body === 'body_too_large' ? 413 : 400;
      return { body: undefined, outcome: failure(status, body) };
    }
    const language = languageOf(request, body.fields.lang);
    const outcome = await submitReport(
      submission,
      { ...body, clientAddress: clientAddress(request), language },
      new Date(),
    );
    return { body, outcome, language };
  };

  const showForm: RequestHandler = async (request, response) => {
    await renderForm(response, languageOf(request), { values: EMPTY_VALUES, problems: [] });
  };

  const postForm: RequestHandler = async (request, response) => {
    const { body, outcome } = await receive(request, response);
    const language = languageOf(request, body?.fields.lang);
    if (outcome.ok) {
      response.redirect(303, `${receiptPath(outcome.idempotencyKey)}?lang=${language}`);
      return;
    }
    if (outcome.retryAfterSeconds) response.set('Retry-After', String(outcome.retryAfterSeconds));
    const conflict = outcome.problems.some((problem) => problem.code === 'idempotency_conflict');
    await renderForm(response, language, {
      values: body ? typedValues(body.fields) : EMPTY_VALUES,
      problems: outcome.problems,
      // The same key again, so a corrected form still counts once; a used key (409) gets a new one.
      keepKey: conflict || typeof body?.fields.key !== 'string' ? undefined : body.fields.key,
      keepToken: body?.fields.form_token,
      status: outcome.status,
    });
  };

  const showReceipt: RequestHandler = async (request, response) => {
    const key = String(request.params.key ?? '');
    const language = languageOf(request);
    const texts = webTexts(language);
    const receipt = IDEMPOTENCY_KEY.test(key)
      ? await waitForReceipt(db, key, config.REFERENCE_PREFIX, config.WEB_RECEIPT_WAIT_MS)
      : undefined;
    if (!receipt) {
      response.redirect(303, `/lapor?lang=${language}`); // no such report: a fresh form
      return;
    }
    sendPage(
      response,
      h(ReportReceivedPage, {
        texts,
        office: config.OFFICE_NAME,
        assets: citizenAssets(),
        receipt,
        path: receiptPath(key),
      }),
    );
  };

  /** GET /api/v1/public/submissions/form: a form's hidden marks for a client that is not the page. */
  const apiForm: RequestHandler = async (_request, response) => {
    const { idempotencyKey, formToken, challenge } = await marks();
    response.json({ data: { idempotencyKey, formToken, challenge } });
  };

  /** POST /api/v1/public/submissions: the form's JSON twin. */
  const apiSubmit: RequestHandler = async (request, response) => {
    const { outcome, language } = await receive(request, response);
    if (!outcome.ok) {
      if (outcome.retryAfterSeconds) response.set('Retry-After', String(outcome.retryAfterSeconds));
      const texts = webTexts(language ?? config.DEFAULT_LANGUAGE).form.errors;
      const problems = outcome.problems.map((problem) => ({ ...problem, message: texts[problem.code] }));
      response.status(outcome.status).json({
        error: { code: problems[0]!.code, message: problems[0]!.message, details: { problems } },
      });
      return;
    }
    const receipt: Receipt | undefined = await waitForReceipt(
      db,
      outcome.idempotencyKey,
      config.REFERENCE_PREFIX,
      config.WEB_RECEIPT_WAIT_MS,
    );
    response.status(outcome.replay ? 200 : 202).json({
      data: {
        idempotencyKey: outcome.idempotencyKey,
        reference: receipt?.reference ?? null,
        acknowledgedBy: receipt?.acknowledgedBy ?? null,
        replay: outcome.replay,
      },
    });
  };

  const pages = Router();
  pages.get('/lapor', showForm);
  pages.post('/lapor', postForm);
  pages.get('/lapor/diterima/:key', showReceipt);
  return { pages, apiForm, apiSubmit };
}

const failure = (status: 400 | 413, code: FormErrorCode): SubmissionOutcome => ({
  ok: false,
  status,
  problems: [{ field: 'form', code }],
});

/** The client's address as express sees it (X-Forwarded-For only from a trusted proxy: app.ts). */
const clientAddress = (request: Request): string => request.ip ?? request.socket.remoteAddress ?? 'unknown';
