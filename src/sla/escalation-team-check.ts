import type { Knex } from 'knex';

/** Why a policy's escalation team cannot take a ticket, or undefined when it can. */
export type EscalationTeamProblem = 'team_inactive' | 'team_without_members';

/**
 * An escalation team that is inactive, or that no active agent belongs to, takes a breached ticket
 * nobody will answer. The policy is still saved (a team may be staffed later), but the admin is
 * told when saving and again when a breach fires.
 */
export async function escalationTeamProblems(
  db: Knex | Knex.Transaction,
  teamIds: readonly number[],
): Promise<Map<number, EscalationTeamProblem>> {
  const problems = new Map<number, EscalationTeamProblem>();
  if (teamIds.length === 0) return problems;
  const teams = await db('teams as tm')
    .whereIn('tm.id', [...new Set(teamIds)])
    .select('tm.id', 'tm.active')
    .select(
      db('agent_teams as at')
        .join('agents as a', 'a.id', 'at.agent_id')
        .whereRaw('at.team_id = tm.id')
        .where('a.active', true)
        .count('*')
        .as('members'),
    );
  for (const team of teams) {
    if (!team.active) problems.set(Number(team.id), 'team_inactive');
    else if (Number(team.members) === 0) problems.set(Number(team.id), 'team_without_members');
  }
  return problems;
}

/** The warning the policy's save answers with: the code and an English sentence for the admin. */
export async function policyWarnings(
  db: Knex,
  escalationTeamId: number | null,
): Promise<Array<{ code: EscalationTeamProblem; message: string }>> {
  if (escalationTeamId === null) return [];
  const problem = (await escalationTeamProblems(db, [escalationTeamId])).get(escalationTeamId);
  if (!problem) return [];
  const message =
    problem === 'team_inactive'
      ? `The escalation team ${escalationTeamId} is inactive: a breached ticket will not be moved to it`
      : `The escalation team ${escalationTeamId} has no active members: a breached ticket moved there will wait unanswered`;
  return [{ code: problem, message }];
}
