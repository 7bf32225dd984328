import { Router } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';

/** `/healthz`: the process answers. `/readyz`: it can reach its database and Redis. */
export function healthRoutes(db: Knex, redis: Redis): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const [database, queue] = await Promise.all([
      db.raw('select 1').then(
        () => 'ok',
        () => 'unreachable',
      ),
      redis.ping().then(
        () => 'ok',
        () => 'unreachable',
      ),
    ]);
    const ready = database === 'ok' && queue === 'ok';
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: { database, redis: queue } });
  });
  return router;
}
