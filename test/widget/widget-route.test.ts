import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { buildWidget, WIDGET_LIMIT_BYTES } from '../../web/build.mjs';
import { loadConfig } from '../../src/config.js';
import { securityHeaders } from '../../src/http/security-headers.js';
import { widgetRoutes } from '../../src/http/widget-route.js';

/** The widget's build and the route that serves it, headers first: who may load and frame what. */
describe('chat widget route', function () {
  this.timeout(60_000);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-widget-'));
  let built: Awaited<ReturnType<typeof buildWidget>>;
  let base: string;
  let server: ReturnType<express.Express['listen']>;

  before(async () => {
    built = await buildWidget(outDir);
    const app = express();
    app.use(securityHeaders());
    app.use(
      widgetRoutes({
        publicUrl: 'https://helpdesk.example.go.id/',
        allowedOrigins: ['https://dpmptsp.example.go.id', 'https://*.kab.example.go.id'],
        directory: outDir,
      }),
    );
    app.use(
      '/nothing-built',
      widgetRoutes({ publicUrl: 'https://helpdesk.example.go.id', directory: path.join(outDir, 'none') }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('builds a loader, a frame script and a style sheet within 30 KB gzipped', () => {
    expect(built.gzippedBytes).to.be.below(WIDGET_LIMIT_BYTES);
    expect(built.files.loader).to.be.below(4 * 1024); // the part every page of the office's site loads
    const loader = fs.readFileSync(path.join(outDir, 'widget.js'), 'utf8');
    expect(loader).to.match(/^"use strict";\(\(\)=>\{/); // an IIFE: nothing on window
    expect(loader).to.not.match(/innerHTML|insertAdjacentHTML|localStorage|document\.cookie/);
  });

  it('serves the loader for other sites to load, cached briefly', async () => {
    const answer = await fetch(`${base}/chat/widget.js`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(answer.headers.get('cross-origin-resource-policy')).to.equal('cross-origin');
    expect(answer.headers.get('cache-control')).to.equal('public, max-age=300');
    expect(await answer.text()).to.equal(fs.readFileSync(path.join(outDir, 'widget.js'), 'utf8'));
  });

  it('serves the frame under a strict CSP that lets only our origin and the configured sites frame it', async () => {
    const answer = await fetch(`${base}/chat/frame?lang=en`);
    expect(answer.status).to.equal(200);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.include("default-src 'none'");
    expect(csp).to.include(
      "frame-ancestors 'self' https://helpdesk.example.go.id https://dpmptsp.example.go.id https://*.kab.example.go.id",
    );
    expect(csp).to.not.match(/unsafe-inline|unsafe-eval|\*(?!\.)/);
    expect(answer.headers.get('x-frame-options')).to.equal(null);
    expect(answer.headers.get('cache-control')).to.equal('no-store');
    const html = await answer.text();
    expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/i); // nothing inline
    const script = /src="(\/chat\/assets\/frame-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/chat\/assets\/frame-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    for (const asset of [script, style]) {
      expect(asset, 'a hashed asset named in frame.html').to.be.a('string');
      const file = await fetch(base + asset);
      expect(file.status).to.equal(200);
      expect(file.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${base}/chat/assets/frame-MISSING.js`)).status).to.equal(404);
  });

  it('says so when the widget is not built, in JSON', async () => {
    const answer = await fetch(`${base}/nothing-built/chat/widget.js`);
    expect(answer.status).to.equal(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal('widget_not_built');
  });

  it('takes origins for WIDGET_ALLOWED_ORIGINS and refuses anything else', () => {
    expect(loadConfig({}).WIDGET_ALLOWED_ORIGINS).to.equal(undefined);
    expect(
      loadConfig({ WIDGET_ALLOWED_ORIGINS: 'https://a.go.id, http://localhost:8080 https://*.b.go.id' })
        .WIDGET_ALLOWED_ORIGINS,
    ).to.deep.equal(['https://a.go.id', 'http://localhost:8080', 'https://*.b.go.id']);
    for (const wrong of ['*', 'https://a.go.id/path', 'a.go.id', "https://a.go.id 'unsafe-inline'", 'javascript:x']) {
      expect(() => loadConfig({ WIDGET_ALLOWED_ORIGINS: wrong }), wrong).to.throw(/WIDGET_ALLOWED_ORIGINS/);
    }
  });
});
