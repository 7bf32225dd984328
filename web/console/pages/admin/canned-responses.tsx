import { Fragment } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../../api/admin';
import { type AdminCannedResponse, TEMPLATE_LANGUAGES, TEMPLATE_VARIABLES } from '../../api/admin-types';
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
  name: string;
  language: string;
  team: string;
  body: string;
}
const emptyDraft = (): Draft => ({ name: '', language: 'id', team: '', body: '' });

/** Canned responses (GET/POST/PATCH/DELETE /canned-responses): a name, language, team and body. */
export function CannedResponsesAdmin({ admin }: { admin: AdminApi }) {
  const { t } = useTexts();
  const responses = useLoaded(useCallback(() => admin.cannedResponses(), [admin]));
  const teams = useLoaded(useCallback(() => admin.teams(), [admin]));
  const [editing, setEditing] = useState<AdminCannedResponse | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [outcome, run] = useAction();
  const [rowOutcome, runRow] = useAction();
  const focus = useFocusLater();
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const teamName = (id: number | null) =>
    id === null ? t.allTeams : (teams.value?.find((team) => team.id === id)?.name ?? `#${id}`);
  const languageName = (code: string) => (t as Record<string, string>)[`language_${code}`] ?? code;

  const edit = (response: AdminCannedResponse | null) => {
    setEditing(response);
    setDraft(
      response
        ? {
            name: response.name,
            language: response.language,
            team: response.team_id === null ? '' : String(response.team_id),
            body: response.body,
          }
        : emptyDraft(),
    );
    focus('#canned-name');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const creating = editing === null;
    const input = {
      name: draft.name.trim(),
      language: draft.language,
      body: draft.body,
      team_id: draft.team ? Number(draft.team) : null,
    };
    void run(creating ? t.cannedCreated : t.cannedSaved, async () => {
      const saved = creating
        ? await admin.createCannedResponse(input)
        : await admin.updateCannedResponse(editing.id, input);
      await responses.reload();
      setEditing(null);
      setDraft(emptyDraft());
      focus(`[data-canned-id="${saved.id}"] .edit`);
    });
  };
  const remove = (response: AdminCannedResponse) =>
    void runRow(t.cannedDeleted.replace('{name}', response.name), async () => {
      await admin.deleteCannedResponse(response.id);
      await responses.reload();
      focus('#canned-name');
    });

  return (
    <AdminPage name="canned-responses" title={t.adminCanned} intro={t.adminCannedIntro}>
      <ErrorMessage error={responses.error} />
      <AdminTable
        loaded={responses}
        caption={t.adminCanned}
        columns={[t.name, t.cannedLanguage, t.team, t.cannedBody, t.actions]}
      >
        {(rows) =>
          rows.map((response) => (
            <tr key={response.id} data-canned-id={response.id}>
              <th scope="row">{response.name}</th>
              <td>{languageName(response.language)}</td>
              <td>{teamName(response.team_id)}</td>
              <td class="body">{response.body}</td>
              <RowActions
                name={response.name}
                editLabel={t.edit}
                onEdit={() => edit(response)}
                other={{ label: t.delete, onClick: () => remove(response) }}
              />
            </tr>
          ))
        }
      </AdminTable>
      <OutcomeLine outcome={rowOutcome} />
      <form class="admin-form" aria-labelledby="canned-form-title" onSubmit={submit}>
        <h2 id="canned-form-title">{editing ? `${t.editCanned}: ${editing.name}` : t.newCanned}</h2>
        <label>
          {t.name}
          <input id="canned-name" value={draft.name} required onInput={(event) => set({ name: fieldValue(event) })} />
        </label>
        <label>
          {t.cannedLanguage}
          <select value={draft.language} onChange={(event) => set({ language: fieldValue(event) })}>
            {TEMPLATE_LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.team}
          <select value={draft.team} onChange={(event) => set({ team: fieldValue(event) })}>
            <option value="">{t.allTeams}</option>
            {(teams.value ?? []).map((team) => (
              <option key={team.id} value={String(team.id)}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          {t.cannedBody}
          <textarea
            rows={5}
            value={draft.body}
            required
            aria-describedby="canned-placeholders"
            onInput={(event) => set({ body: fieldValue(event) })}
          />
        </label>
        <div id="canned-placeholders" class="hint">
          <p>{t.placeholdersIntro}</p>
          <dl class="placeholders">
            {TEMPLATE_VARIABLES.map((variable) => (
              <Fragment key={variable}>
                <dt>
                  <code>{`{{${variable}}}`}</code>
                </dt>
                <dd>{t[`placeholder_${variable}`]}</dd>
              </Fragment>
            ))}
          </dl>
        </div>
        <FormButtons
          editing={editing !== null}
          createLabel={t.createCanned}
          onCancel={() => edit(null)}
          outcome={outcome}
        />
      </form>
    </AdminPage>
  );
}
