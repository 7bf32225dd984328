import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { contactAddress } from '../contacts/contact-address.js';
import { normalizePhone } from '../contacts/phone.js';
import { toIso } from '../db/rows.js';
import { UnauthorizedError, ValidationError } from '../errors.js';

export interface ChatSession {
  id: string;
  contactId: number | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  language: 'id' | 'en';
  readUpTo: number | null;
  expiresAt: string;
}

export interface NewSessionInput {
  name?: string;
  phone?: string;
  email?: string;
  language?: 'id' | 'en';
}

export interface SessionSettings {
  ttlHours: number;
  defaultRegion: string;
  defaultLanguage: 'id' | 'en';
}

/** The token's only stored form: a stolen table opens no conversation. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** 32 random bytes, base64url: 43 characters. Anything else is no token of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Opens a visitor session. A phone is kept normalised (E.164) and an email lower-cased, as contacts
 * keep them, so that the visitor's first message joins the contact they already are (SMS, mail).
 */
export async function createSession(
  db: Knex,
  input: NewSessionInput,
  settings: SessionSettings,
  now: Date,
): Promise<{ token: string; session: ChatSession }> {
  let phone: string | null = null;
  if (input.phone?.trim()) {
    phone = normalizePhone(input.phone, settings.defaultRegion) ?? null;
    if (!phone)
      throw new ValidationError('Invalid session: phone is not a phone number', [
        { field: 'phone', problem: 'not a phone number' },
      ]);
  }
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const row = {
    id,
    token_hash: hashToken(token),
    contact_id: null,
    name: input.name?.trim() || null,
    phone,
    email: input.email?.trim().toLowerCase() || null,
    language: input.language ?? settings.defaultLanguage,
    read_up_to: null,
    created_at: now,
    expires_at: new Date(now.getTime() + settings.ttlHours * 3600_000),
    last_seen_at: now,
  };
  await db('webchat_sessions').insert(row);
  await forgetExpired(db, now);
  return { token, session: sessionOf(row) };
}

/**
 * Expired sessions go, a few at a time as new ones come: the table holds the sessions in use, and
 * the phone and email a visitor typed are not kept past their session (the messages keep the
 * conversation, and the contact what joined it).
 */
async function forgetExpired(db: Knex, now: Date): Promise<void> {
  const expired = db('webchat_sessions').where('expires_at', '<=', now).orderBy('expires_at').limit(20).select('id');
  await db('webchat_sessions').whereIn('id', expired).delete();
}

/**
 * The session behind a bearer token, or 401: forged, unknown and expired tokens get the same
 * answer. A session in use lives on (its expiry slides), at most one write a minute.
 */
export async function sessionForToken(db: Knex, token: string | undefined, now: Date, ttlHours: number) {
  if (!token || !TOKEN_SHAPE.test(token)) throw new UnauthorizedError('A chat session token is required');
  const row = await db('webchat_sessions')
    .where({ token_hash: hashToken(token) })
    .first();
  if (!row || new Date(row.expires_at).getTime() <= now.getTime())
    throw new UnauthorizedError('The chat session has expired or does not exist: start a new one');
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
    await db('webchat_sessions').where({ id: row.id }).update({ last_seen_at: now, expires_at: expiresAt });
    row.expires_at = expiresAt;
  }
  return sessionOf(row);
}

/** The ticket the session's conversation is on: that of its latest message, once one was processed. */
export async function sessionTicket(
  db: Knex,
  sessionId: string,
): Promise<{ id: number; reference: string; contactId: number; teamId: number | null } | undefined> {
  const row = await db('messages as m')
    .join('tickets as t', 't.id', 'm.ticket_id')
    .where({ 'm.address': sessionId, 'm.channel': 'webchat' })
    .orderBy('m.id', 'desc')
    .first('t.id', 't.reference', 't.contact_id', 't.team_id');
  if (!row) return undefined;
  return {
    id: Number(row.id),
    reference: String(row.reference),
    contactId: Number(row.contact_id),
    teamId: row.team_id === null ? null : Number(row.team_id),
  };
}

/** The session a reply to the contact's chat goes to: the one they last wrote from. */
export function replySession(db: Knex, contactId: number): Promise<string | undefined> {
  return contactAddress(db, contactId, 'webchat');
}

/** Remembers the contact the session joined (for the record; the messages say it too). */
export async function bindContact(db: Knex, session: ChatSession, contactId: number): Promise<void> {
  if (session.contactId === contactId) return;
  await db('webchat_sessions').where({ id: session.id }).update({ contact_id: contactId });
  session.contactId = contactId;
}

export async function markRead(db: Knex, session: ChatSession, upTo: number): Promise<void> {
  await db('webchat_sessions')
    .where({ id: session.id })
    .where((query) => query.whereNull('read_up_to').orWhere('read_up_to', '<', upTo))
    .update({ read_up_to: upTo });
  // The agent sees the visitor read it: delivery moves forward only.
  await db('messages')
    .where({ address: session.id, channel: 'webchat', direction: 'outbound', internal: false })
    .where('id', '<=', upTo)
    .whereIn('delivery_status', ['queued', 'sent', 'delivered'])
    .update({ delivery_status: 'read' });
}

function sessionOf(row: Record<string, unknown>): ChatSession {
  return {
    id: String(row.id),
    contactId: row.contact_id == null ? null : Number(row.contact_id),
    name: (row.name as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    language: row.language === 'en' ? 'en' : 'id',
    readUpTo: row.read_up_to == null ? null : Number(row.read_up_to),
    expiresAt: toIso(row.expires_at as Date)!,
  };
}
