import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { CannedResponse, TicketDetail } from '../api/types';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { fill } from '../sla';
import { ErrorMessage } from './error-message';

interface ReplyBoxProps {
  api: ApiClient;
  ticket: TicketDetail;
  timeZone: string;
  textareaRef: Ref<HTMLTextAreaElement>;
  onSent(): Promise<void>;
  /** Whether a reply is being written (collision detection tells the other agents). */
  onTyping(typing: boolean): void;
}

/** The written channels a reply can go by, from the ticket's own (a call's ticket is answered by SMS). */
function channelsFor(ticket: TicketDetail): string[] {
  const own = ticket.channel === 'voice' ? 'sms' : ticket.channel;
  return ticket.whatsapp_window && own !== 'sms' ? [own, 'sms'] : [own];
}

/**
 * The reply to the citizen: canned responses filled in by the server for this ticket (the agent
 * reads and edits the text before sending), the channel, and WhatsApp's 24-hour window shown before
 * typing, with the approved template or SMS offered when it is closed.
 */
export function ReplyBox({ api, ticket, timeZone, textareaRef, onSent, onTyping }: ReplyBoxProps) {
  const { t, word, language } = useTexts();
  const [body, setBody] = useState('');
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const channels = channelsFor(ticket);
  const wa = ticket.whatsapp_window;
  const [channel, setChannel] = useState(channels[0]!);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  /** The canned response last put in the text: the reply names it, for the audit trail. */
  const [basedOn, setBasedOn] = useState<number | undefined>(undefined);

  useEffect(() => {
    api.cannedResponses().then(setCanned, setError);
  }, [api]);
  const typing = body.trim() !== '';
  useEffect(() => onTyping(typing), [typing]);
  // An emptied box (sent, or cleared to write anew) is no longer based on the canned response.
  useEffect(() => {
    if (!typing) setBasedOn(undefined);
  }, [typing]);
  // A closed window: SMS is chosen first, since WhatsApp would refuse free text.
  useEffect(() => {
    if (wa && !wa.open && channels.includes('sms')) setChannel('sms');
  }, [wa?.open]);

  const attempt = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      await onSent();
      return true;
    } catch (refused) {
      setError(refused);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) return;
    const options = {
      ...(channel === ticket.channel ? {} : { channel }),
      ...(basedOn === undefined ? {} : { based_on_canned_response_id: basedOn }),
    };
    if (await attempt(() => api.reply(ticket.id, body, options), t.replyQueued)) setBody('');
  };
  const insertCanned = async (id: string) => {
    if (!id) return;
    setError(null);
    setDone(null);
    try {
      const filled = await api.previewCanned(ticket.id, Number(id));
      setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${filled}` : filled));
      setBasedOn(Number(id));
      setDone(t.cannedInserted);
      (textareaRef as { current?: HTMLTextAreaElement | null }).current?.focus();
    } catch (refused) {
      setError(refused);
    }
  };

  return (
    <form class="composer reply" onSubmit={submit}>
      {wa ? (
        <p class={`whatsapp-window ${wa.open ? 'open' : 'closed'}`} data-whatsapp-window={wa.open ? 'open' : 'closed'}>
          {wa.open
            ? fill(t.waOpen, { date: formatDate(wa.closes_at, language, timeZone) })
            : wa.closes_at
              ? fill(t.waClosed, { date: formatDate(wa.closes_at, language, timeZone) })
              : t.waNever}
          {!wa.open && !wa.template_available ? ` ${t.waNoTemplate}` : ''}
        </p>
      ) : null}
      <div class="reply-tools">
        <label>
          {t.cannedResponses}
          <select value="" onChange={(event) => void insertCanned((event.target as HTMLSelectElement).value)}>
            <option value="">{t.chooseCanned}</option>
            {canned.map((response) => (
              <option key={response.id} value={String(response.id)}>
                {response.name} ({response.language})
              </option>
            ))}
          </select>
        </label>
        {channels.length > 1 ? (
          <label>
            {t.replyChannel}
            <select value={channel} onChange={(event) => setChannel((event.target as HTMLSelectElement).value)}>
              {channels.map((code) => (
                <option key={code} value={code}>
                  {word('channel', code)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <label for="reply">{t.replyLabel}</label>
      <textarea
        id="reply"
        ref={textareaRef}
        rows={4}
        value={body}
        onInput={(event) => setBody((event.target as HTMLTextAreaElement).value)}
      />
      <div class="buttons">
        <button type="submit" disabled={busy} aria-keyshortcuts="r">
          {t.sendReply}
        </button>
        {wa && !wa.open && wa.template_available ? (
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() => void attempt(() => api.replyTemplate(ticket.id), t.templateQueued)}
          >
            {t.sendTemplate}
          </button>
        ) : null}
      </div>
      {done ? <p role="status">{done}</p> : null}
      <ErrorMessage error={error} />
    </form>
  );
}
