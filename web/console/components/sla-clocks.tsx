import type { SlaClock } from '../api/types';
import { formatDate } from '../dates';
import { useTexts } from '../i18n';

/** Every clock of the ticket that is running, paused or finished: its deadline and how it ended. */
export function SlaClocks({ clocks, timeZone }: { clocks: SlaClock[]; timeZone: string }) {
  const { t, language } = useTexts();
  if (clocks.length === 0) return null;
  const ending = (clock: SlaClock) => {
    if (clock.outcome === 'met') return t.clockMet;
    if (clock.outcome === 'breached' || clock.breached_at) return t.clockBreached;
    if (clock.outcome === 'cancelled') return t.clockCancelled;
    if (clock.paused_at) return t.slaPaused;
    return clock.due_at ? formatDate(clock.due_at, language, timeZone) : '';
  };
  return (
    <section aria-labelledby="clocks-title" class="clocks">
      <h2 id="clocks-title">{t.slaClocks}</h2>
      <ul>
        {clocks.map((clock) => (
          <li key={clock.id} data-clock={clock.kind}>
            {(t as Record<string, string>)[`sla_${clock.kind}`] ?? clock.kind}: {ending(clock)}
          </li>
        ))}
      </ul>
    </section>
  );
}
