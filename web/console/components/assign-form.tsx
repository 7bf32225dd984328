import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { TeamAgent, TicketDetail } from '../api/types';
import { useTexts } from '../i18n';
import { OutcomeLine, useAction } from './ticket-actions';

/**
 * A supervisor or admin hands the ticket to an agent of its team (POST /tickets/{id}/assign),
 * over routing's choice; the server refuses anyone outside the team, and says so here.
 */
export function AssignForm(props: { api: ApiClient; ticket: TicketDetail; onChanged(): Promise<void> }) {
  const { api, ticket, onChanged } = props;
  const { t } = useTexts();
  const [agents, setAgents] = useState<TeamAgent[]>([]);
  const [chosen, setChosen] = useState('');
  const [outcome, run] = useAction();
  useEffect(() => {
    api.agents().then(setAgents, () => setAgents([]));
  }, [api]);
  const candidates = agents.filter(
    (agent) =>
      agent.active && agent.id !== ticket.assignee_id && agent.teams.some((team) => team.id === ticket.team_id),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(t.assignedDone, () => api.assign(ticket.id, Number(chosen)))) {
      setChosen('');
      await onChanged();
    }
  };
  return (
    <form class="action" aria-labelledby="assign-title" onSubmit={submit}>
      <h3 id="assign-title">{t.assignTo}</h3>
      <label>
        {t.assignAgent}
        <select required value={chosen} onChange={(event) => setChosen((event.target as HTMLSelectElement).value)}>
          <option value="">{t.chooseAgent}</option>
          {candidates.map((agent) => (
            <option key={agent.id} value={String(agent.id)}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t.doAssign}</button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
