import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { Team, TicketDetail, Vocabulary } from '../api/types';
import { useTexts } from '../i18n';
import { ErrorMessage } from './error-message';

/** One action's outcome under its form: the API's refusal, or what was done. */
export interface Outcome {
  error?: unknown;
  done?: string;
}

export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  return (
    <>
      {outcome.done ? <p role="status">{outcome.done}</p> : null}
      <ErrorMessage error={outcome.error} />
    </>
  );
}

/** Runs an action, keeping its refusal or its success message for the form that asked. */
export function useAction(): [Outcome, (done: string, action: () => Promise<unknown>) => Promise<boolean>] {
  const [outcome, setOutcome] = useState<Outcome>({});
  const run = async (done: string, action: () => Promise<unknown>) => {
    setOutcome({});
    try {
      await action();
      setOutcome({ done });
      return true;
    } catch (refused) {
      setOutcome({ error: refused });
      return false;
    }
  };
  return [outcome, run];
}

interface FormProps {
  api: ApiClient;
  ticket: TicketDetail;
  /** Reads the ticket again after an action changed it. */
  onChanged(): Promise<void>;
}

const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

/** Category, Ombudsman complaint type and priority (PATCH /tickets/{id}). */
export function ClassifyForm({ api, ticket, onChanged, vocabulary }: FormProps & { vocabulary: Vocabulary | null }) {
  const { t, word, language } = useTexts();
  const [category, setCategory] = useState(ticket.category ?? '');
  const [complaintType, setComplaintType] = useState(ticket.complaint_type ?? '');
  const [priority, setPriority] = useState(ticket.priority);
  const [outcome, run] = useAction();
  useEffect(() => {
    setCategory(ticket.category ?? '');
    setComplaintType(ticket.complaint_type ?? '');
    setPriority(ticket.priority);
  }, [ticket.category, ticket.complaint_type, ticket.priority]);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(t.classified, async () => {
      await api.classify(ticket.id, {
        category: category || null,
        complaint_type: complaintType || null,
        priority,
      });
      await onChanged();
    });
  };
  return (
    <form class="action" aria-labelledby="classify-title" onSubmit={submit}>
      <h3 id="classify-title">{t.classify}</h3>
      <label>
        {t.category}
        <select id="classify-category" value={category} onChange={(event) => setCategory(value(event))}>
          <option value="">{t.none}</option>
          {vocabulary?.categories.map((term) => (
            <option key={term.code} value={term.code}>
              {term.label[language]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.complaintType}
        <select value={complaintType} onChange={(event) => setComplaintType(value(event))}>
          <option value="">{t.none}</option>
          {vocabulary?.complaint_types.map((term) => (
            <option key={term.code} value={term.code}>
              {term.label[language]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.priority}
        <select value={priority} onChange={(event) => setPriority(value(event))}>
          {['low', 'normal', 'high', 'urgent'].map((code) => (
            <option key={code} value={code}>
              {word('priority', code)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t.saveClassification}</button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

/** Disposition to another team (an OPD), with the note it needs (POST /tickets/{id}/transfer). */
export function TransferForm({ api, ticket, onChanged, teams }: FormProps & { teams: Team[] }) {
  const { t } = useTexts();
  const [team, setTeam] = useState('');
  const [note, setNote] = useState('');
  const [outcome, run] = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await run(t.transferred, () => api.transfer(ticket.id, Number(team), note.trim()));
    if (done) {
      setNote('');
      setTeam('');
      await onChanged().catch(() => undefined); // the ticket may now be out of my sight: that is fine
    }
  };
  return (
    <form class="action" aria-labelledby="transfer-title" onSubmit={submit}>
      <h3 id="transfer-title">{t.transfer}</h3>
      <label>
        {t.transferTeam}
        <select id="transfer-team" required value={team} onChange={(event) => setTeam(value(event))}>
          <option value="">{t.chooseTeam}</option>
          {teams
            .filter((candidate) => candidate.id !== ticket.team_id)
            .map((candidate) => (
              <option key={candidate.id} value={String(candidate.id)}>
                {candidate.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        {t.transferNote}
        <textarea rows={2} required value={note} onInput={(event) => setNote(value(event))} />
      </label>
      <button type="submit">{t.doTransfer}</button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

/** Merges this ticket into the one a reference number names (that one carries on). */
export function MergeForm({ api, ticket, onChanged }: FormProps) {
  const { t } = useTexts();
  const [reference, setReference] = useState('');
  const [outcome, run] = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await run(t.merged, async () => {
      const target = await api.findByReference(reference.trim());
      if (target === undefined) throw new Error(t.mergeNotFound);
      if (target === ticket.id) throw new Error(t.mergeSelf);
      await api.merge(target, ticket.id);
      setReference('');
      await onChanged();
    });
  };
  return (
    <form class="action" aria-labelledby="merge-title" onSubmit={submit}>
      <h3 id="merge-title">{t.merge}</h3>
      <label>
        {t.mergeReference}
        <input
          id="merge-reference"
          required
          autocomplete="off"
          placeholder="SP-123-456-789"
          value={reference}
          onInput={(event) => setReference(value(event))}
        />
      </label>
      <button type="submit">{t.doMerge}</button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

/** Asks the citizen for what is missing: sent to them, the ticket then waits on them. */
export function ClarifyForm({ api, ticket, onChanged }: FormProps) {
  const { t } = useTexts();
  const [body, setBody] = useState('');
  const [outcome, run] = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) return;
    const done = await run(t.clarified, async () => {
      await api.clarify(ticket.id, body.trim());
      await onChanged();
    });
    if (done) setBody('');
  };
  return (
    <form class="action" aria-labelledby="clarify-title" onSubmit={submit}>
      <h3 id="clarify-title">{t.clarify}</h3>
      <label>
        {t.clarifyLabel}
        <textarea id="clarify-body" rows={2} required value={body} onInput={(event) => setBody(value(event))} />
      </label>
      <button type="submit">{t.doClarify}</button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
