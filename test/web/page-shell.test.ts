import { expect } from 'chai';
import { buildCitizen } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The citizen pages' shell: language, strict policy, the office's name, the style sheet from here. */
describe('Web door: the page shell', () => {
  let server: TestServer;

  before(async () => {
    await buildCitizen();
    server = await startTestServer({ OFFICE_NAME: 'DPMPTSP Kota Contoh', WEB_RECEIPT_WAIT_MS: '300' });
  });

  after(async () => {
    await server?.stop();
  });

  it('serves /lapor in Bahasa Indonesia under a strict policy, with a link to English', async () => {
    const response = await fetch(`${server.baseUrl}/lapor`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).to.contain(directive);
    }
    expect(csp).to.not.contain('unsafe-inline');
    expect(response.headers.get('cache-control')).to.equal('no-store');
    const html = await response.text();
    expect(html).to.match(/^<!doctype html><html lang="id">/);
    expect(html).to.contain('DPMPTSP Kota Contoh').and.contain('href="/lapor?lang=en"');
    expect(html).to.contain('href="#content"');
    expect(html).to.not.match(/<style|style="|<script>(?!<\/script>)/);
  });

  it('speaks English with ?lang=en and links back to Bahasa Indonesia', async () => {
    const html = await (await fetch(`${server.baseUrl}/lapor?lang=en`)).text();
    expect(html).to.contain('<html lang="en">').and.contain('href="/lapor?lang=id"');
    expect(html).to.contain('Skip to content');
  });

  it('serves the hashed style sheet from this origin, cached for a year', async () => {
    const html = await (await fetch(`${server.baseUrl}/lapor`)).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
    expect(href).to.match(/^\/citizen\/assets\/styles-[A-Z0-9]+\.css$/);
    const css = await fetch(server.baseUrl + href);
    expect(css.status).to.equal(200);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
    expect(css.headers.get('cache-control')).to.contain('immutable');
    expect(await css.text())
      .to.not.contain('@import')
      .and.not.contain('url(http');
    expect((await fetch(`${server.baseUrl}/citizen/assets/nothing.css`)).status).to.equal(404);
  });

  it('says a report not yet a ticket is safe, with a link to look again, and sends an unknown key to a fresh form', async () => {
    const key = 'AbCdEfGhIjKlMnOpQrStUv';
    // Recorded but not yet taken by a worker (never enqueued here): the ticket does not exist yet.
    await server.runtime.db('inbox').insert({
      provider: 'web',
      external_id: key,
      channel: 'web',
      envelope: JSON.stringify({ channel: 'web', provider: 'web', externalId: key, from: { phone: '+6281234567999' } }),
      received_at: new Date(),
    });
    const pending = await fetch(`${server.baseUrl}/lapor/diterima/${key}?lang=en`);
    expect(pending.status).to.equal(200);
    const html = await pending.text();
    expect(html).to.contain('Your report is saved').and.contain(`href="/lapor/diterima/${key}?lang=en"`);
    expect(html).to.not.contain('id="reference"');
    const unknown = await fetch(`${server.baseUrl}/lapor/diterima/ZZZZZZZZZZZZZZZZZZZZZZ`, { redirect: 'manual' });
    expect(unknown.status).to.equal(303);
    expect(unknown.headers.get('location')).to.equal('/lapor?lang=id');
  });
});
