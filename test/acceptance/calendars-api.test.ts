import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Calendar {
  id: number;
  slug: string;
  time_zone: string;
  weekly_hours: Record<string, string[][]>;
  is_default: boolean;
  teams: Array<{ id: number; slug: string }>;
}
interface Preview {
  deadline: string | null;
  deadline_local: string | null;
  is_open: boolean;
  next_opening: string;
  next_opening_local: string;
}

// A decree shaped like the published 2026 file (test/fixtures/data/holidays-id-2026.json), with
// made-up 2027 dates: what an administrator loads when the next joint decree comes out.
const DECREE_2027 = {
  source: 'Test data shaped like the joint decree (SKB) on national holidays and cuti bersama',
  country: 'ID',
  year: 2027,
  national_holidays: [
    { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi' },
    { date: '2027-03-10', name: 'Idul Fitri 1448 H' },
    { date: '2027-03-11', name: 'Idul Fitri 1448 H' },
    { date: '2027-08-17', name: 'Proklamasi Kemerdekaan' },
  ],
  cuti_bersama: [
    { date: '2027-03-12', name: 'Cuti bersama Idul Fitri' },
    { date: '2027-06-11', name: 'Cuti bersama (test)' },
  ],
};

describe("Calendars through the API (issue 4: admins edit calendars and load a new year's holidays)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let agentToken: string;
  let calendar: Calendar;
  let agency: number;
  let decreeFile: string;

  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  async function call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }> {
    const init = json(method, body);
    const response = token
      ? await fetch(server.baseUrl + route, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
        })
      : await server.api(route, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
  const data = async <T>(method: string, route: string, body?: unknown, status = 200): Promise<T> => {
    const answer = await call<{ data: T }>(method, route, body);
    expect(answer.status, `${method} ${route} → ${JSON.stringify(answer.body)}`).to.equal(status);
    return answer.body.data;
  };
  const deadline = (query: string) => data<Preview>('GET', `/api/v1/calendars/${calendar.id}/deadline?${query}`);

  before(async () => {
    server = await startTestServer();
    agency = (await data<{ id: number }>('POST', '/api/v1/teams', { slug: 'dinas-pupr', name: 'Dinas PUPR' }, 201)).id;
    await data(
      'POST',
      '/api/v1/agents',
      {
        email: 'petugas@dpmptsp.example.go.id',
        name: 'Petugas',
        role: 'agent',
        password: 'sandi-petugas-1234',
        teams: [agency],
      },
      201,
    );
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'petugas@dpmptsp.example.go.id', password: 'sandi-petugas-1234' }),
    );
    agentToken = ((await login.json()) as { token: string }).token;
    decreeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-holidays-')), 'holidays-id-2027.json');
    fs.writeFileSync(decreeFile, JSON.stringify(DECREE_2027, null, 2));
  });
  after(async () => {
    await server?.stop();
    if (decreeFile) fs.rmSync(path.dirname(decreeFile), { recursive: true, force: true });
  });

  it('lets any agent read the default calendar (WITA, government hours, the 2026 holidays)', async () => {
    const listed = await call<{ data: Calendar[] }>('GET', '/api/v1/calendars', undefined, agentToken);
    expect(listed.status).to.equal(200);
    const fallback = listed.body.data.find((entry) => entry.is_default)!;
    expect(fallback).to.include({ slug: 'default', time_zone: 'Asia/Makassar' });
    expect(fallback.weekly_hours.fri).to.deep.equal([
      ['07:30', '11:30'],
      ['13:00', '16:30'],
    ]);
    const holidays = await call<{ data: unknown[] }>(
      'GET',
      `/api/v1/calendars/${fallback.id}/holidays?year=2026`,
      undefined,
      agentToken,
    );
    expect(holidays.body.data).to.have.length(25);
  });

  it('creates a calendar from the default one and gives it to a team, which shows it', async () => {
    const fallback = (await data<Calendar[]>('GET', '/api/v1/calendars')).find((entry) => entry.is_default)!;
    calendar = await data<Calendar>(
      'POST',
      '/api/v1/calendars',
      { slug: 'dinas-pupr', name: 'Jam kerja Dinas PUPR', copy_from: fallback.id },
      201,
    );
    expect(calendar).to.include({ time_zone: 'Asia/Makassar', is_default: false });
    expect(await data<unknown[]>('GET', `/api/v1/calendars/${calendar.id}/holidays?year=2026`)).to.have.length(25);
    const team = await data<{ calendar_id: number | null }>('PATCH', `/api/v1/teams/${agency}`, {
      calendar_id: calendar.id,
    });
    expect(team.calendar_id).to.equal(calendar.id);
    expect((await data<{ calendar_id: number }>('GET', `/api/v1/teams/${agency}`)).calendar_id).to.equal(calendar.id);
    expect((await data<Calendar>('GET', `/api/v1/calendars/${calendar.id}`)).teams).to.deep.equal([
      { id: agency, slug: 'dinas-pupr' },
    ]);
    expect((await call('PATCH', `/api/v1/teams/${agency}`, { calendar_id: 999_999 })).status).to.equal(422);
  });

  it("loads a year's decree from a file, and a deadline moves across its holidays and a new regional one", async () => {
    // Received Thursday 10 June 2027, 10:00 WITA; 3 working days: Friday, Monday, Tuesday.
    const query = `from=${encodeURIComponent('2027-06-10T10:00:00+08:00')}&working_days=3`;
    expect((await deadline(query)).deadline_local).to.equal('2027-06-15T16:00:00+08:00');

    const decree = JSON.parse(fs.readFileSync(decreeFile, 'utf8')) as unknown;
    const loaded = await data<Record<string, number>>('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, decree);
    expect(loaded).to.deep.equal({ year: 2027, added: 6, updated: 0, removed: 0, unchanged: 0 });
    // Friday 11 June is now cuti bersama: Monday, Tuesday, Wednesday.
    expect((await deadline(query)).deadline_local).to.equal('2027-06-16T16:00:00+08:00');
    const again = await data<Record<string, number>>('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, decree);
    expect(again).to.include({ added: 0, unchanged: 6 });

    // The region declares Monday 14 June a holiday: Tuesday, Wednesday, Thursday.
    const declared = await data<{ kind: string }>(
      'PUT',
      `/api/v1/calendars/${calendar.id}/holidays/2027/2027-06-14`,
      { name: 'Hari jadi kota' },
      201,
    );
    expect(declared.kind).to.equal('regional');
    const preview = await deadline(query);
    expect(preview.deadline).to.equal('2027-06-17T08:00:00.000Z');
    expect(preview.is_open).to.equal(true);
    expect(
      (await data<unknown[]>('GET', `/api/v1/calendars/${calendar.id}/holidays?year=2027`)).map(
        (entry) => (entry as { date: string }).date,
      ),
    ).to.include('2027-06-14');

    // A revised decree without the June cuti bersama removes it, but keeps the regional holiday.
    const revised = { ...DECREE_2027, cuti_bersama: DECREE_2027.cuti_bersama.slice(0, 1) };
    expect(await data('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, revised)).to.include({
      removed: 1,
      unchanged: 5,
    });
    expect((await deadline(query)).deadline_local).to.equal('2027-06-16T16:00:00+08:00');
    expect((await call('DELETE', `/api/v1/calendars/${calendar.id}/holidays/2027/2027-06-14`)).status).to.equal(204);
    expect((await deadline(query)).deadline_local).to.equal('2027-06-15T16:00:00+08:00');
    expect((await call('DELETE', `/api/v1/calendars/${calendar.id}/holidays/2027/2027-06-14`)).status).to.equal(404);
  });

  it('sets a month of shorter Ramadan hours by weekday, and single dated exceptions', async () => {
    const ramadan = {
      from: '2027-02-08',
      to: '2027-03-09',
      weekly_hours: {
        mon: [['08:00', '15:00']],
        tue: [['08:00', '15:00']],
        wed: [['08:00', '15:00']],
        thu: [['08:00', '15:00']],
        fri: [
          ['08:00', '11:30'],
          ['13:00', '15:30'],
        ],
      },
      note: 'Ramadan 1448 H',
    };
    expect(await data('PUT', `/api/v1/calendars/${calendar.id}/exceptions`, ramadan)).to.deep.equal({
      set: 22,
      removed: 0,
    });
    expect(await data('PUT', `/api/v1/calendars/${calendar.id}/exceptions`, ramadan)).to.deep.equal({
      set: 22,
      removed: 22,
    });
    // Wednesday 3 March, 1 working day: the day closes at 15:00; a Saturday in the range stays closed.
    expect(
      (await deadline(`from=${encodeURIComponent('2027-03-02T20:00:00+08:00')}&working_days=1`)).deadline_local,
    ).to.equal('2027-03-03T15:00:00+08:00');
    const saturday = await deadline(`from=${encodeURIComponent('2027-02-13T10:00:00+08:00')}`);
    expect(saturday).to.include({ is_open: false, deadline: null, next_opening_local: '2027-02-15T08:00:00+08:00' });

    // A regional day off on Tuesday 4 May: the office opens again on Wednesday.
    expect(
      (await call('PUT', `/api/v1/calendars/${calendar.id}/exceptions/2027-05-04`, { hours: [], note: 'Libur daerah' }))
        .status,
    ).to.equal(201);
    expect(await deadline(`from=${encodeURIComponent('2027-05-04T09:00:00+08:00')}`)).to.include({
      is_open: false,
      next_opening_local: '2027-05-05T07:30:00+08:00',
    });
    const listed = await data<Array<{ date: string; hours: unknown[] }>>(
      'GET',
      `/api/v1/calendars/${calendar.id}/exceptions?from=2027-05-01&to=2027-05-31`,
    );
    expect(listed).to.deep.equal([{ date: '2027-05-04', hours: [], note: 'Libur daerah' }]);
    expect((await call('DELETE', `/api/v1/calendars/${calendar.id}/exceptions/2027-05-04`)).status).to.equal(204);
    expect((await deadline(`from=${encodeURIComponent('2027-05-04T09:00:00+08:00')}`)).is_open).to.equal(true);
    // Clearing the range: every weekday back to its usual hours.
    expect(
      await data('PUT', `/api/v1/calendars/${calendar.id}/exceptions`, { ...ramadan, weekly_hours: {} }),
    ).to.deep.equal({ set: 0, removed: 22 });
  });

  it('changes the time zone and hours: deadlines follow at once', async () => {
    const changed = await data<Calendar>('PATCH', `/api/v1/calendars/${calendar.id}`, {
      time_zone: 'Asia/Jakarta',
      weekly_hours: {
        mon: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        tue: [['08:00', '17:00']],
      },
    });
    expect(changed.weekly_hours.wed).to.deep.equal([]);
    // Tuesday 15 June, 1 working day from Monday 14 June 20:00 WIB: Tuesday closes at 17:00 WIB.
    const preview = await deadline(`from=${encodeURIComponent('2027-06-14T20:00:00+07:00')}&working_days=1`);
    expect(preview.deadline_local).to.equal('2027-06-15T17:00:00+07:00');
    expect(
      (await deadline(`from=${encodeURIComponent('2027-06-14T08:00:00+07:00')}&working_minutes=300`)).deadline_local,
    ).to.equal('2027-06-14T14:00:00+07:00');
  });

  it('refuses an unknown time zone, overlapping hours and a week without working time with 422', async () => {
    const refused = await call<{ error: { code: string; message: string } }>('POST', '/api/v1/calendars', {
      slug: 'atlantis',
      name: 'Atlantis',
      time_zone: 'Asia/Atlantis',
    });
    expect(refused.status).to.equal(422);
    expect(refused.body.error).to.include({ code: 'invalid_calendar' });
    expect(refused.body.error.message).to.match(/Asia\/Atlantis/);
    const overlap = await call<{ error: { code: string } }>('PATCH', `/api/v1/calendars/${calendar.id}`, {
      weekly_hours: {
        mon: [
          ['08:00', '12:00'],
          ['11:00', '16:00'],
        ],
      },
    });
    expect(overlap.status).to.equal(422);
    expect((await call('PATCH', `/api/v1/calendars/${calendar.id}`, { weekly_hours: {} })).status).to.equal(422);
    expect(
      (await call('PUT', `/api/v1/calendars/${calendar.id}/exceptions/2027-05-04`, { hours: [['15:00', '09:00']] }))
        .status,
    ).to.equal(422);
    expect((await call('POST', '/api/v1/calendars', { slug: 'dinas-pupr', name: 'Lagi' })).status).to.equal(422);
    // The calendar is unchanged by the refusals.
    expect((await data<Calendar>('GET', `/api/v1/calendars/${calendar.id}`)).time_zone).to.equal('Asia/Jakarta');
  });

  it('answers 400 for malformed input, 403 to non-admins writing, 404 for unknown ids', async () => {
    expect(
      (
        await call('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, [
          { date: '2028-01-01', name: 'Salah tahun', kind: 'national' },
        ])
      ).status,
    ).to.equal(400);
    expect(
      (await call('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, { ...DECREE_2027, year: 2028 })).status,
    ).to.equal(400);
    expect(
      (await call('PUT', `/api/v1/calendars/${calendar.id}/holidays/2027/2028-01-01`, { name: 'x' })).status,
    ).to.equal(400);
    expect(
      (await call('PUT', `/api/v1/calendars/${calendar.id}/exceptions/2027-02-30`, { hours: [] })).status,
    ).to.equal(400);
    expect(
      (await call('GET', `/api/v1/calendars/${calendar.id}/deadline?working_days=1&working_minutes=5`)).status,
    ).to.equal(400);
    expect((await call('GET', `/api/v1/calendars/${calendar.id}/deadline?from=yesterday`)).status).to.equal(400);

    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/calendars', { slug: 'coba', name: 'Coba' }],
      ['PATCH', `/api/v1/calendars/${calendar.id}`, { name: 'Coba' }],
      ['DELETE', `/api/v1/calendars/${calendar.id}`, undefined],
      ['PUT', `/api/v1/calendars/${calendar.id}/holidays/2027`, DECREE_2027],
      ['PUT', `/api/v1/calendars/${calendar.id}/holidays/2027/2027-06-14`, { name: 'x' }],
      ['PUT', `/api/v1/calendars/${calendar.id}/exceptions/2027-05-04`, { hours: [] }],
    ];
    for (const [method, route, body] of writes)
      expect((await call(method, route, body, agentToken)).status, `${method} ${route} as an agent`).to.equal(403);
    expect(
      (await call('GET', `/api/v1/calendars/${calendar.id}/deadline?working_days=1`, undefined, agentToken)).status,
    ).to.equal(200);

    for (const [method, route, body] of [
      ['GET', '/api/v1/calendars/999999', undefined],
      ['PATCH', '/api/v1/calendars/999999', { name: 'x' }],
      ['DELETE', '/api/v1/calendars/999999', undefined],
      ['GET', '/api/v1/calendars/999999/deadline?working_days=1', undefined],
      ['GET', '/api/v1/calendars/999999/holidays', undefined],
      ['PUT', '/api/v1/calendars/999999/holidays/2027', DECREE_2027],
      ['PUT', '/api/v1/calendars/999999/holidays/2027/2027-06-14', { name: 'x' }],
      ['PUT', '/api/v1/calendars/999999/exceptions/2027-05-04', { hours: [] }],
      ['DELETE', `/api/v1/calendars/${calendar.id}/exceptions/2027-12-31`, undefined],
    ] as const) {
      expect((await call(method, route, body)).status, `${method} ${route}`).to.equal(404);
    }
  });

  it('deletes a calendar: its teams fall back to the default one, which cannot be deleted', async () => {
    expect((await call('DELETE', `/api/v1/calendars/${calendar.id}`)).status).to.equal(204);
    expect((await data<{ calendar_id: number | null }>('GET', `/api/v1/teams/${agency}`)).calendar_id).to.equal(null);
    expect((await call('GET', `/api/v1/calendars/${calendar.id}/holidays`)).status).to.equal(404);
    const left = await server.runtime
      .db('calendar_holidays')
      .where({ calendar_id: calendar.id })
      .count({ n: '*' })
      .first();
    expect(Number(left?.n), 'holidays left of the deleted calendar').to.equal(0);
    const fallback = (await data<Calendar[]>('GET', '/api/v1/calendars')).find((entry) => entry.is_default)!;
    const refused = await call<{ error: { code: string } }>('DELETE', `/api/v1/calendars/${fallback.id}`);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal('default_calendar');
  });
});
