import type { ComponentChildren } from 'preact';
import { citizenDate } from '../../../i18n/citizen-texts.js';
import type { TrackTexts } from '../../../i18n/track-texts.js';
import type { WebTexts } from '../../../i18n/web-texts.js';
import type { PublicStatus } from '../../../tickets/public-status.js';
import type { CitizenAssets } from '../citizen-assets.js';
import type { TrackProblem } from '../tracking/tracker.js';
import { Layout } from './layout.js';

/** What the page shows under its form: nothing yet, a fault in the input, the one "not found", the status. */
export type TrackPageState =
  | { kind: 'form' }
  | { kind: 'problem'; problem: TrackProblem | 'malformed' }
  | { kind: 'too_many'; minutes: number }
  | { kind: 'not_found' }
  | {
      kind: 'found';
      status: PublicStatus;
      /** What the citizen tracked with, for the subscribe form's hidden fields (the page is theirs, no-store). */
      asked?: { reference: string; phoneLast4?: string; email?: string };
      /** After a subscription: the channel we will write on, or that there is none. */
      subscribed?: { channel: string } | 'no_address';
    };

export interface TrackPageProps {
  texts: WebTexts;
  track: TrackTexts;
  office: string;
  assets: CitizenAssets;
  state: TrackPageState;
  /** The reference as typed, to fill the form again (never the phone digits or the email). */
  reference?: string;
}

/** Which field a fault belongs to, for the link from the summary and the field's own message. */
const FIELD_OF: Record<TrackProblem | 'malformed', string | undefined> = {
  reference_missing: 'reference',
  reference_invalid: 'reference',
  factor_missing: 'phoneLast4',
  phone_last4_invalid: 'phoneLast4',
  email_invalid: 'email',
  malformed: undefined,
};

/**
 * /lacak: the reference and a second factor, posted (never in the address: the factor would sit in
 * logs and browser history), and the answer on the same page. Works without JavaScript.
 */
export function TrackPage({ texts, track, office, assets, state, reference }: TrackPageProps) {
  const language = texts.language;
  const problem = state.kind === 'problem' ? state.problem : undefined;
  const field = problem ? FIELD_OF[problem] : undefined;
  const message =
    state.kind === 'problem'
      ? track.errors[state.problem]
      : state.kind === 'too_many'
        ? track.errors.too_many_requests(state.minutes)
        : state.kind === 'not_found'
          ? track.notFound
          : undefined;
  const errorOn = (name: string) => (field === name ? message : undefined);
  return (
    <Layout texts={texts} office={office} title={track.title} path="/lacak" assets={assets}>
      {state.kind === 'found' ? (
        <Result track={track} state={state} language={language} />
      ) : (
        <>
          <h1>{track.title}</h1>
          <p>{track.intro}</p>
          {message && (
            <div class="error-summary" role="alert" tabindex={-1} id="problem">
              <h2>{track.problemTitle}</h2>
              <p>{field ? <a href={`#${field}`}>{message}</a> : message}</p>
            </div>
          )}
          <form method="post" action={`/lacak?lang=${language}`} novalidate>
            <input type="hidden" name="lang" value={language} />
            <Field id="reference" label={track.reference} hint={track.referenceHint} error={errorOn('reference')}>
              <input
                type="text"
                id="reference"
                name="reference"
                autocomplete="off"
                spellcheck={false}
                maxLength={64}
                value={reference ?? ''}
                aria-describedby="reference-hint"
                aria-invalid={errorOn('reference') ? 'true' : undefined}
              />
            </Field>
            <fieldset>
              <legend>{track.factorLegend}</legend>
              <p class="hint">{track.factorHint}</p>
              <Field id="phoneLast4" label={track.phoneLast4} hint={track.phoneLast4Hint} error={errorOn('phoneLast4')}>
                <input
                  type="text"
                  id="phoneLast4"
                  name="phoneLast4"
                  inputMode="numeric"
                  autocomplete="off"
                  maxLength={4}
                  pattern="[0-9]{4}"
                  aria-describedby="phoneLast4-hint"
                  aria-invalid={errorOn('phoneLast4') ? 'true' : undefined}
                />
              </Field>
              <p>{track.or}</p>
              <Field id="email" label={track.email} error={errorOn('email')}>
                <input
                  type="email"
                  id="email"
                  name="email"
                  autocomplete="email"
                  maxLength={320}
                  aria-invalid={errorOn('email') ? 'true' : undefined}
                />
              </Field>
            </fieldset>
            <button type="submit">{track.submit}</button>
          </form>
        </>
      )}
    </Layout>
  );
}

function Field(props: { id: string; label: string; hint?: string; error?: string; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && <span class="error-message">{props.error}</span>}
      {props.children}
    </div>
  );
}

function Result({
  track,
  state,
  language,
}: {
  track: TrackTexts;
  state: Extract<TrackPageState, { kind: 'found' }>;
  language: 'id' | 'en';
}) {
  const { status, asked, subscribed } = state;
  const date = (iso: string) => citizenDate(language, new Date(iso), status.timeZone);
  const words = track.result;
  return (
    <>
      <h1>{words.title}</h1>
      <div class="panel-ok">
        <p class="reference">{status.reference}</p>
        <dl>
          <dt>{words.status}</dt>
          <dd>{status.status.label[language]}</dd>
          <dt>{words.agency}</dt>
          <dd>{status.agency ?? words.agencyNone}</dd>
          <dt>{words.created}</dt>
          <dd>{date(status.createdAt)}</dd>
          {status.dueAt && (
            <>
              <dt>{status.dueFor === 'resolution' ? words.due : words.dueResponse}</dt>
              <dd>
                {date(status.dueAt)} ({status.workingDaysLeft ? words.daysLeft(status.workingDaysLeft) : words.overdue})
              </dd>
            </>
          )}
          {status.resolvedAt && (status.status.code === 'resolved' || status.status.code === 'closed') && (
            <>
              <dt>{words.resolved}</dt>
              <dd>{date(status.resolvedAt)}</dd>
            </>
          )}
        </dl>
        {status.status.code === 'pending_citizen' && <p>{words.waiting}</p>}
      </div>
      <h2>{words.replies}</h2>
      {status.replies.length === 0 ? (
        <p>{words.noReplies}</p>
      ) : (
        <ol class="replies">
          {status.replies.map((reply) => (
            <li key={reply.at}>
              <p class="hint">{words.repliedOn(date(reply.at))}</p>
              {/* Text, line by line: Preact escapes it, so markup an agent or citizen typed shows as typed. */}
              <p>
                {reply.text.split('\n').map((line, index) => (
                  <>
                    {index > 0 && <br />}
                    {line}
                  </>
                ))}
              </p>
            </li>
          ))}
        </ol>
      )}
      {subscribed ? (
        <div class="notice" role="status">
          <p>{subscribed === 'no_address' ? words.noAddress : words.subscribed(subscribed.channel)}</p>
        </div>
      ) : (
        asked &&
        status.status.code !== 'closed' && (
          <form method="post" action={`/lacak/subscribe?lang=${language}`}>
            <input type="hidden" name="lang" value={language} />
            <input type="hidden" name="reference" value={asked.reference} />
            {asked.phoneLast4 && <input type="hidden" name="phoneLast4" value={asked.phoneLast4} />}
            {asked.email && <input type="hidden" name="email" value={asked.email} />}
            <p class="hint" id="subscribe-hint">
              {words.subscribeHint}
            </p>
            <button type="submit" aria-describedby="subscribe-hint">
              {words.subscribe}
            </button>
          </form>
        )
      )}
      <p>
        <a href={`/lacak?lang=${language}`}>{words.another}</a>
      </p>
    </>
  );
}
