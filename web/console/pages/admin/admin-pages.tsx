import { useMemo } from 'preact/hooks';
import { AdminApi } from '../../api/admin';
import type { ApiClient } from '../../api/client';
import { AdminRefused } from '../../components/admin/admin-kit';
import { AgentsAdmin } from './agents';
import { CalendarsAdmin } from './calendars';
import { CannedResponsesAdmin } from './canned-responses';
import { SlaPoliciesAdmin } from './sla-policies';
import { TeamsAdmin } from './teams';

/** The administrator's pages, each at /console/admin/<section>. */
export const ADMIN_SECTIONS = ['agents', 'teams', 'calendars', 'sla-policies', 'canned-responses'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

interface AdminPagesProps {
  api: ApiClient;
  section: AdminSection;
  /** The role the session signed in with: only an admin's pages ask the API for anything. */
  role: string;
  /** Teams were created or changed: the rest of the console reads them again. */
  onTeamsChanged(): void;
}

/**
 * One admin page, or the refusal for anyone else (no data is asked for; the API would refuse the
 * writes anyway, and an admin whose role was taken away meanwhile sees the API's own refusal).
 */
export function AdminPages({ api, section, role, onTeamsChanged }: AdminPagesProps) {
  const admin = useMemo(() => new AdminApi(api), [api]);
  if (role !== 'admin') return <AdminRefused />;
  if (section === 'agents') return <AgentsAdmin admin={admin} />;
  if (section === 'teams') return <TeamsAdmin admin={admin} onTeamsChanged={onTeamsChanged} />;
  if (section === 'calendars') return <CalendarsAdmin admin={admin} />;
  if (section === 'sla-policies') return <SlaPoliciesAdmin admin={admin} api={api} />;
  return <CannedResponsesAdmin admin={admin} />;
}
