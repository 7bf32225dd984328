import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Inputs at the edge of what the API takes: each is a 4xx with a JSON body naming the problem. */
describe('The HTTP edge: malformed and out-of-range input is a 4xx, never a 500', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  async function expectClientError(path: string, code: string): Promise<void> {
    const response = await server.api(path);
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    expect(response.status, `${path}: ${JSON.stringify(body)}`).to.equal(400);
    expect(body.error?.code).to.equal(code);
    expect(body.error?.message).to.be.a('string').and.not.equal('Internal error');
  }

  for (const path of ['/api/v1/tickets/%E0%A4%A', '/api/v1/tasks/%', '/api/v1/calendars/%zz/holidays']) {
    it(`a malformed percent-escape in ${path}`, () => expectClientError(path, 'invalid_path'));
  }

  for (const period of [
    'from=9999-01-01',
    'from=9999-12-31&to=9999-12-31',
    'from=0000-01-01&to=0000-12-31',
    'from=9999-12-31T23:59:00Z&to=9999-12-31T23:59:59Z',
  ]) {
    it(`a summary period outside the years a calendar can place: ${period}`, () =>
      expectClientError(`/api/v1/metrics/summary?${period}`, 'invalid_request'));
  }

  for (const query of ['working_minutes=525601', 'working_days=366', 'from=9999-12-31T08:00:00Z&working_days=5']) {
    it(`a deadline beyond the years a calendar can place: ${query}`, () =>
      expectClientError(`/api/v1/calendars/1/deadline?${query}`, 'invalid_request'));
  }
  it('a deadline beyond the years any calendar is kept for', () =>
    expectClientError(
      '/api/v1/calendars/1/deadline?from=2026-12-01T08:00:00%2B08:00&working_minutes=999999',
      'invalid_request',
    ));
});
