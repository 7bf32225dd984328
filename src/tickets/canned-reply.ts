import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { UnprocessableError } from '../errors.js';
import { formatReference } from './reference-number.js';
import { findAccessibleTicket } from './ticket-access.js';
import { usableBy } from './canned-responses.js';
import { POLITE_ADDRESS, renderTemplate, TEMPLATE_LANGUAGES, type TemplateLanguage } from './canned-templates.js';

export interface CannedReplySettings {
  referencePrefix: string;
  officeName: string;
}

export interface ComposedReply {
  body: string;
  /** The response actually used: the chosen one, or its twin in the citizen's language. */
  cannedResponseId: number;
  language: TemplateLanguage;
}

/** The longest reply the API takes, typed or composed. */
export const MAX_REPLY_LENGTH = 4000;

/**
 * A reply built from a canned response, filled in with this ticket's values. The citizen is
 * answered in their own language: the agent picks a response in either language and its twin of
 * the same name in the citizen's language is used when there is one. An agent's own text, when
 * given too, follows the template after a blank line.
 */
export async function composeCannedReply(
  db: Knex,
  agent: AuthenticatedAgent,
  ticketId: number,
  input: { cannedResponseId: number; body?: string },
  settings: CannedReplySettings,
): Promise<ComposedReply> {
  await findAccessibleTicket(db, agent, ticketId); // 404 before anything else is revealed
  const ticket = await db('tickets as t')
    .join('contacts as c', 'c.id', 't.contact_id')
    .where('t.id', ticketId)
    .first('t.reference', 't.anonymous', 'c.display_name', 'c.language');
  const chosen = await usableCannedResponse(db, agent, input.cannedResponseId);

  const wanted = (TEMPLATE_LANGUAGES as readonly string[]).includes(ticket.language)
    ? (ticket.language as TemplateLanguage)
    : undefined;
  const twin =
    wanted && chosen.language !== wanted
      ? await usableBy(
          db('canned_responses as cr').where({ 'cr.name': chosen.name, 'cr.language': wanted }),
          db,
          agent,
        ).first('cr.id', 'cr.language', 'cr.body')
      : undefined;
  const template = twin ?? chosen;
  const language = template.language as TemplateLanguage;

  // An anonymous report keeps the reporter's name out of the thread every handler reads.
  const name =
    !ticket.anonymous && typeof ticket.display_name === 'string' && ticket.display_name.trim()
      ? ticket.display_name.trim()
      : POLITE_ADDRESS[language];
  const rendered = renderTemplate(template.body, {
    citizen_name: name,
    reference: formatReference(String(ticket.reference), settings.referencePrefix),
    agent_name: agent.name,
    office_name: settings.officeName,
  });
  const body = input.body ? `${rendered.trimEnd()}\n\n${input.body}` : rendered;
  if (body.length > MAX_REPLY_LENGTH) {
    throw new UnprocessableError(
      'reply_too_long',
      `The reply is ${body.length} characters; at most ${MAX_REPLY_LENGTH} are sent`,
      { length: body.length },
    );
  }
  return { body, cannedResponseId: Number(template.id), language };
}

/**
 * The canned response an agent's own body was composed from (previewed in the console, then maybe
 * edited), checked as one the agent may use: its id for the reply's audit trail.
 */
export async function cannedResponseUsed(
  db: Knex,
  agent: AuthenticatedAgent,
  cannedResponseId: number,
): Promise<number> {
  return Number((await usableCannedResponse(db, agent, cannedResponseId)).id);
}

/** A canned response the agent may use; 422 `unknown_canned_response` for any other id. */
async function usableCannedResponse(
  db: Knex,
  agent: AuthenticatedAgent,
  cannedResponseId: number,
): Promise<{ id: number | string; name: string; language: string; body: string }> {
  const row = await usableBy(db('canned_responses as cr').where('cr.id', cannedResponseId), db, agent).first(
    'cr.id',
    'cr.name',
    'cr.language',
    'cr.body',
  );
  if (!row)
    throw new UnprocessableError(
      'unknown_canned_response',
      `No canned response ${cannedResponseId} is available to you`,
    );
  return row;
}
