import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../../channels/adapter.js';
import { TICKET_STATUSES } from '../../../tickets/ticket-statuses.js';
import { CATEGORY_CODES, PRIORITY_CODES } from '../../../tickets/vocabulary.js';
import { idText, textId } from '../../validate.js';
import { type ContactKey, contactKey, MAX_CONTACT_TEXT } from '../../../tickets/contact-search.js';

/** The most values one list filter takes: more than any vocabulary or office has teams. */
export const MAX_LIST_VALUES = 100;

/** `?status=new,open` or `?status=new&status=open`. */
export const listOf = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) =>
      value === undefined
        ? undefined
        : [value]
            .flat()
            .flatMap((entry) => entry.split(','))
            .map((entry) => entry.trim())
            .filter(Boolean),
    )
    .pipe(z.array(item).max(MAX_LIST_VALUES).optional());

/** The filters every ticket list takes (queue views and the ticket list). */
export const ticketFilters = z.object({
  status: listOf(z.enum(TICKET_STATUSES)),
  channel: listOf(z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]])),
  category: listOf(z.enum(CATEGORY_CODES)),
  priority: listOf(z.enum(PRIORITY_CODES)),
  team: listOf(idText('a team id')).transform((ids) => ids?.map(Number)),
  q: z.string().trim().min(1).max(200).optional(),
  // The citizen's phone (any local form) or email; read into an identity by `contactFilter`.
  contact: z.string().trim().min(1).max(MAX_CONTACT_TEXT).optional(),
  // Tickets with a breach in progress: one of their SLA clocks is past its deadline.
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textId().optional(),
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
});

/** The `contact` filter as the identity it names (a 400 when it is neither a phone nor an email). */
export const contactFilter = (text: string | undefined, defaultRegion: string): ContactKey | undefined =>
  text === undefined ? undefined : contactKey(text, defaultRegion);
