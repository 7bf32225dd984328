import type { SlaFlag } from './api/types';
import type { Dictionary } from './i18n/id';

export type SlaState = 'ok' | 'warning' | 'breached' | 'paused' | 'none';

export interface SlaNow {
  state: SlaState;
  /** Working minutes to the deadline (negative: over it), as of now; undefined when unknown. */
  minutesLeft: number | undefined;
  /** Whether working time is passing now (the office is open), so that the countdown moves. */
  counting: boolean;
}

/**
 * The SLA flag as of `now`. The API counted the working minutes left when it answered
 * (`fetchedAt`): while its calendar was open they keep passing in real time, while closed they
 * stand still; the console reads the list again every minute, so a calendar that opens or closes
 * meanwhile is caught up. Warning and breach flip at their instants, which are real times.
 */
export function slaAt(sla: SlaFlag, fetchedAt: number, now: number): SlaNow {
  const due = sla.due_at ? Date.parse(sla.due_at) : undefined;
  const warn = sla.warn_at ? Date.parse(sla.warn_at) : undefined;
  const counting = sla.working_now === true;
  let minutesLeft = sla.working_minutes_left ?? undefined;
  if (minutesLeft !== undefined && counting) minutesLeft -= (now - fetchedAt) / 60_000;
  if (due === undefined) return { state: sla.paused ? 'paused' : 'none', minutesLeft: undefined, counting };
  const state: SlaState = now >= due ? 'breached' : warn !== undefined && now >= warn ? 'warning' : 'ok';
  // Past the deadline by the clock, never "minutes left" (a closed calendar may have frozen it at 0).
  if (state === 'breached' && minutesLeft !== undefined) minutesLeft = Math.min(minutesLeft, 0);
  return { state, minutesLeft, counting };
}

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));

/** "2 jam 5 menit", "45 menit", "12 jam": a working-time span in words. */
export function workingSpan(t: Dictionary, minutes: number): string {
  const whole = Math.max(0, Math.ceil(Math.abs(minutes) - 0.001));
  if (whole < 60) return fill(t.minutes, { n: whole });
  if (whole >= 600) return fill(t.hours, { n: Math.round(whole / 60) }); // minutes matter no more
  const [hours, rest] = [Math.floor(whole / 60), whole % 60];
  return rest === 0 ? fill(t.hours, { n: hours }) : fill(t.hoursMinutes, { h: hours, m: rest });
}

/** The badge's words: state, clock, and the working time left or over. Never colour alone. */
export function slaWords(t: Dictionary, kind: string | null | undefined, at: SlaNow): string {
  if (at.state === 'paused') return t.slaPaused;
  if (at.state === 'none') return t.slaNone;
  const stateWord = { ok: t.slaOk, warning: t.slaWarning, breached: t.slaBreached }[at.state];
  const clock = kind ? ((t as Record<string, string>)[`sla_${kind}`] ?? kind) : t.sla;
  if (at.minutesLeft === undefined) return `${stateWord} · ${clock}`;
  const time = workingSpan(t, at.minutesLeft);
  const span = at.minutesLeft > 0 ? fill(t.slaLeft, { time }) : fill(t.slaOver, { time });
  return `${stateWord} · ${clock}: ${span}${at.counting ? '' : ` ${t.slaStopped}`}`;
}

export { fill };
