import type { ApiClient } from './api-client.js';
import type { Morning, Ticket } from './morning.js';
import type { Outbox } from './outbox.js';
import type { HelpDesk } from './seed.js';

const count = <T>(items: T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ');
};

/** The morning in numbers: tickets as the API lists them, messages as the stand-ins received them. */
export async function summarise(admin: ApiClient, outbox: Outbox, print: (line: string) => void): Promise<void> {
  const tickets = (await admin.get<{ data: Ticket[] }>('/api/v1/tickets?limit=200')).data;
  await outbox.flush();
  print('\nThe morning in numbers');
  print(`   tickets by channel (GET /api/v1/tickets): ${count(tickets, (ticket) => ticket.channel)}`);
  print(`   tickets by status: ${count(tickets, (ticket) => ticket.status)}`);
  print(`   received by the stand-ins: ${count(outbox.delivered, (item) => item.channel)}`);
}

export interface LookAround {
  publicUrl: string;
  smtpPort: number;
  admin: { email: string; password: string };
  agentPassword: string;
  desk: HelpDesk;
  morning: Morning;
  once: boolean;
}

/** A word for the shell, single-quoted. */
const sh = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** Where to look, who to log in as, and curl commands that work on the morning's data. */
export function lookAround(view: LookAround, print: (line: string) => void): void {
  const { publicUrl, admin, desk, morning } = view;
  const sms = morning.tickets.find((ticket) => ticket.channel === 'sms') ?? morning.tickets[0];
  const auth = '-H "authorization: Bearer $TOKEN"';
  const login = JSON.stringify({ email: admin.email, password: admin.password });
  print('\nLook around');
  print(`   API              ${publicUrl}/api/v1 (README's "API" section lists the routes)`);
  print(`   OpenAPI document ${publicUrl}/api/openapi.json`);
  print(`   Prometheus       ${publicUrl}/metrics (with an admin's token)`);
  print(`   Health           ${publicUrl}/healthz, ${publicUrl}/readyz`);
  print(`   Inbound mail     smtp://127.0.0.1:${view.smtpPort} for helpdesk@… (swaks, or any mail client)`);
  print(`   Administrator    ${admin.email} / ${admin.password}`);
  print(`   Agents           ${desk.staff.map((member) => member.email).join(', ')} / ${view.agentPassword}`);
  print('\nIn another terminal:');
  print(`   BASE=${publicUrl}`);
  print(
    `   TOKEN=$(curl -s $BASE/api/v1/auth/login -H 'content-type: application/json' -d ${sh(login)} | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
  );
  print(`   curl -s "$BASE/api/v1/tickets" ${auth}`);
  if (sms) {
    print(`   curl -s "$BASE/api/v1/tickets?q=${sms.reference}" ${auth}`);
    print(`   curl -s "$BASE/api/v1/tickets/${sms.id}" ${auth}`);
  }
  print(`   curl -s "$BASE/api/v1/tasks?status=open" ${auth}`);
  print(`   curl -s "$BASE/api/v1/metrics/live" ${auth}`);
  print(`   curl -s "$BASE/metrics" ${auth}`);
  if (sms) {
    print(
      `   curl -s "$BASE/api/v1/tickets/${sms.id}/replies" ${auth} -H 'content-type: application/json' -d '{"body":"Terima kasih, Ibu. Ada lagi yang bisa kami bantu?"}'`,
    );
    if (!view.once) print('     (the Twilio stand-in prints the SMS it receives here)');
  }
  print(
    view.once
      ? '\n--once: the morning is over, so the demo stops now (run `npm run demo` to keep it running).'
      : '\nThe demo keeps running; press Ctrl-C to stop it (its database and queues are removed).',
  );
}
