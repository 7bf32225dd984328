import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminTeam, ROUTING_STRATEGIES, type TeamInput } from '../../api/admin-types';
import {
  AdminPage,
  AdminTable,
  FormButtons,
  RowActions,
  useFocusLater,
  useLoaded,
  fieldValue,
} from '../../components/admin/admin-kit';
import { ErrorMessage } from '../../components/error-message';
import { OutcomeLine, useAction } from '../../components/ticket-actions';
import { useTexts } from '../../i18n';

interface Draft {
  slug: string;
  name: string;
  description: string;
  routing_strategy: string;
  calendar: string;
}

const emptyDraft = (): Draft => ({
  slug: '',
  name: '',
  description: '',
  routing_strategy: 'longest_idle',
  calendar: '',
});
const draftOf = (team: AdminTeam): Draft => ({
  slug: team.slug,
  name: team.name,
  description: team.description ?? '',
  routing_strategy: team.routing_strategy,
  calendar: team.calendar_id === null ? '' : String(team.calendar_id),
});

/** Teams (GET/POST/PATCH /teams): the front desk and each OPD, their routing strategy and calendar. */
export function TeamsAdmin({ admin, onTeamsChanged }: { admin: AdminApi; onTeamsChanged(): void }) {
  const { t } = useTexts();
  const teams = useLoaded(useCallback(() => admin.teams(), [admin]));
  const calendars = useLoaded(useCallback(() => admin.calendars(), [admin]));
  const [editing, setEditing] = useState<AdminTeam | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [outcome, run] = useAction();
  const [rowOutcome, runRow] = useAction();
  const focus = useFocusLater();
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const strategy = (code: string) => (t as Record<string, string>)[`strategy_${code}`] ?? code;
  const calendarName = (id: number | null) =>
    id === null ? t.defaultCalendar : (calendars.value?.find((calendar) => calendar.id === id)?.name ?? `#${id}`);

  const edit = (team: AdminTeam | null) => {
    setEditing(team);
    setDraft(team ? draftOf(team) : emptyDraft());
    focus(team ? '#team-name' : '#team-slug');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const creating = editing === null;
    const input: TeamInput = {
      name: draft.name.trim(),
      description: draft.description.trim() || null,
      routing_strategy: draft.routing_strategy,
      calendar_id: draft.calendar ? Number(draft.calendar) : null,
    };
    void run(creating ? t.teamCreated : t.teamSaved, async () => {
      const saved = creating
        ? await admin.createTeam({ slug: draft.slug.trim(), ...input })
        : await admin.updateTeam(editing.id, input);
      await teams.reload();
      onTeamsChanged();
      setEditing(null);
      setDraft(emptyDraft());
      focus(`[data-team-id="${saved.id}"] .edit`);
    });
  };
  const toggle = (team: AdminTeam) =>
    void runRow(team.active ? t.teamDisabled : t.teamEnabled, async () => {
      await admin.updateTeam(team.id, { active: !team.active });
      await teams.reload();
      onTeamsChanged();
      focus(`[data-team-id="${team.id}"] .toggle`);
    });

  return (
    <AdminPage name="teams" title={t.adminTeams} intro={t.adminTeamsIntro}>
      <ErrorMessage error={teams.error} />
      <AdminTable
        loaded={teams}
        caption={t.adminTeams}
        columns={[t.name, t.slug, t.routingStrategy, t.calendar, t.state, t.actions]}
      >
        {(rows) =>
          rows.map((team) => (
            <tr key={team.id} data-team-id={team.id} class={team.active ? undefined : 'inactive'}>
              <th scope="row">
                {team.name}
                {team.description ? <span class="detail"> {team.description}</span> : null}
              </th>
              <td>{team.slug}</td>
              <td>{strategy(team.routing_strategy)}</td>
              <td>{calendarName(team.calendar_id)}</td>
              <td data-active={String(team.active)}>{team.active ? t.active : t.inactive}</td>
              <RowActions
                name={team.name}
                editLabel={t.edit}
                onEdit={() => edit(team)}
                other={{
                  label: team.active ? t.disable : t.enable,
                  className: 'toggle',
                  onClick: () => toggle(team),
                }}
              />
            </tr>
          ))
        }
      </AdminTable>
      <OutcomeLine outcome={rowOutcome} />
      <form class="admin-form" aria-labelledby="team-form-title" onSubmit={submit}>
        <h2 id="team-form-title">{editing ? `${t.editTeam}: ${editing.name}` : t.newTeam}</h2>
        <label>
          {t.slug}
          <input
            id="team-slug"
            value={draft.slug}
            required
            readOnly={editing !== null}
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            aria-describedby="team-slug-hint"
            onInput={(event) => set({ slug: fieldValue(event) })}
          />
        </label>
        <p id="team-slug-hint" class="hint">
          {editing ? t.slugFixed : t.slugHint}
        </p>
        <label>
          {t.name}
          <input id="team-name" value={draft.name} required onInput={(event) => set({ name: fieldValue(event) })} />
        </label>
        <label>
          {t.description}
          <input value={draft.description} onInput={(event) => set({ description: fieldValue(event) })} />
        </label>
        <label>
          {t.routingStrategy}
          <select value={draft.routing_strategy} onChange={(event) => set({ routing_strategy: fieldValue(event) })}>
            {ROUTING_STRATEGIES.map((code) => (
              <option key={code} value={code}>
                {strategy(code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.calendar}
          <select value={draft.calendar} onChange={(event) => set({ calendar: fieldValue(event) })}>
            <option value="">{t.defaultCalendar}</option>
            {(calendars.value ?? []).map((calendar) => (
              <option key={calendar.id} value={String(calendar.id)}>
                {calendar.name}
              </option>
            ))}
          </select>
        </label>
        <FormButtons
          editing={editing !== null}
          createLabel={t.createTeam}
          onCancel={() => edit(null)}
          outcome={outcome}
        />
      </form>
    </AdminPage>
  );
}
