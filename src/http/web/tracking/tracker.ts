import type { Knex } from 'knex';
import { findPublicStatus, type PublicStatus, type SecondFactor } from '../../../tickets/public-status.js';
import { isValidReference } from '../../../tickets/reference-number.js';
import { subscribeToStatus } from '../../../tickets/track-subscriptions.js';
import type { TrackThrottle } from './track-throttle.js';

/** What the citizen typed, as the form and the JSON API both carry it. */
export interface TrackInput {
  reference?: string;
  phoneLast4?: string;
  email?: string;
}

/** Input we can name the fault of without looking anything up (so naming it leaks nothing). */
export type TrackProblem =
  | 'reference_missing'
  | 'reference_invalid'
  | 'factor_missing'
  | 'phone_last4_invalid'
  | 'email_invalid';

export type TrackOutcome =
  | { kind: 'found'; status: PublicStatus }
  | { kind: 'not_found' }
  | { kind: 'problem'; problem: TrackProblem };

export type SubscribeOutcome =
  | { kind: 'subscribed'; channel: string }
  | { kind: 'not_found' }
  | { kind: 'problem'; problem: TrackProblem };

export interface TrackerOptions {
  referencePrefix: string;
  defaultRegion: string;
  now?: () => Date;
}

/** local@domain with a dot inside the domain. Not /^[^\s@]+@[^\s@]+\.[^\s@]+$/: quadratic in a domain of many dots. */
function isEmailShaped(email: string): boolean {
  const domain = /^[^\s@]+@([^\s@]+)$/.exec(email)?.[1];
  return domain?.slice(1, -1).includes('.') ?? false;
}

/**
 * The reference as citizens write it (SP-262-591-945, 262 591 945, 262591945): its digits, after
 * the office's prefix; and the one second factor given. A wrong check digit is said so: it is
 * arithmetic on what was typed, not a lookup, and tells nothing about any ticket.
 */
export function readTrackInput(
  input: TrackInput,
  referencePrefix: string,
): { digits: string; factor: SecondFactor } | { problem: TrackProblem } {
  let reference = (input.reference ?? '').trim();
  if (!reference) return { problem: 'reference_missing' };
  const prefix = referencePrefix.replace(/[-\s]+$/, '').toLowerCase();
  if (prefix && reference.toLowerCase().startsWith(prefix)) reference = reference.slice(prefix.length);
  if (/[^\d\s.-]/.test(reference)) return { problem: 'reference_invalid' };
  const digits = reference.replace(/\D/g, '');
  if (!isValidReference(digits)) return { problem: 'reference_invalid' };
  const phoneLast4 = (input.phoneLast4 ?? '').trim();
  const email = (input.email ?? '').trim();
  if (phoneLast4)
    return /^\d{4}$/.test(phoneLast4) ? { digits, factor: { phoneLast4 } } : { problem: 'phone_last4_invalid' };
  if (email)
    return email.length <= 320 && isEmailShaped(email) ? { digits, factor: { email } } : { problem: 'email_invalid' };
  return { problem: 'factor_missing' };
}

/** Tracking by reference and second factor, for the page and the API alike (the same answers). */
export class Tracker {
  constructor(
    private readonly db: Knex,
    private readonly throttle: TrackThrottle,
    private readonly options: TrackerOptions,
  ) {}

  /** Throws TooManyLookupsError past a limit; every lookup counts, even one with a fault in it. */
  async track(clientAddress: string, input: TrackInput): Promise<TrackOutcome> {
    const read = readTrackInput(input, this.options.referencePrefix);
    const lookup = await this.throttle.begin(clientAddress, 'digits' in read ? read.digits : undefined);
    if ('problem' in read) return { kind: 'problem', problem: read.problem };
    const status = await findPublicStatus(this.db, read.digits, read.factor, {
      referencePrefix: this.options.referencePrefix,
      defaultRegion: this.options.defaultRegion,
      now: this.now(),
    });
    if (!status) return { kind: 'not_found' };
    await lookup.found();
    return { kind: 'found', status };
  }

  /** Status changes told to the citizen on the ticket's channel; counted and answered as a lookup. */
  async subscribe(clientAddress: string, input: TrackInput): Promise<SubscribeOutcome> {
    const read = readTrackInput(input, this.options.referencePrefix);
    const lookup = await this.throttle.begin(clientAddress, 'digits' in read ? read.digits : undefined);
    if ('problem' in read) return { kind: 'problem', problem: read.problem };
    const subscribed = await subscribeToStatus(
      this.db,
      read.digits,
      read.factor,
      this.options.defaultRegion,
      this.now(),
    );
    if (!subscribed) return { kind: 'not_found' };
    await lookup.found();
    return { kind: 'subscribed', channel: subscribed.channel };
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
