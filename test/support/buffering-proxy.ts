import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a test server that, once `buffering` is on, holds the body of the
 * responses `buffers(path)` picks until the server has finished them, as a proxy that buffers
 * answers does (nginx with proxy_buffering and no regard for X-Accel-Buffering): the status and
 * headers go through at once, an event stream's bytes never do; with `holdHeaders`, not even the
 * headers (a gateway that scans whole answers). Every other request passes as it is.
 */
export class BufferingProxy {
  buffering = false;
  /** While buffering, hold the status and headers too (the whole answer), as some gateways do. */
  holdHeaders = false;
  port = 0;
  private server?: http.Server;

  constructor(
    private readonly targetPort: number,
    private readonly buffers: (path: string) => boolean,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: this.targetPort,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          if (!(this.buffering && this.buffers(request.url ?? ''))) {
            answer.pipe(response);
            return;
          }
          if (!this.holdHeaders) response.flushHeaders();
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => response.end(Buffer.concat(chunks)));
        },
      );
      upstream.on('error', () => response.destroy());
      // The browser gave up (or the answer is done): nothing more to wait for upstream.
      response.on('close', () => upstream.destroy());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
