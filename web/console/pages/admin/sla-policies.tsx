import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import {
  CLOCK_KINDS,
  type ClockKind,
  type SaveWarning,
  type SlaPolicy,
  type SlaPolicyInput,
} from '../../api/admin-types';
import type { ApiClient } from '../../api/client';
import {
  AdminPage,
  AdminTable,
  FormButtons,
  RowActions,
  Check,
  CheckGroup,
  useFocusLater,
  useLoaded,
  fieldValue,
} from '../../components/admin/admin-kit';
import { ErrorMessage } from '../../components/error-message';
import { OutcomeLine, useAction } from '../../components/ticket-actions';
import { useTexts } from '../../i18n';
import { CHANNELS, PRIORITIES } from '../../vocabulary';

type Unit = 'minutes' | 'days';
interface Draft {
  name: string;
  position: string;
  active: boolean;
  categories: string[];
  priorities: string[];
  channels: string[];
  targets: Record<ClockKind, { amount: string; unit: Unit }>;
  extension: string;
  warningPercent: string;
  notify: boolean;
  raisePriority: boolean;
  escalationTeam: string;
}

const noTargets = () =>
  Object.fromEntries(CLOCK_KINDS.map((kind) => [kind, { amount: '', unit: 'minutes' as Unit }])) as Draft['targets'];
const emptyDraft = (): Draft => ({
  name: '',
  position: '100',
  active: true,
  categories: [],
  priorities: [],
  channels: [],
  targets: noTargets(),
  extension: '',
  warningPercent: '80',
  notify: true,
  raisePriority: false,
  escalationTeam: '',
});
function draftOf(policy: SlaPolicy): Draft {
  const targets = noTargets();
  for (const kind of CLOCK_KINDS) {
    const target = policy.targets[kind];
    if (target && 'days' in target) targets[kind] = { amount: String(target.days), unit: 'days' };
    else if (target) targets[kind] = { amount: String(target.minutes), unit: 'minutes' };
  }
  return {
    name: policy.name,
    position: String(policy.position),
    active: policy.active,
    categories: policy.categories ?? [],
    priorities: policy.priorities ?? [],
    channels: policy.channels ?? [],
    targets,
    extension: policy.resolution_extension_days === null ? '' : String(policy.resolution_extension_days),
    warningPercent: String(Math.round(policy.warning_ratio * 100)),
    notify: policy.escalate_notify,
    raisePriority: policy.escalate_raise_priority,
    escalationTeam: policy.escalation_team_id === null ? '' : String(policy.escalation_team_id),
  };
}
/** None ticked: any value (null), as the API reads a policy's conditions. */
const anyOr = (codes: string[]) => (codes.length === 0 ? null : codes);
function inputOf(draft: Draft): SlaPolicyInput {
  const targets: SlaPolicyInput['targets'] = {};
  for (const kind of CLOCK_KINDS) {
    const { amount, unit } = draft.targets[kind];
    if (amount.trim()) targets[kind] = unit === 'days' ? { days: Number(amount) } : { minutes: Number(amount) };
  }
  return {
    name: draft.name.trim(),
    position: Number(draft.position),
    active: draft.active,
    categories: anyOr(draft.categories),
    priorities: anyOr(draft.priorities),
    channels: anyOr(draft.channels),
    targets,
    resolution_extension_days: draft.extension.trim() ? Number(draft.extension) : null,
    warning_ratio: Number(draft.warningPercent) / 100,
    escalate_notify: draft.notify,
    escalate_raise_priority: draft.raisePriority,
    escalation_team_id: draft.escalationTeam ? Number(draft.escalationTeam) : null,
  };
}

/** SLA policies (GET/POST/PATCH/DELETE /sla-policies): conditions, targets per clock, escalation. */
export function SlaPoliciesAdmin({ admin, api }: { admin: AdminApi; api: ApiClient }) {
  const { t, word, language } = useTexts();
  const policies = useLoaded(useCallback(() => admin.slaPolicies(), [admin]));
  const teams = useLoaded(useCallback(() => admin.teams(), [admin]));
  const vocabulary = useLoaded(useCallback(() => api.vocabulary(), [api]));
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [warnings, setWarnings] = useState<SaveWarning[]>([]);
  const [outcome, run] = useAction();
  const [rowOutcome, runRow] = useAction();
  const focus = useFocusLater();
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const category = (code: string) =>
    vocabulary.value?.categories.find((term) => term.code === code)?.label[language] ?? code;
  const teamName = (id: number | null) =>
    id === null ? t.none : (teams.value?.find((team) => team.id === id)?.name ?? `#${id}`);
  const conditions = (policy: SlaPolicy) =>
    [
      policy.categories ? policy.categories.map(category).join(', ') : null,
      policy.priorities ? policy.priorities.map((code) => word('priority', code)).join(', ') : null,
      policy.channels ? policy.channels.map((code) => word('channel', code)).join(', ') : null,
    ]
      .filter(Boolean)
      .join(' · ') || t.anyTicket;
  const targetText = (policy: SlaPolicy) =>
    CLOCK_KINDS.filter((kind) => policy.targets[kind])
      .map((kind) => {
        const target = policy.targets[kind]!;
        const amount =
          'days' in target
            ? t.nWorkingDays.replace('{n}', String(target.days))
            : t.nWorkingMinutes.replace('{n}', String(target.minutes));
        return `${t[`sla_${kind}`]}: ${amount}`;
      })
      .join('; ');

  const edit = (policy: SlaPolicy | null) => {
    setEditing(policy);
    setDraft(policy ? draftOf(policy) : emptyDraft());
    setWarnings([]);
    focus('#policy-name');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const creating = editing === null;
    setWarnings([]);
    void run(creating ? t.policyCreated : t.policySaved, async () => {
      const saved = creating
        ? await admin.createSlaPolicy(inputOf(draft))
        : await admin.updateSlaPolicy(editing.id, inputOf(draft));
      setWarnings(saved.warnings ?? []);
      await policies.reload();
      setEditing(null);
      setDraft(emptyDraft());
      focus(`[data-policy-id="${saved.data.id}"] .edit`);
    });
  };
  const remove = (policy: SlaPolicy) =>
    void runRow(t.policyDeleted.replace('{name}', policy.name), async () => {
      await admin.deleteSlaPolicy(policy.id);
      await policies.reload();
      focus('#policy-name');
    });
  const warningText = (warning: SaveWarning) =>
    (t as Record<string, string>)[`warning_${warning.code}`] ?? warning.message;

  return (
    <AdminPage name="sla-policies" title={t.adminSlaPolicies} intro={t.adminSlaPoliciesIntro}>
      <ErrorMessage error={policies.error} />
      <AdminTable
        loaded={policies}
        caption={t.adminSlaPolicies}
        columns={[t.position, t.name, t.conditions, t.targets, t.escalationTeam, t.state, t.actions]}
      >
        {(rows) =>
          rows.map((policy) => (
            <tr key={policy.id} data-policy-id={policy.id} class={policy.active ? undefined : 'inactive'}>
              <td>{policy.position}</td>
              <th scope="row">{policy.name}</th>
              <td>{conditions(policy)}</td>
              <td class="targets">{targetText(policy)}</td>
              <td>{teamName(policy.escalation_team_id)}</td>
              <td>{policy.active ? t.active : t.inactive}</td>
              <RowActions
                name={policy.name}
                editLabel={t.edit}
                onEdit={() => edit(policy)}
                other={{ label: t.delete, onClick: () => remove(policy) }}
              />
            </tr>
          ))
        }
      </AdminTable>
      <OutcomeLine outcome={rowOutcome} />
      {warnings.length > 0 ? (
        <ul class="warnings" role="alert">
          {warnings.map((warning) => (
            <li key={warning.code} data-warning={warning.code}>
              {t.warning}: {warningText(warning)}{' '}
              <span class="detail">
                ({t.apiSaid}: <span lang="en">{warning.message}</span>)
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <form class="admin-form" aria-labelledby="policy-form-title" onSubmit={submit}>
        <h2 id="policy-form-title">{editing ? `${t.editPolicy}: ${editing.name}` : t.newPolicy}</h2>
        <label>
          {t.name}
          <input id="policy-name" value={draft.name} required onInput={(event) => set({ name: fieldValue(event) })} />
        </label>
        <label>
          {t.position}
          <input
            type="number"
            class="narrow"
            min={0}
            value={draft.position}
            required
            aria-describedby="policy-position-hint"
            onInput={(event) => set({ position: fieldValue(event) })}
          />
        </label>
        <p class="hint" id="policy-position-hint">
          {t.positionHint}
        </p>
        <Check label={t.active} checked={draft.active} onChange={(active) => set({ active })} />
        <CheckGroup
          legend={t.category}
          hint={t.anyWhenNone}
          choices={(vocabulary.value?.categories ?? []).map((term) => ({
            code: term.code,
            label: term.label[language],
          }))}
          chosen={draft.categories}
          onChange={(categories) => set({ categories })}
        />
        <CheckGroup
          legend={t.priority}
          choices={PRIORITIES.map((code) => ({ code, label: word('priority', code) }))}
          chosen={draft.priorities}
          onChange={(priorities) => set({ priorities })}
        />
        <CheckGroup
          legend={t.channel}
          choices={CHANNELS.map((code) => ({ code, label: word('channel', code) }))}
          chosen={draft.channels}
          onChange={(channels) => set({ channels })}
        />
        <fieldset class="choices">
          <legend>{t.targets}</legend>
          <p class="hint">{t.targetsHint}</p>
          {CLOCK_KINDS.map((kind) => (
            <span class="target" key={kind} data-target={kind}>
              <label>
                {t[`sla_${kind}`]}
                <input
                  type="number"
                  class="narrow"
                  min={1}
                  value={draft.targets[kind].amount}
                  onInput={(event) =>
                    set({
                      targets: { ...draft.targets, [kind]: { ...draft.targets[kind], amount: fieldValue(event) } },
                    })
                  }
                />
              </label>
              <label>
                {t.unitOf.replace('{clock}', t[`sla_${kind}`])}
                <select
                  value={draft.targets[kind].unit}
                  onChange={(event) =>
                    set({
                      targets: {
                        ...draft.targets,
                        [kind]: { ...draft.targets[kind], unit: fieldValue(event) as Unit },
                      },
                    })
                  }
                >
                  <option value="minutes">{t.workingMinutes}</option>
                  <option value="days">{t.workingDays}</option>
                </select>
              </label>
            </span>
          ))}
        </fieldset>
        <label>
          {t.warningPercent}
          <input
            type="number"
            class="narrow"
            min={1}
            max={99}
            value={draft.warningPercent}
            required
            onInput={(event) => set({ warningPercent: fieldValue(event) })}
          />
        </label>
        <label>
          {t.extensionDays}
          <input
            type="number"
            class="narrow"
            min={1}
            max={60}
            value={draft.extension}
            onInput={(event) => set({ extension: fieldValue(event) })}
          />
        </label>
        <fieldset class="choices">
          <legend>{t.escalation}</legend>
          <Check label={t.escalateNotify} checked={draft.notify} onChange={(notify) => set({ notify })} />
          <Check
            label={t.escalateRaisePriority}
            checked={draft.raisePriority}
            onChange={(raisePriority) => set({ raisePriority })}
          />
          <label>
            {t.escalationTeam}
            <select value={draft.escalationTeam} onChange={(event) => set({ escalationTeam: fieldValue(event) })}>
              <option value="">{t.none}</option>
              {(teams.value ?? []).map((team) => (
                <option key={team.id} value={String(team.id)}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <FormButtons
          editing={editing !== null}
          createLabel={t.createPolicy}
          onCancel={() => edit(null)}
          outcome={outcome}
        />
      </form>
    </AdminPage>
  );
}
