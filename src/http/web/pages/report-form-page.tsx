import type { ComponentChildren } from 'preact';
import type { FormErrorCode, WebTexts } from '../../../i18n/web-texts.js';
import { COMPLAINT_TYPES } from '../../../tickets/vocabulary.js';
import { HONEYPOT_FIELD } from '../abuse/honeypot.js';
import type { CitizenAssets } from '../citizen-assets.js';
import {
  type FieldName,
  type FieldProblem,
  FORM_KINDS,
  NAME_MAX,
  PERMIT_NUMBER_MAX,
  type TypedValues,
} from '../report-fields.js';
import { Layout } from './layout.js';

export interface ReportFormPageProps {
  texts: WebTexts;
  office: string;
  assets: CitizenAssets;
  /** What the citizen typed (empty on a fresh form), shown again after a problem. Files never are. */
  values: TypedValues;
  problems: FieldProblem[];
  /** The hidden marks: the idempotency key, the signed timestamp, the proof-of-work challenge (JSON). */
  idempotencyKey: string;
  formToken: string;
  challenge: string;
  limits: { textMaxChars: number; attachmentMaxCount: number; attachmentMaxBytes: number };
  privacyContact?: string;
  /** PRIVACY_RETENTION_YEARS: how long the notice says reports are kept once closed. */
  privacyRetentionYears?: number;
}

export const EMPTY_VALUES: TypedValues = {
  name: '',
  phone: '',
  email: '',
  kind: '',
  complaint_type: '',
  permit_number: '',
  text: '',
  confidential: false,
  anonymous: false,
};

/**
 * GET /lapor: the complaint and question form, whole without JavaScript: a plain multipart post to
 * this server. Each problem is written next to its field (and listed at the top, linking to the
 * field) in plain words; what was typed comes back, files excepted (no browser can refill them).
 * The script (web/citizen/form.ts) only solves the proof-of-work before the form goes.
 */
export function ReportFormPage(props: ReportFormPageProps) {
  const { texts, office, assets, values, problems, limits } = props;
  const form = texts.form;
  const language = texts.language;
  const problemOf = (field: FieldName) => problems.find((problem) => problem.field === field)?.code;
  const formProblems = problems.filter((problem) => problem.field === 'form');
  const megabytes = Math.round((limits.attachmentMaxBytes / (1024 * 1024)) * 10) / 10;
  const contact = props.privacyContact ?? form.privacyContactFallback;
  return (
    <Layout texts={texts} office={office} title={form.title} path="/lapor" assets={assets} script>
      <h1>{form.title}</h1>
      <p>{form.intro}</p>
      {problems.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <h2>{form.errorSummary}</h2>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.field}-${problem.code}`}>
                {problem.field === 'form' ? (
                  form.errors[problem.code]
                ) : (
                  <a href={`#${fieldId(problem.field)}`}>{form.errors[problem.code]}</a>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        id="report-form"
        method="post"
        action={`/lapor?lang=${language}`}
        enctype="multipart/form-data"
        data-challenge={props.challenge}
        noValidate
      >
        <input type="hidden" name="key" value={props.idempotencyKey} />
        <input type="hidden" name="form_token" value={props.formToken} />
        <input type="hidden" name="lang" value={language} />
        <input type="hidden" name="altcha" value="" />

        <fieldset>
          <legend>{form.aboutYou}</legend>
          <p class="hint">{form.contactRule}</p>
          <TextField
            field="name"
            label={form.name}
            hint={form.nameHint}
            tag={form.optional}
            value={values.name}
            problem={problemOf('name')}
            texts={texts}
            autocomplete="name"
            maxLength={NAME_MAX}
          />
          <TextField
            field="phone"
            type="tel"
            label={form.phone}
            hint={form.phoneHint}
            value={values.phone}
            problem={problemOf('phone')}
            texts={texts}
            autocomplete="tel"
            inputMode="tel"
          />
          <TextField
            field="email"
            type="email"
            label={form.email}
            hint={form.emailHint}
            value={values.email}
            problem={problemOf('email')}
            texts={texts}
            autocomplete="email"
          />
        </fieldset>

        <Field
          field="kind"
          label={form.kind}
          hint={form.kindHint}
          tag={form.required}
          problem={problemOf('kind')}
          texts={texts}
        >
          <select
            id="kind"
            name="kind"
            required
            aria-describedby={describedBy('kind', problemOf('kind'))}
            aria-invalid={problemOf('kind') ? 'true' : undefined}
          >
            <option value="">{form.choose}</option>
            {FORM_KINDS.map((term) => (
              <option key={term.code} value={term.code} selected={values.kind === term.code}>
                {term.label[language]}
              </option>
            ))}
          </select>
        </Field>

        <Field
          field="complaint_type"
          label={form.complaintType}
          hint={form.complaintTypeHint}
          tag={form.optional}
          problem={problemOf('complaint_type')}
          texts={texts}
        >
          <select
            id="complaint_type"
            name="complaint_type"
            aria-describedby={describedBy('complaint_type', problemOf('complaint_type'))}
            aria-invalid={problemOf('complaint_type') ? 'true' : undefined}
          >
            <option value="">{form.complaintTypeNone}</option>
            {COMPLAINT_TYPES.map((term) => (
              <option key={term.code} value={term.code} selected={values.complaint_type === term.code}>
                {term.label[language]}
              </option>
            ))}
          </select>
        </Field>

        <TextField
          field="permit_number"
          label={form.permitNumber}
          hint={form.permitNumberHint}
          tag={form.optional}
          value={values.permit_number}
          problem={problemOf('permit_number')}
          texts={texts}
          maxLength={PERMIT_NUMBER_MAX}
        />

        <Field
          field="text"
          label={form.text}
          hint={form.textHint(limits.textMaxChars)}
          tag={form.required}
          problem={problemOf('text')}
          texts={texts}
        >
          <textarea
            id="text"
            name="text"
            rows={8}
            required
            maxLength={limits.textMaxChars}
            aria-describedby={describedBy('text', problemOf('text'))}
            aria-invalid={problemOf('text') ? 'true' : undefined}
          >
            {values.text}
          </textarea>
        </Field>

        {limits.attachmentMaxCount > 0 && (
          <Field
            field="attachments"
            label={form.attachments}
            hint={form.attachmentsHint(limits.attachmentMaxCount, megabytes)}
            tag={form.optional}
            problem={problemOf('attachments')}
            texts={texts}
          >
            <input
              id="attachments"
              name="attachments"
              type="file"
              multiple
              accept="image/*,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods"
              aria-describedby={describedBy('attachments', problemOf('attachments'))}
              aria-invalid={problemOf('attachments') ? 'true' : undefined}
            />
          </Field>
        )}

        <fieldset>
          <legend>{form.protection}</legend>
          <Choice
            field="confidential"
            label={form.confidential}
            hint={form.confidentialHint}
            checked={values.confidential}
          />
          <Choice field="anonymous" label={form.anonymous} hint={form.anonymousHint} checked={values.anonymous} />
        </fieldset>

        <div class="trap">
          <label for={HONEYPOT_FIELD}>{form.honeypot}</label>
          <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabindex={-1} autocomplete="off" value="" />
        </div>

        <section class="notice" aria-labelledby="privacy-title">
          <h2 id="privacy-title">{form.privacyTitle}</h2>
          {form.privacy(office, contact, props.privacyRetentionYears).map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </section>

        {formProblems.length > 0 && <p class="error-message">{form.errors[formProblems[0]!.code]}</p>}
        <p>
          <button type="submit">{form.submit}</button>
        </p>
        <p class="status" id="form-status" aria-live="polite" data-solving={form.solving} />
      </form>
    </Layout>
  );
}

const fieldId = (field: FieldName): string => field;

function describedBy(field: FieldName, problem: FormErrorCode | undefined): string {
  return problem ? `${field}-error ${field}-hint` : `${field}-hint`;
}

interface FieldProps {
  field: FieldName;
  label: string;
  hint: string;
  tag?: string;
  problem?: FormErrorCode;
  texts: WebTexts;
  children?: ComponentChildren;
}

/** A label, its hint, the problem if any (next to the field, as GOV.UK and others do), the control. */
function Field({ field, label, hint, tag, problem, texts, children }: FieldProps) {
  return (
    <div class={problem ? 'field field-error' : 'field'}>
      <label for={fieldId(field)}>
        {label} {tag && <span class="tag">({tag})</span>}
      </label>
      <span class="hint" id={`${field}-hint`}>
        {hint}
      </span>
      {problem && (
        <span class="error-message" id={`${field}-error`}>
          {texts.form.errors[problem]}
        </span>
      )}
      {children}
    </div>
  );
}

function TextField(
  props: Omit<FieldProps, 'children'> & {
    value: string;
    type?: 'text' | 'tel' | 'email';
    autocomplete?: string;
    inputMode?: 'tel' | 'email' | 'text';
    maxLength?: number;
  },
) {
  const { field, value, type = 'text', problem } = props;
  return (
    <Field {...props}>
      <input
        id={fieldId(field)}
        name={field}
        // Preact's types split text-like inputs by type; all three take the same attributes here.
        type={type as 'text'}
        value={value}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        aria-describedby={describedBy(field, problem)}
        aria-invalid={problem ? 'true' : undefined}
      />
    </Field>
  );
}

function Choice({ field, label, hint, checked }: { field: FieldName; label: string; hint: string; checked: boolean }) {
  return (
    <div class="choice">
      <input id={field} name={field} type="checkbox" checked={checked} aria-describedby={`${field}-hint`} />
      <div>
        <label for={field}>{label}</label>
        <span class="hint" id={`${field}-hint`}>
          {hint}
        </span>
      </div>
    </div>
  );
}
