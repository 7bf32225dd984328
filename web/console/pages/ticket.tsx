import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { citizenName } from '../citizen-name';
import { type ApiClient, ApiError } from '../api/client';
import type { Team, TicketDetail, Vocabulary } from '../api/types';
import { useEvery } from '../clock';
import { AssignForm } from '../components/assign-form';
import { ChannelBadge } from '../components/channel-badge';
import { Composer } from '../components/composer';
import { ErrorMessage } from '../components/error-message';
import { OtherTickets } from '../components/other-tickets';
import { ReplyBox } from '../components/reply-box';
import { SlaBadge } from '../components/sla-badge';
import { SlaClocks } from '../components/sla-clocks';
import {
  ClarifyForm,
  ClassifyForm,
  MergeForm,
  OutcomeLine,
  TransferForm,
  useAction,
} from '../components/ticket-actions';
import { Timeline } from '../components/timeline';
import { useViewers, ViewersNotice } from '../components/viewers';
import { useTexts } from '../i18n';
import { useShortcuts } from '../keyboard';
import { type LiveEvents, ticketIdOf } from '../live';

interface TicketProps {
  api: ApiClient;
  live: LiveEvents;
  ticketId: number;
  /** The signed-in agent (claims make tickets theirs), and their role (supervisors assign). */
  agentId: number;
  role: string;
  teams: Team[];
  timeZone: string;
  onBack(): void;
  onOpen(ticketId: number): void;
}

const ACTIVE = new Set(['new', 'open', 'pending_citizen', 'pending_agency']);
const focus = (id: string) => document.getElementById(id)?.focus();

/**
 * One ticket: its SLA countdown and clocks, its timeline, the reply (canned responses, WhatsApp's
 * window) and note, and the actions of an agent's day, each with a single-key shortcut. Live while open.
 */
export function TicketPage({ api, live, ticketId, agentId, role, teams, timeZone, onBack, onOpen }: TicketProps) {
  const { t, word } = useTexts();
  const [ticket, setTicket] = useState<(TicketDetail & { fetchedAt: number }) | null>(null);
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [gone, setGone] = useState(false);
  const [typing, setTyping] = useState(false);
  const viewers = useViewers(api, ticketId, typing);
  const [outcome, run] = useAction();
  const reply = useRef<HTMLTextAreaElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ticketShown = useRef(false);
  ticketShown.current = ticket !== null;

  const load = useCallback(async () => {
    try {
      setTicket({ ...(await api.ticket(ticketId)), fetchedAt: Date.now() });
      setError(null);
      setGone(false);
    } catch (refused) {
      // Out of my sight after my own action (a transfer): said so, the last view kept on screen.
      if (refused instanceof ApiError && refused.status === 404 && ticketShown.current) setGone(true);
      else setError(refused);
    }
  }, [api, ticketId]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    api.vocabulary().then(setVocabulary, () => undefined);
  }, [api]);
  useEffect(
    () =>
      live.listen((event) => {
        if (ticketIdOf(event) === ticketId) void load();
      }),
    [live, ticketId, load],
  );
  useEvery(60_000, load); // the server's working-time countdown, read again
  // Focus moves to the ticket's title when it opens, so that a screen reader announces it.
  useEffect(() => {
    if (ticket) heading.current?.focus();
  }, [ticket?.id]);

  const active = ticket ? ACTIVE.has(ticket.status) && ticket.merged_into_id === null : false;
  /** An action of the state machine, then the ticket read again; its outcome shown under the buttons. */
  const act = (done: string, action: () => Promise<unknown>) =>
    run(done, async () => {
      await action();
      await load();
    });
  const claim = () => act(t.claimed, () => api.claim(ticketId));
  const resolve = () => act(t.resolved, () => api.resolve(ticketId));
  const reopen = () => act(t.reopened, () => api.reopen(ticketId));

  const shortcuts = useMemo(
    () => ({
      r: () => reply.current?.focus(),
      n: () => note.current?.focus(),
      a: () => void claim(),
      k: () => focus('classify-category'),
      t: () => focus('transfer-team'),
      g: () => focus('merge-reference'),
      l: () => focus('clarify-body'),
      s: () => void resolve(),
      o: () => void reopen(),
      Escape: onBack,
    }),
    // Rebuilt each render: the actions read the ticket and language of this render.
    [onBack, claim, resolve, reopen],
  );
  useShortcuts(shortcuts);

  if (!ticket) {
    return (
      <main class="ticket">
        <button type="button" class="link" onClick={onBack}>
          {t.backToQueue}
        </button>
        {error ? <ErrorMessage error={error} /> : <p>{t.loading}</p>}
      </main>
    );
  }
  const assignee =
    ticket.assignee_id === null
      ? t.unassigned
      : ticket.assignee_id === agentId
        ? t.assignedToMe
        : (ticket.assignee_name ?? t.assignedToOther.replace('{id}', String(ticket.assignee_id)));
  const forms = { api, ticket, onChanged: load };
  return (
    <main class="ticket">
      <button type="button" class="link" onClick={onBack}>
        {t.backToQueue}
      </button>
      <h1 tabIndex={-1} ref={heading}>
        {ticket.reference} · {ticket.subject ?? t.noSubject}
      </h1>
      <p class="facts">
        <span data-status={ticket.status}>{word('status', ticket.status)}</span> ·{' '}
        <ChannelBadge channel={ticket.channel} /> · {word('priority', ticket.priority)} · {citizenName(ticket, t)} ·{' '}
        {t.assignee}: <span data-assignee>{assignee}</span>
      </p>
      <p class="facts">
        <SlaBadge sla={ticket.sla} fetchedAt={ticket.fetchedAt} timeZone={timeZone} />
      </p>
      {ticket.merged_into_id !== null ? (
        <p class="notice" role="status">
          {t.mergedInto}{' '}
          <button type="button" class="link" onClick={() => onOpen(ticket.merged_into_id!)}>
            {t.openMergedInto}
          </button>
        </p>
      ) : null}
      {gone ? (
        <p class="notice" role="status">
          {t.ticketGone}
        </p>
      ) : null}
      <ViewersNotice viewers={viewers} />
      <p class="hint">{t.ticketShortcuts}</p>
      <ErrorMessage error={error} />
      <div class="ticket-layout">
        <div class="ticket-main">
          <Timeline api={api} ticket={ticket} timeZone={timeZone} />
          <ReplyBox
            api={api}
            ticket={ticket}
            timeZone={timeZone}
            textareaRef={reply}
            onSent={load}
            onTyping={setTyping}
          />
          <Composer
            id="note"
            label={t.noteLabel}
            submitLabel={t.addNote}
            doneMessage={t.noteSaved}
            textareaRef={note}
            send={async (body) => {
              await api.note(ticketId, body);
              await load();
            }}
          />
        </div>
        <aside class="ticket-side" aria-labelledby="actions-title">
          <h2 id="actions-title">{t.actions}</h2>
          <div class="buttons">
            {active && ticket.assignee_id !== agentId ? (
              <button type="button" aria-keyshortcuts="a" onClick={() => void claim()}>
                {t.claim}
              </button>
            ) : null}
            {active ? (
              <button type="button" aria-keyshortcuts="s" onClick={() => void resolve()}>
                {t.resolve}
              </button>
            ) : ticket.merged_into_id === null ? (
              <button type="button" aria-keyshortcuts="o" onClick={() => void reopen()}>
                {t.reopen}
              </button>
            ) : null}
          </div>
          <OutcomeLine outcome={outcome} />
          <SlaClocks clocks={ticket.sla_clocks} timeZone={timeZone} />
          <ClassifyForm {...forms} vocabulary={vocabulary} />
          {active ? (
            <>
              {role === 'supervisor' || role === 'admin' ? <AssignForm {...forms} /> : null}
              <TransferForm {...forms} teams={teams} />
              <ClarifyForm {...forms} />
              <MergeForm {...forms} />
            </>
          ) : null}
          <OtherTickets api={api} ticket={ticket} timeZone={timeZone} onOpen={onOpen} />
        </aside>
      </div>
    </main>
  );
}
