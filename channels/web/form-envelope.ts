import { createHash } from 'node:crypto';
import type { AttachmentRef, InboundEnvelope, ReportChoices } from '../adapter.js';

/** The provider name of web form submissions on inbox rows and messages. */
export const WEB_FORM_PROVIDER = 'web';

/** A web form's fields after the web door checked them: the citizen's words and choices. */
export interface ReportForm {
  /** The idempotency key the page carried (the same key twice is one report). */
  idempotencyKey: string;
  name?: string;
  /** E.164, normalised like every channel's numbers, so that the citizen is the same contact as on SMS. */
  phone?: string;
  /** Lower-cased. */
  email?: string;
  language: 'id' | 'en';
  category: string;
  complaintType?: string;
  permitNumber?: string;
  text: string;
  confidential: boolean;
  anonymous: boolean;
  /** Already kept in the attachment store (url set, sha256 known). */
  attachments: AttachmentRef[];
}

/**
 * A web form submission as an envelope, like any provider's message: provider `web`, the page's
 * idempotency key as the external id (so a double click or a replay is one inbox row), the
 * citizen's choices in `report`. `raw` keeps no personal data, only the form's digest, which tells a
 * replay (same key, same content) from a different report under a used key.
 */
export function formEnvelope(form: ReportForm, receivedAt: Date, to: string): InboundEnvelope {
  const report: ReportChoices = {
    category: form.category,
    complaintType: form.complaintType,
    permitNumber: form.permitNumber,
    confidential: form.confidential,
    anonymous: form.anonymous,
  };
  return {
    channel: 'web',
    provider: WEB_FORM_PROVIDER,
    externalId: form.idempotencyKey,
    kind: 'message',
    from: { name: form.name, phone: form.phone, email: form.email, language: form.language },
    to,
    text: form.text,
    attachments: form.attachments,
    report,
    receivedAt: receivedAt.toISOString(),
    raw: { form: 'lapor', language: form.language, digest: formDigest(form) },
  };
}

/** What makes two submissions the same report: every field and each attachment's bytes (by digest). */
export function formDigest(form: ReportForm): string {
  const canonical = JSON.stringify([
    form.name ?? '',
    form.phone ?? '',
    form.email ?? '',
    form.category,
    form.complaintType ?? '',
    form.permitNumber ?? '',
    form.text,
    form.confidential,
    form.anonymous,
    form.attachments.map((attachment) => attachment.sha256 ?? attachment.url),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The digest an inbox row's envelope was recorded with (undefined for a row that is not a form's). */
export function recordedDigest(envelope: InboundEnvelope): string | undefined {
  const raw = envelope.raw as { digest?: unknown } | null | undefined;
  return typeof raw?.digest === 'string' ? raw.digest : undefined;
}
