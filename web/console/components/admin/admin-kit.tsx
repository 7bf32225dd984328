import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useTexts } from '../../i18n';
import { type Outcome, OutcomeLine } from '../ticket-actions';

/** The value of the input, select or textarea an event came from. */
export const fieldValue = (event: Event) =>
  (event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
export const checkedOf = (event: Event) => (event.target as HTMLInputElement).checked;

/** A list read from the API, read again on demand; a refusal is kept to be shown as the API said it. */
export function useLoaded<T>(load: () => Promise<T>): { value: T | null; error: unknown; reload(): Promise<void> } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setValue(await load());
      setError(null);
    } catch (refused) {
      setError(refused);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, reload };
}

/**
 * Moves the focus to the element a selector names once it is on the page (a row saved a moment
 * ago, the form opened for editing), within two seconds of asking.
 */
export function useFocusLater(): (selector: string) => void {
  const wanted = useRef<{ selector: string; until: number } | null>(null);
  const [, setAsked] = useState(0);
  useEffect(() => {
    const target = wanted.current;
    if (!target) return;
    if (Date.now() > target.until) {
      wanted.current = null;
      return;
    }
    const element = document.querySelector<HTMLElement>(target.selector);
    if (element) {
      element.focus();
      wanted.current = null;
    }
  });
  return useCallback((selector: string) => {
    wanted.current = { selector, until: Date.now() + 2_000 };
    setAsked((count) => count + 1);
  }, []);
}

/** A checkbox with its label after it. */
export function Check(props: { label: string; checked: boolean; onChange(checked: boolean): void; name?: string }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        name={props.name}
        checked={props.checked}
        onChange={(event) => props.onChange(checkedOf(event))}
      />{' '}
      {props.label}
    </label>
  );
}

/** A group of checkboxes, one per choice: the chosen codes. */
export function CheckGroup(props: {
  legend: string;
  choices: Array<{ code: string; label: string }>;
  chosen: string[];
  onChange(chosen: string[]): void;
  hint?: string;
}) {
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {props.choices.map((choice) => (
        <Check
          key={choice.code}
          label={choice.label}
          checked={props.chosen.includes(choice.code)}
          onChange={(checked) =>
            props.onChange(
              checked ? [...props.chosen, choice.code] : props.chosen.filter((code) => code !== choice.code),
            )
          }
        />
      ))}
    </fieldset>
  );
}

/** An admin page: its heading, what it is for, then its list and forms. */
export function AdminPage(props: { name: string; title: string; intro: string; children: ComponentChildren }) {
  return (
    <main class="admin" data-admin={props.name}>
      <h1>{props.title}</h1>
      <p class="hint">{props.intro}</p>
      {props.children}
    </main>
  );
}

/** What a non-admin finds at an admin page's address: the refusal, no data (none is asked for). */
export function AdminRefused() {
  const { t } = useTexts();
  return (
    <main class="admin">
      <h1>{t.adminTitle}</h1>
      <p class="error" role="alert">
        {t.refused}: {t.adminOnly}
      </p>
    </main>
  );
}

/**
 * A list row's buttons: Edit, and a second action (delete, disable or enable), each named with the
 * row's name for screen readers ("Ubah: Sari") since every row has the same two words.
 */
export function RowActions(props: {
  name: string;
  editLabel: string;
  onEdit(): void;
  other: { label: string; className?: string; onClick(): void };
}) {
  const { name, editLabel, onEdit, other } = props;
  return (
    <td class="buttons">
      <button type="button" class="link edit" aria-label={`${editLabel}: ${name}`} onClick={onEdit}>
        {editLabel}
      </button>
      <button
        type="button"
        class={other.className ? `link ${other.className}` : 'link'}
        aria-label={`${other.label}: ${name}`}
        onClick={other.onClick}
      >
        {other.label}
      </button>
    </td>
  );
}

/**
 * An administrator's list: the API's refusal, "loading" until the rows come, then a table with a
 * caption for screen readers, a header row of `columns` and the rows `children` makes.
 */
export function AdminTable<T>(props: {
  loaded: { value: T[] | null; error: unknown };
  caption: string;
  columns: string[];
  children(rows: T[]): ComponentChildren;
}) {
  const { t } = useTexts();
  const { value, error } = props.loaded;
  if (value === null) return error ? null : <p>{t.loading}</p>;
  return (
    <table class="admin-list">
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children(value)}</tbody>
    </table>
  );
}

/** A create-or-edit form's foot: Save (or the create label), Cancel while editing, and the outcome. */
export function FormButtons(props: { editing: boolean; createLabel: string; onCancel(): void; outcome: Outcome }) {
  const { t } = useTexts();
  return (
    <>
      <p class="buttons">
        <button type="submit">{props.editing ? t.save : props.createLabel}</button>
        {props.editing ? (
          <button type="button" class="link" onClick={props.onCancel}>
            {t.cancelEdit}
          </button>
        ) : null}
      </p>
      <OutcomeLine outcome={props.outcome} />
    </>
  );
}
