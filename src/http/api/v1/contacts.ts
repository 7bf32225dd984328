import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { contactKey, MAX_CONTACT_TEXT, searchContacts } from '../../../tickets/contact-search.js';
import { currentAgent } from '../../authenticate.js';
import { parseInput } from '../../validate.js';

/** GET /api/v1/contacts?q=: a phone in any local form, or an email address. */
export const contactSearchQuery = z.object({ q: z.string().trim().min(1).max(MAX_CONTACT_TEXT) });

export interface ContactRoutesContext {
  db: Knex;
  referencePrefix: string;
  /** DEFAULT_REGION: how a phone written without its country code is read. */
  defaultRegion: string;
}

/** Finding a citizen by their phone or email, with the tickets of theirs the agent may see. */
export function contactRoutes(context: ContactRoutesContext): Router {
  const { db, referencePrefix, defaultRegion } = context;
  const router = Router();

  router.get('/', async (request, response) => {
    const { q } = parseInput(contactSearchQuery, request.query, 'query');
    response.json(await searchContacts(db, currentAgent(request), contactKey(q, defaultRegion, 'q'), referencePrefix));
  });

  return router;
}
