import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminAgent, type AgentInput, ROLES } from '../../api/admin-types';
import {
  AdminPage,
  AdminTable,
  FormButtons,
  RowActions,
  CheckGroup,
  useFocusLater,
  useLoaded,
  fieldValue,
} from '../../components/admin/admin-kit';
import { ErrorMessage } from '../../components/error-message';
import { OutcomeLine, useAction } from '../../components/ticket-actions';
import { useTexts } from '../../i18n';
import { CHANNELS } from '../../vocabulary';

interface Draft {
  name: string;
  email: string;
  role: string;
  password: string;
  phone: string;
  teams: string[];
  skills: string;
  capacities: Record<string, string>;
}

const emptyDraft = (): Draft => ({
  name: '',
  email: '',
  role: 'agent',
  password: '',
  phone: '',
  teams: [],
  skills: '',
  capacities: {},
});
const draftOf = (agent: AdminAgent): Draft => ({
  name: agent.name,
  email: agent.email,
  role: agent.role,
  password: '',
  phone: agent.phone ?? '',
  teams: agent.teams.map((team) => String(team.id)),
  skills: agent.skills.join(', '),
  capacities: Object.fromEntries(Object.entries(agent.capacities).map(([channel, n]) => [channel, String(n)])),
});

/** The body a draft makes: skills from the comma list, capacities only where a number is given. */
function inputOf(draft: Draft, creating: boolean): AgentInput {
  const capacities = Object.fromEntries(
    Object.entries(draft.capacities)
      .filter(([, value]) => value.trim() !== '')
      .map(([channel, value]) => [channel, Number(value)]),
  );
  return {
    ...(creating ? { email: draft.email.trim() } : {}),
    name: draft.name.trim(),
    role: draft.role,
    ...(draft.password ? { password: draft.password } : {}),
    phone: draft.phone.trim() || null,
    teams: draft.teams.map(Number),
    skills: draft.skills
      .split(',')
      .map((skill) => skill.trim())
      .filter(Boolean),
    capacities,
  };
}

/** Agents (GET/POST/PATCH /agents): teams, skills, capacity per channel, role, phone, enabled or not. */
export function AgentsAdmin({ admin }: { admin: AdminApi }) {
  const { t, word } = useTexts();
  const agents = useLoaded(useCallback(() => admin.agents(), [admin]));
  const teams = useLoaded(useCallback(() => admin.teams(), [admin]));
  const [editing, setEditing] = useState<AdminAgent | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [outcome, run] = useAction();
  const [rowOutcome, runRow] = useAction();
  const focus = useFocusLater();
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const edit = (agent: AdminAgent | null) => {
    setEditing(agent);
    setDraft(agent ? draftOf(agent) : emptyDraft());
    focus('#agent-name');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const creating = editing === null;
    void run(creating ? t.agentCreated : t.agentSaved, async () => {
      const saved = creating
        ? await admin.createAgent(inputOf(draft, true))
        : await admin.updateAgent(editing.id, inputOf(draft, false));
      await agents.reload();
      setEditing(null);
      setDraft(emptyDraft());
      focus(`[data-agent-id="${saved.id}"] .edit`);
    });
  };
  const toggle = (agent: AdminAgent) =>
    void runRow(agent.active ? t.agentDisabled : t.agentEnabled, async () => {
      await admin.updateAgent(agent.id, { active: !agent.active });
      await agents.reload();
      focus(`[data-agent-id="${agent.id}"] .toggle`);
    });

  return (
    <AdminPage name="agents" title={t.adminAgents} intro={t.adminAgentsIntro}>
      <ErrorMessage error={agents.error} />
      <AdminTable
        loaded={agents}
        caption={t.adminAgents}
        columns={[t.name, t.email, t.role, t.teams, t.skills, t.capacities, t.state, t.actions]}
      >
        {(rows) =>
          rows.map((agent) => (
            <tr key={agent.id} data-agent-id={agent.id} class={agent.active ? undefined : 'inactive'}>
              <th scope="row">{agent.name}</th>
              <td>{agent.email}</td>
              <td>{t[`role_${agent.role as (typeof ROLES)[number]}`] ?? agent.role}</td>
              <td>{agent.teams.map((team) => team.name).join(', ')}</td>
              <td>{agent.skills.join(', ')}</td>
              <td>
                {CHANNELS.map((channel) => `${word('channel', channel)} ${agent.capacities[channel] ?? 0}`).join(', ')}
              </td>
              <td data-active={String(agent.active)}>{agent.active ? t.active : t.inactive}</td>
              <RowActions
                name={agent.name}
                editLabel={t.edit}
                onEdit={() => edit(agent)}
                other={{
                  label: agent.active ? t.disable : t.enable,
                  className: 'toggle',
                  onClick: () => toggle(agent),
                }}
              />
            </tr>
          ))
        }
      </AdminTable>
      <OutcomeLine outcome={rowOutcome} />
      <form class="admin-form" aria-labelledby="agent-form-title" onSubmit={submit}>
        <h2 id="agent-form-title">{editing ? `${t.editAgent}: ${editing.name}` : t.newAgent}</h2>
        <label>
          {t.name}
          <input id="agent-name" value={draft.name} required onInput={(event) => set({ name: fieldValue(event) })} />
        </label>
        <label>
          {t.email}
          <input
            type="email"
            value={draft.email}
            required
            readOnly={editing !== null}
            aria-describedby={editing ? 'agent-email-hint' : undefined}
            onInput={(event) => set({ email: fieldValue(event) })}
          />
        </label>
        {editing ? (
          <p id="agent-email-hint" class="hint">
            {t.emailFixed}
          </p>
        ) : null}
        <label>
          {t.role}
          <select value={draft.role} onChange={(event) => set({ role: fieldValue(event) })}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t[`role_${role}`]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {editing ? t.newPassword : t.password}
          <input
            type="password"
            autocomplete="new-password"
            value={draft.password}
            required={editing === null}
            minLength={10}
            aria-describedby="agent-password-hint"
            onInput={(event) => set({ password: fieldValue(event) })}
          />
        </label>
        <p id="agent-password-hint" class="hint">
          {editing ? t.passwordResetHint : t.passwordHint}
        </p>
        <label>
          {t.phone}
          <input type="tel" value={draft.phone} onInput={(event) => set({ phone: fieldValue(event) })} />
        </label>
        <CheckGroup
          legend={t.teams}
          choices={(teams.value ?? []).map((team) => ({ code: String(team.id), label: team.name }))}
          chosen={draft.teams}
          onChange={(chosen) => set({ teams: chosen })}
        />
        <label>
          {t.skills}
          <input
            value={draft.skills}
            aria-describedby="agent-skills-hint"
            onInput={(event) => set({ skills: fieldValue(event) })}
          />
        </label>
        <p id="agent-skills-hint" class="hint">
          {t.skillsHint}
        </p>
        <fieldset class="choices">
          <legend>{t.capacities}</legend>
          <p class="hint">{t.capacitiesHint}</p>
          {CHANNELS.map((channel) => (
            <label key={channel}>
              {word('channel', channel)}
              <input
                type="number"
                min={0}
                max={100}
                class="narrow"
                name={`capacity-${channel}`}
                value={draft.capacities[channel] ?? ''}
                onInput={(event) => set({ capacities: { ...draft.capacities, [channel]: fieldValue(event) } })}
              />
            </label>
          ))}
        </fieldset>
        <FormButtons
          editing={editing !== null}
          createLabel={t.createAgent}
          onCancel={() => edit(null)}
          outcome={outcome}
        />
      </form>
    </AdminPage>
  );
}
