/** Texts the system writes to staff (supervisors' escalation mail): Bahasa Indonesia by default. */

const CLOCK_NAMES: Record<string, { id: string; en: string }> = {
  first_response: { id: 'tanggapan pertama', en: 'first response' },
  next_response: { id: 'tanggapan berikutnya', en: 'next response' },
  resolution: { id: 'penyelesaian', en: 'resolution' },
  agency_followup: { id: 'tindak lanjut OPD', en: 'agency follow-up' },
};

export interface EscalationValues {
  reference: string;
  subject: string;
  clock: string;
  dueAt: Date;
  timeZone: string;
  team: string;
  actions: string[];
}

/** The mail to a team's supervisors when a ticket breaches an SLA target. */
export function escalationMailText(language: string, values: EscalationValues): string {
  const english = language === 'en';
  const clock = CLOCK_NAMES[values.clock]?.[english ? 'en' : 'id'] ?? values.clock;
  const due = new Intl.DateTimeFormat(english ? 'en-GB' : 'id-ID', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: values.timeZone,
  }).format(values.dueAt);
  const actions =
    values.actions.length > 0
      ? values.actions.map((action) => `- ${action}`).join('\n')
      : english
        ? '- none'
        : '- tidak ada';
  return english
    ? `Ticket ${values.reference} ("${values.subject}") of the team ${values.team} missed its ${clock} deadline (${due}).\n\nWhat the system did:\n${actions}\n\nOpen the ticket in the console. This mail is automatic; do not reply to it.`
    : `Tiket ${values.reference} ("${values.subject}") di tim ${values.team} melewati batas waktu ${clock} (${due}).\n\nTindakan sistem:\n${actions}\n\nBuka tiket di konsol. Surat ini dikirim otomatis; mohon tidak dibalas.`;
}
