/** Texts the system writes to staff (supervisors' escalation mail): Bahasa Indonesia by default. */
import { PRIORITIES } from '../tickets/vocabulary.js';

const CLOCK_NAMES: Record<string, { id: string; en: string }> = {
  first_response: { id: 'tanggapan pertama', en: 'first response' },
  next_response: { id: 'tanggapan berikutnya', en: 'next response' },
  resolution: { id: 'penyelesaian', en: 'resolution' },
  agency_followup: { id: 'tindak lanjut OPD', en: 'agency follow-up' },
};

/** What an escalation did, as data: each mail words it in its own language. */
export type EscalationAction =
  | { kind: 'priority_raised'; from: string; to: string }
  | { kind: 'moved'; team: string }
  | { kind: 'team_unstaffed'; team: string; problem: 'team_inactive' | 'team_without_members' };

export interface EscalationValues {
  reference: string;
  /** The ticket's subject (the citizen's words); null for a confidential ticket: the mail leaves the system. */
  subject: string | null;
  /** Where the ticket is read (the API's ticket view); null without a public address. */
  link: string | null;
  clock: string;
  dueAt: Date;
  timeZone: string;
  team: string;
  actions: EscalationAction[];
}

type Language = 'id' | 'en';
const languageOf = (language: string): Language => (language === 'en' ? 'en' : 'id');

const priorityLabel = (code: string, language: Language) =>
  PRIORITIES.find((term) => term.code === code)?.label[language] ?? code;

/** One action in one language; English is also how the `sla_escalated` event lists them. */
export function escalationActionText(language: string, action: EscalationAction): string {
  const lang = languageOf(language);
  switch (action.kind) {
    case 'priority_raised': {
      const [from, to] = [priorityLabel(action.from, lang), priorityLabel(action.to, lang)];
      return lang === 'en' ? `priority ${from} → ${to}` : `prioritas ${from} → ${to}`;
    }
    case 'moved':
      return lang === 'en' ? `moved to team ${action.team}` : `dipindahkan ke tim ${action.team}`;
    case 'team_unstaffed':
      if (action.problem === 'team_inactive')
        return lang === 'en'
          ? `not moved: the escalation team ${action.team} is inactive`
          : `tidak dipindahkan: tim eskalasi ${action.team} tidak aktif`;
      return lang === 'en'
        ? `warning: the escalation team ${action.team} has no active members`
        : `peringatan: tim eskalasi ${action.team} tidak memiliki anggota aktif`;
  }
}

/** The mail to a team's supervisors when a ticket breaches an SLA target. */
export function escalationMailText(language: string, values: EscalationValues): string {
  const lang = languageOf(language);
  const english = lang === 'en';
  const clock = CLOCK_NAMES[values.clock]?.[lang] ?? values.clock;
  const due = new Intl.DateTimeFormat(english ? 'en-GB' : 'id-ID', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: values.timeZone,
  }).format(values.dueAt);
  const actions =
    values.actions.length > 0
      ? values.actions.map((action) => `- ${escalationActionText(lang, action)}`).join('\n')
      : english
        ? '- none'
        : '- tidak ada';
  const ticket = english ? `Ticket ${values.reference}` : `Tiket ${values.reference}`;
  const named =
    values.subject === null ? `${ticket} (${english ? 'confidential' : 'rahasia'})` : `${ticket} ("${values.subject}")`;
  const open = values.link
    ? english
      ? `Open the ticket: ${values.link}`
      : `Buka tiket: ${values.link}`
    : english
      ? 'Open the ticket in the console.'
      : 'Buka tiket di konsol.';
  return english
    ? `${named} of the team ${values.team} missed its ${clock} deadline (${due}).\n\nWhat the system did:\n${actions}\n\n${open}\nThis mail is automatic; do not reply to it.`
    : `${named} di tim ${values.team} melewati batas waktu ${clock} (${due}).\n\nTindakan sistem:\n${actions}\n\n${open}\nSurat ini dikirim otomatis; mohon tidak dibalas.`;
}

/**
 * The mail to the admins when a breach escalates to a team that cannot take the ticket: they alone
 * manage teams and policies. It names the ticket and the team, never the citizen's words.
 */
export function escalationTeamWarningText(
  language: string,
  values: { reference: string; link: string | null; team: string; problem: 'team_inactive' | 'team_without_members' },
): string {
  const lang = languageOf(language);
  const problem = escalationActionText(lang, { kind: 'team_unstaffed', team: values.team, problem: values.problem });
  const link = values.link ? `\n${lang === 'en' ? 'The ticket' : 'Tiket'}: ${values.link}` : '';
  return lang === 'en'
    ? `The SLA escalation of ticket ${values.reference}: ${problem}.${link}\n\nAdd members to the team or change the SLA policy's escalation team. This mail is automatic; do not reply to it.`
    : `Eskalasi SLA tiket ${values.reference}: ${problem}.${link}\n\nTambahkan anggota ke tim tersebut atau ubah tim eskalasi pada kebijakan SLA. Surat ini dikirim otomatis; mohon tidak dibalas.`;
}
