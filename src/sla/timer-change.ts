/** The stages of one clock still to fire, before and after a change: what its timers must become. */
export interface TimerChange {
  clockId: number;
  ticketId: number;
  previous: { warnAt: Date | null; dueAt: Date | null };
  next: { warnAt: Date | null; dueAt: Date | null };
}
