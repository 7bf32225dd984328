import { ApiClient } from './api-client.js';

export interface StaffMember {
  id: number;
  name: string;
  email: string;
  team: string;
  api: ApiClient;
}

export interface HelpDesk {
  admin: ApiClient;
  frontDeskId: number;
  opdId: number;
  staff: StaffMember[];
  /** The staff member an agent id belongs to. */
  byId(id: number | null): StaffMember | undefined;
}

interface Team {
  id: number;
  slug: string;
  name: string;
}

const AGENTS = [
  { name: 'Rina Wulandari', email: 'rina.wulandari', team: 'front-desk' },
  { name: 'Andi Saputra', email: 'andi.saputra', team: 'front-desk' },
  { name: 'Dewi Kartika', email: 'dewi.kartika', team: 'front-desk' },
  { name: 'Yusuf Hidayat', email: 'yusuf.hidayat', team: 'dinas-pupr' },
] as const;

/**
 * The morning's cast, made through the HTTP API as an administrator would: the front desk (there
 * from the first migration), an OPD team (Dinas PUPR), and agents who log in and set themselves
 * available.
 */
export async function seedHelpDesk(
  baseUrl: string,
  admin: { email: string; password: string },
  agentPassword: string,
  domain: string,
  print: (line: string) => void,
): Promise<HelpDesk> {
  const api = await ApiClient.login(baseUrl, admin.email, admin.password);
  const teams = (await api.get<{ data: Team[] }>('/api/v1/teams')).data;
  const frontDesk = teams.find((team) => team.slug === 'front-desk');
  if (!frontDesk) throw new Error('The front desk team is missing');
  const opd = (
    await api.post<{ data: Team }>('/api/v1/teams', {
      slug: 'dinas-pupr',
      name: 'Dinas PUPR',
      description: 'Dinas Pekerjaan Umum dan Penataan Ruang: PBG, KKPR, SLF',
      routing_strategy: 'longest_idle',
    })
  ).data;
  print(`   teams: ${frontDesk.name} (#${frontDesk.id}), ${opd.name} (#${opd.id})`);
  const teamId = { 'front-desk': frontDesk.id, 'dinas-pupr': opd.id };

  const staff: StaffMember[] = [];
  for (const agent of AGENTS) {
    const email = `${agent.email}@${domain}`;
    const created = (
      await api.post<{ data: { id: number } }>('/api/v1/agents', {
        email,
        name: agent.name,
        role: 'agent',
        password: agentPassword,
        teams: [teamId[agent.team]],
        skills: ['id'],
      })
    ).data;
    const session = await ApiClient.login(baseUrl, email, agentPassword);
    await session.put('/api/v1/agents/me/presence', { presence: 'available' });
    staff.push({ id: created.id, name: agent.name, email, team: agent.team, api: session });
    print(`   agent ${agent.name} <${email}> (${agent.team}) logged in, available`);
  }
  return {
    admin: api,
    frontDeskId: frontDesk.id,
    opdId: opd.id,
    staff,
    byId: (id) => staff.find((member) => member.id === id),
  };
}
