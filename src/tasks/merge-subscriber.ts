import { appendEvents } from '../tickets/events.js';
import type { TicketSubscriber } from '../tickets/unit-of-work.js';
import { moveOpenTasks } from './merge-tasks.js';

/**
 * The call-backs follow a merge in its own transaction: each target's `merged` events name the
 * duplicates whose open tasks and calls move onto it (see moveOpenTasks), so that a merge never
 * leaves a call-back on a closed duplicate, and the tickets know no tasks.
 */
export function callbackMergeSubscriber(): TicketSubscriber {
  return {
    async inTransaction(trx, change) {
      const merges = new Map<number, { sourceIds: number[]; actorId: number }>();
      for (const event of change.events) {
        if (event.type !== 'merged' || typeof event.data?.source_ticket_id !== 'number') continue;
        const merge = merges.get(event.ticketId) ?? { sourceIds: [], actorId: Number(event.actorId) };
        merge.sourceIds.push(event.data.source_ticket_id);
        merges.set(event.ticketId, merge);
      }
      for (const [targetId, { sourceIds, actorId }] of merges) {
        const target = await trx('tickets').where({ id: targetId }).first('team_id');
        const teamId = target?.team_id == null ? null : Number(target.team_id);
        await appendEvents(
          trx,
          await moveOpenTasks(trx, sourceIds, { id: targetId, team_id: teamId }, { id: actorId }, change.at),
        );
      }
      return undefined;
    },
  };
}
