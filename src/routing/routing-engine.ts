import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { RoutingJob } from '../queue/names.js';
import { routeTeam, type RoutingSettings } from './team-router.js';
import { WAITING_STATUSES } from './routing-state.js';

/**
 * Turns routing signals into team passes. A signal names tickets, agents or teams; whatever it
 * names, the teams concerned are routed as a whole, so older waiting tickets keep their turn.
 */
export class RoutingEngine {
  constructor(
    private readonly db: Knex,
    private readonly settings: RoutingSettings,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(job: RoutingJob): Promise<number> {
    return this.routeTeams(await this.teamsOf(job));
  }

  /** The periodic pass: every team with waiting tickets, in case a signal was lost. */
  async routeAllWaiting(): Promise<number> {
    const teams = await this.db('tickets')
      .whereNull('assignee_id')
      .whereIn('status', WAITING_STATUSES)
      .whereNotNull('team_id')
      .distinct('team_id')
      .pluck('team_id');
    return this.routeTeams(teams.map(Number));
  }

  private async routeTeams(teamIds: number[]): Promise<number> {
    let assigned = 0;
    for (const teamId of teamIds) {
      const outcome = await routeTeam(this.db, teamId, this.settings, this.now, this.logger);
      assigned += outcome.assigned.length;
    }
    return assigned;
  }

  private async teamsOf(job: RoutingJob): Promise<number[]> {
    const ids =
      job.kind === 'teams'
        ? job.teamIds
        : job.kind === 'tickets'
          ? await this.db('tickets')
              .whereIn('id', job.ticketIds)
              .whereNotNull('team_id')
              .distinct('team_id')
              .pluck('team_id')
          : await this.db('agent_teams').whereIn('agent_id', job.agentIds).distinct('team_id').pluck('team_id');
    return [...new Set(ids.map(Number))];
  }
}
