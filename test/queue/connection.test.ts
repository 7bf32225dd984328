import { expect } from 'chai';
import {
  createProducerConnection,
  describeRedisUrl,
  pingRedis,
  workerConnectionOptions,
} from '../../src/queue/connection.js';
import { freePort } from '../support/free-port.js';

describe('Redis connections (src/queue/connection.ts)', () => {
  it('describes REDIS_URL for messages with its password hidden, and everything else kept', () => {
    expect(describeRedisUrl('redis://:s3cret@redis.internal/2')).to.equal('redis://:***@redis.internal/2');
    expect(describeRedisUrl('rediss://app:s3cret@redis.internal/0')).to.equal('rediss://app:***@redis.internal/0');
    expect(describeRedisUrl('redis://redis.internal')).to.equal('redis://redis.internal');
    // Not a URL: shown as given, since it holds no parsable password to hide.
    expect(describeRedisUrl('not a url')).to.equal('not a url');
  });

  it('gives workers connections that retry for ever, as BullMQ requires of a worker', () => {
    expect(workerConnectionOptions('redis://redis.internal/3')).to.deep.equal({
      url: 'redis://redis.internal/3',
      maxRetriesPerRequest: null,
    });
  });

  it('gives the webhooks a producer connection that never waits on a missing Redis, and does not connect by itself', async () => {
    const connection = createProducerConnection(`redis://127.0.0.1:${await freePort()}/4`);
    try {
      expect(connection.options).to.include({
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 2000,
        lazyConnect: true,
        db: 4,
      });
      expect(connection.status).to.equal('wait');
      // No offline queue: a command while disconnected fails at once, it is not held until Redis returns.
      const started = Date.now();
      let failure: unknown;
      await connection.set('k', 'v').catch((error) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
      expect(Date.now() - started).to.be.below(1500);
    } finally {
      connection.disconnect();
    }
  });

  it('answers false, within its timeout and without retrying, when nothing listens at REDIS_URL', async () => {
    const started = Date.now();
    expect(await pingRedis(`redis://127.0.0.1:${await freePort()}`, 500)).to.equal(false);
    expect(Date.now() - started).to.be.below(1500);
  });
});
