import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { ACTIVE_STATUSES } from '../tickets/ticket-statuses.js';
import { syncClocks } from './clock-sync.js';
import type { ClockTimers } from './sla-timers.js';

const BATCH = 500;

/**
 * Brings every open ticket's clocks in line after an edit that moves deadlines without touching a
 * ticket: a policy's targets, a calendar's hours or holidays, a team's calendar. Runs in the
 * background, 500 tickets a transaction, and moves their timers; edits arriving meanwhile make one
 * more pass after it, never two at once. `settled()` resolves when nothing is left to do.
 */
export class ClockResync {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly db: Knex,
    private readonly timers: ClockTimers,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: Error) =>
        this.logger.warn(
          { err: error },
          "SLA clocks not brought in line after an edit; the tickets' next changes will",
        ),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    // The edit cleared this process's caches; another process's caches expire within seconds.
    let after = 0;
    let tickets = 0;
    for (;;) {
      const ids: number[] = (
        await this.db('tickets')
          .whereIn('status', ACTIVE_STATUSES)
          .whereNull('merged_into_id')
          .where('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          .pluck('id')
      ).map(Number);
      if (ids.length === 0) break;
      const at = this.now();
      const changes = await this.db.transaction((trx) =>
        syncClocks(
          trx,
          this.db,
          ids.map((ticketId) => ({ ticketId })),
          at,
        ),
      );
      await this.timers.schedule(changes);
      after = ids[ids.length - 1]!;
      tickets += ids.length;
    }
    this.logger.info({ tickets }, 'SLA clocks brought in line after an edit');
  }
}
