import { expect } from 'chai';
import { escalationMailText, escalationTeamWarningText, type EscalationAction } from '../../src/i18n/staff-texts.js';

/** Each language whole: no English line in the Indonesian mail, no Indonesian in the English one. */
describe('Staff texts: the escalation mails in both languages', () => {
  const actions: EscalationAction[] = [
    { kind: 'priority_raised', from: 'normal', to: 'high' },
    { kind: 'moved', team: 'OPD Perizinan' },
    { kind: 'team_unstaffed', team: 'OPD Perizinan', problem: 'team_without_members' },
    { kind: 'team_unstaffed', team: 'OPD Perizinan', problem: 'team_inactive' },
  ];
  const values = {
    reference: 'SP-123-456-789',
    subject: null,
    link: 'https://helpdesk.example.go.id/api/v1/tickets/7',
    clock: 'resolution',
    dueAt: new Date('2026-12-02T08:00:00Z'),
    timeZone: 'Asia/Makassar',
    team: 'Loket',
    actions,
  };
  const ENGLISH = /\b(priority|moved|team|warning|not|the|Open|What|confidential|none|High)\b/;
  const INDONESIAN = /\b(prioritas|dipindahkan|tim|peringatan|tidak|Buka|Tindakan|rahasia|Tinggi)\b/;

  it('words every action of the Indonesian mail in Indonesian', () => {
    const text = escalationMailText('id', values);
    expect(text).to.contain('- prioritas Normal → Tinggi').and.contain('- dipindahkan ke tim OPD Perizinan');
    expect(text).to.contain('Tiket SP-123-456-789 (rahasia)').and.contain(`Buka tiket: ${values.link}`);
    expect(text).to.not.match(ENGLISH);
  });

  it('words every action of the English mail in English', () => {
    const text = escalationMailText('en', values);
    expect(text).to.contain('- priority Normal → High').and.contain('- moved to team OPD Perizinan');
    expect(text).to.contain('Ticket SP-123-456-789 (confidential)').and.contain(`Open the ticket: ${values.link}`);
    expect(text).to.not.match(INDONESIAN);
  });

  it("quotes a non-confidential ticket's subject, and words the admins' warning in each language", () => {
    expect(escalationMailText('id', { ...values, subject: 'Izin usaha' })).to.contain(
      'Tiket SP-123-456-789 ("Izin usaha")',
    );
    const warning = { reference: 'SP-1', link: null, team: 'Kosong', problem: 'team_without_members' as const };
    expect(escalationTeamWarningText('id', warning)).to.contain('tidak memiliki anggota aktif').and.not.match(ENGLISH);
    expect(escalationTeamWarningText('en', warning)).to.contain('has no active members').and.not.match(INDONESIAN);
  });
});
