import { expect } from 'chai';
import { buildCitizen } from '../../web/build.mjs';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The citizen pages' shell: language, strict policy, the office's name, the style sheet from here. */
describe('Web door: the page shell', () => {
  let server: TestServer;

  before(async () => {
    await buildCitizen();
    server = await startTestServer({ OFFICE_NAME: 'DPMPTSP Kota Contoh' });
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
});
