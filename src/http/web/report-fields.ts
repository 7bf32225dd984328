import { normalizePhone } from '../../contacts/phone.js';
import type { FormErrorCode } from '../../i18n/web-texts.js';
import { CATEGORIES, COMPLAINT_TYPE_CODES } from '../../tickets/vocabulary.js';

/** The kinds a citizen picks from on the form (whistle-blowing has its own channel, SP4N-LAPOR!). */
export const FORM_KINDS = CATEGORIES.filter((term) => term.code !== 'whistleblowing');

export const NAME_MAX = 200;
/** tickets.permit_number's width. */
export const PERMIT_NUMBER_MAX = 64;
const EMAIL_MAX = 254;
/** A citizen's address as people write it; delivery is the real test. No spaces, quotes or brackets. */
const EMAIL = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\.]{2,}$/;
/** The page's idempotency key: 16 to 64 base64url characters (the page makes 22: 128 random bits). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** The form's field names, shared by the page, its script and the API. */
export type FieldName =
  | 'name'
  | 'phone'
  | 'email'
  | 'kind'
  | 'complaint_type'
  | 'permit_number'
  | 'text'
  | 'attachments'
  | 'confidential'
  | 'anonymous';

/** What the citizen typed, as text, to show again on the page after a problem. */
export interface TypedValues {
  name: string;
  phone: string;
  email: string;
  kind: string;
  complaint_type: string;
  permit_number: string;
  text: string;
  confidential: boolean;
  anonymous: boolean;
}

export interface CheckedFields {
  name?: string;
  phone?: string;
  email?: string;
  category: string;
  complaintType?: string;
  permitNumber?: string;
  text: string;
  confidential: boolean;
  anonymous: boolean;
}

export interface FieldProblem {
  field: FieldName | 'form';
  code: FormErrorCode;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** A checkbox posted by a form ('on', the value) or by JSON (true). */
const ticked = (value: unknown): boolean => value === true || value === 'on' || value === 'true' || value === '1';

export function typedValues(fields: Record<string, unknown>): TypedValues {
  return {
    name: text(fields.name),
    phone: text(fields.phone),
    email: text(fields.email),
    kind: text(fields.kind),
    complaint_type: text(fields.complaint_type),
    permit_number: text(fields.permit_number),
    text: text(fields.text),
    confidential: ticked(fields.confidential),
    anonymous: ticked(fields.anonymous),
  };
}

/**
 * The form's text fields checked: at least a phone or an email (so that we can answer), the phone
 * normalised as on every channel, a kind from the vocabulary, a complaint type only for a complaint,
 * lengths within the columns. Every problem is listed, so the page can mark each field at once.
 */
export function checkFields(
  typed: TypedValues,
  settings: { defaultRegion: string; textMaxChars: number },
): { fields?: CheckedFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const clean = (value: string) => value.replace(/\r\n?/g, '\n').trim();
  const name = clean(typed.name).replace(/\s+/g, ' ');
  if (name.length > NAME_MAX) problems.push({ field: 'name', code: 'name_too_long' });
  const phoneTyped = clean(typed.phone);
  const emailTyped = clean(typed.email);
  let phone: string | undefined;
  let email: string | undefined;
  if (phoneTyped === '' && emailTyped === '') problems.push({ field: 'phone', code: 'contact_missing' });
  if (phoneTyped !== '') {
    phone = phoneTyped.length <= 32 ? normalizePhone(phoneTyped, settings.defaultRegion) : undefined;
    if (!phone) problems.push({ field: 'phone', code: 'phone_invalid' });
  }
  if (emailTyped !== '') {
    if (emailTyped.length <= EMAIL_MAX && EMAIL.test(emailTyped)) email = emailTyped.toLowerCase();
    else problems.push({ field: 'email', code: 'email_invalid' });
  }
  const category = FORM_KINDS.find((term) => term.code === typed.kind)?.code;
  if (!category) problems.push({ field: 'kind', code: 'kind_invalid' });
  let complaintType: string | undefined;
  if (typed.complaint_type !== '' && category === 'complaint') {
    complaintType = (COMPLAINT_TYPE_CODES as readonly string[]).find((code) => code === typed.complaint_type);
    if (!complaintType) problems.push({ field: 'complaint_type', code: 'complaint_type_invalid' });
  }
  const permitNumber = clean(typed.permit_number);
  if (permitNumber.length > PERMIT_NUMBER_MAX)
    problems.push({ field: 'permit_number', code: 'permit_number_too_long' });
  const body = clean(typed.text);
  if (body === '') problems.push({ field: 'text', code: 'text_missing' });
  else if (body.length > settings.textMaxChars) problems.push({ field: 'text', code: 'text_too_long' });
  if (problems.length > 0 || !category) return { problems };
  return {
    problems,
    fields: {
      name: name || undefined,
      phone,
      email,
      category,
      complaintType,
      permitNumber: permitNumber || undefined,
      text: body,
      confidential: typed.confidential,
      anonymous: typed.anonymous,
    },
  };
}
