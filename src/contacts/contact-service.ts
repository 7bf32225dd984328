import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import type { ContactAddress } from '../../channels/adapter.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';
import { normalizePhone } from './phone.js';

/** `webchat`: a chat visitor's session id, the address the chat writes back to. */
export type IdentityKind = 'phone' | 'email' | 'whatsapp' | 'webchat';

export interface Identity {
  kind: IdentityKind;
  value: string;
}

export interface ResolvedContact {
  id: number;
  language: string;
  created: boolean;
}

/**
 * The identities an address stands for. A WhatsApp sender reached through Twilio is a phone
 * number, so it is recorded as that phone: SMS, WhatsApp and voice from one number are one citizen.
 */
export function identitiesOf(address: ContactAddress, defaultRegion: string): Identity[] {
  const identities: Identity[] = [];
  const phone = address.phone ? normalizePhone(address.phone, defaultRegion) : undefined;
  if (phone) identities.push({ kind: 'phone', value: phone });
  if (address.whatsappId) {
    const asPhone = normalizePhone(address.whatsappId, defaultRegion);
    if (asPhone && asPhone !== phone) identities.push({ kind: 'phone', value: asPhone });
    else if (!asPhone) identities.push({ kind: 'whatsapp', value: address.whatsappId });
  }
  if (address.email) identities.push({ kind: 'email', value: address.email.trim().toLowerCase() });
  // Last: a visitor who gave a phone or email is found by it, and their session joins that contact.
  if (address.webchatSession) identities.push({ kind: 'webchat', value: address.webchatSession });
  return identities;
}

/**
 * Finds the contact behind an address, or creates it. Safe under concurrency: two first messages
 * from one number race on the unique identity; the loser reads the winner's contact.
 */
export async function resolveContact(
  db: Knex,
  address: ContactAddress,
  options: { defaultRegion: string; defaultLanguage: string; now: Date },
): Promise<ResolvedContact> {
  const identities = identitiesOf(address, options.defaultRegion);
  if (identities.length === 0) throw new Error('The sender has no usable address');

  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = await findByIdentities(db, identities);
    if (existing) {
      await addMissingIdentities(db, existing.id, identities, options.now);
      if (address.name && !existing.displayName) await fillMissingNames(db, [[existing.id, address.name]], options.now);
      return { id: existing.id, language: existing.language, created: false };
    }
    try {
      return await db.transaction(async (trx) => {
        const id = await insertReturningId(trx, 'contacts', {
          display_name: address.name ?? null,
          language: options.defaultLanguage,
          created_at: options.now,
          updated_at: options.now,
        });
        await insertInChunks(
          identities.map((identity) => ({ contact_id: id, ...identity, created_at: options.now })),
          (chunk) => trx('contact_identities').insert(chunk),
        );
        return { id, language: options.defaultLanguage, created: true };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // someone else created it: read theirs
    }
  }
  throw new Error('Could not resolve the contact after concurrent creation');
}

/**
 * Resolves many addresses at once: one lookup for all of them, and the new citizens created in one
 * transaction. Addresses with several identities, and any creation race, take the careful path of
 * resolveContact one by one.
 */
export async function resolveContacts(
  db: Knex,
  addresses: ContactAddress[],
  options: { defaultRegion: string; defaultLanguage: string; now: Date },
): Promise<ResolvedContact[]> {
  const identities = addresses.map((address) => identitiesOf(address, options.defaultRegion));
  const results: Array<ResolvedContact | undefined> = addresses.map(() => undefined);
  const single = identities.flatMap((list, index) => (list.length === 1 ? [{ index, identity: list[0]! }] : []));
  const keyOf = (identity: Identity) => `${identity.kind}:${identity.value}`;

  const known = new Map<string, { id: number; language: string }>();
  const unnamed = new Set<number>();
  if (single.length > 0) {
    const rows = await db('contact_identities as ci')
      .join('contacts as c', 'c.id', 'ci.contact_id')
      .whereIn('ci.value', [...new Set(single.map((entry) => entry.identity.value))])
      .select('ci.kind', 'ci.value', 'c.id', 'c.language', 'c.display_name');
    for (const row of rows) {
      known.set(`${row.kind}:${row.value}`, { id: Number(row.id), language: row.language });
      if (!row.display_name) unnamed.add(Number(row.id));
    }
  }
  // A citizen first seen by SMS (no name) who now writes by WhatsApp brings their profile name.
  const names = new Map<number, string>();
  for (const { index, identity } of single) {
    const found = known.get(keyOf(identity));
    const name = addresses[index]!.name;
    if (found && name && unnamed.has(found.id) && !names.has(found.id)) names.set(found.id, name);
  }
  if (names.size > 0) await fillMissingNames(db, [...names], options.now);
  const unknown = new Map<string, { identity: Identity; name?: string }>();
  for (const { index, identity } of single) {
    if (!known.has(keyOf(identity)) && !unknown.has(keyOf(identity)))
      unknown.set(keyOf(identity), { identity, name: addresses[index]!.name });
  }
  const created = new Map<string, ResolvedContact>();
  if (unknown.size > 0) {
    try {
      await db.transaction(async (trx) => {
        for (const [key, { identity, name }] of unknown) {
          const id = await insertReturningId(trx, 'contacts', {
            display_name: name ?? null,
            language: options.defaultLanguage,
            created_at: options.now,
            updated_at: options.now,
          });
          created.set(key, { id, language: options.defaultLanguage, created: true });
          await trx('contact_identities').insert({ contact_id: id, ...identity, created_at: options.now });
        }
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      created.clear(); // another worker created one of them: resolve these one by one below
    }
  }
  for (const { index, identity } of single) {
    const found = known.get(keyOf(identity));
    results[index] = found ? { ...found, created: false } : created.get(keyOf(identity));
  }
  for (let index = 0; index < addresses.length; index += 1) {
    results[index] ??= await resolveContact(db, addresses[index]!, options);
  }
  return results as ResolvedContact[];
}

/**
 * Gives contacts without a name the one a channel offers (a WhatsApp profile name). Only where no
 * name is kept: a name an agent or an earlier channel gave is never overwritten.
 */
async function fillMissingNames(db: Knex, names: Array<[number, string]>, now: Date): Promise<void> {
  for (const [contactId, name] of names) {
    await db('contacts')
      .where({ id: contactId })
      .where((query) => query.whereNull('display_name').orWhere('display_name', ''))
      .update({ display_name: name.slice(0, 200), updated_at: now });
  }
}

async function findByIdentities(
  db: Knex,
  identities: Identity[],
): Promise<{ id: number; language: string; displayName: string | null } | undefined> {
  const row = await db('contact_identities as ci')
    .join('contacts as c', 'c.id', 'ci.contact_id')
    .where((query) => {
      for (const identity of identities) query.orWhere({ 'ci.kind': identity.kind, 'ci.value': identity.value });
    })
    .orderBy('c.id')
    .first('c.id', 'c.language', 'c.display_name');
  return row ? { id: Number(row.id), language: row.language, displayName: row.display_name ?? null } : undefined;
}

async function addMissingIdentities(db: Knex, contactId: number, identities: Identity[], now: Date): Promise<void> {
  if (identities.length < 2) return;
  for (const identity of identities) {
    await db('contact_identities')
      .insert({ contact_id: contactId, ...identity, created_at: now })
      .onConflict(['kind', 'value'])
      .ignore();
  }
}
