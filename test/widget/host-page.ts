import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  /** http://localhost:<port>: another origin than the widget's (http://127.0.0.1:<port>). */
  origin: string;
  /** The office's page with the embed tag. */
  url: string;
  /** The same page without it, for what the page has of its own. */
  plainUrl: string;
  close(): Promise<void>;
}

/**
 * An office's website, on another origin than ours, embedding the widget the way the office is
 * told to: `<script src=".../chat/widget.js" async>`. Its CSP is strict (no inline script or style,
 * scripts and frames from our origin only) and its style sheet is hostile to buttons and frames,
 * so that the test sees the loader needs neither and is not bent by it.
 */
/** `widgetOrigin` is asked at each request: the office's origin may have to be known before ours is. */
export async function startHostPage(widgetOrigin: () => string, lang?: 'en'): Promise<HostPage> {
  const page = (withWidget: boolean) => `<!doctype html>
<html lang="id">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>DPMPTSP Kabupaten Contoh</title>
    <link rel="stylesheet" href="/host.css" />
    ${withWidget ? `<script src="${widgetOrigin()}/chat/widget.js" async${lang ? ` data-lang="${lang}"` : ''}></script>` : ''}
  </head>
  <body>
    <main>
      <h1>Dinas Penanaman Modal dan PTSP</h1>
      <p>Layanan perizinan berusaha.</p>
      <a href="/izin">Daftar izin</a>
    </main>
  </body>
</html>`;
  const server = http.createServer((request, response) => {
    const csp = `default-src 'none'; script-src ${widgetOrigin()}; frame-src ${widgetOrigin()}; style-src 'self'`;
    if (request.url === '/host.css') {
      response.writeHead(200, { 'content-type': 'text/css' });
      return response.end('button, iframe, div { background: rgb(255, 0, 0) !important; font-size: 40px; }\n');
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    response.end(page(request.url !== '/plain'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/`,
    plainUrl: `${origin}/plain`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
