/**
 * The Redis every test uses: REDIS_URL when it is set (any host, port, database or password), the
 * local default otherwise. Test servers and the server a test starts as a child process get it too.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Where TEST_REDIS_URL's server listens, for a TCP proxy in front of it. */
export function redisAddress(url = TEST_REDIS_URL): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port) || 6379 };
}

/** The same Redis (database, user, password) reached at another address, such as a proxy's. */
export function redisUrlVia(host: string, port: number, url = TEST_REDIS_URL): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  parsed.port = String(port);
  return parsed.toString();
}
