import type { SlaFlag } from '../api/types';
import { useNow } from '../clock';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';
import { fill, slaAt, slaWords } from '../sla';

interface SlaBadgeProps {
  sla: SlaFlag;
  /** When the API answered (its working minutes are as of then). */
  fetchedAt: number;
  timeZone: string;
}

/**
 * The countdown to a ticket's next SLA deadline, in working time: its state in words and in colour
 * (ok, warning, breached, paused), the clock, the time left or over; the deadline's date in its title.
 */
export function SlaBadge({ sla, fetchedAt, timeZone }: SlaBadgeProps) {
  const { t, language } = useTexts();
  const now = useNow(5_000);
  const at = slaAt(sla, fetchedAt, now);
  const due = sla.due_at ? fill(t.slaDueAt, { date: formatDate(sla.due_at, language, timeZone) }) : undefined;
  return (
    <span class={`sla sla-${at.state}`} data-sla={at.state} title={due}>
      {slaWords(t, sla.kind, at)}
    </span>
  );
}
