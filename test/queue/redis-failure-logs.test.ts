import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { RedisHealth, logQueueErrors, logRedisFailure } from '../../src/queue/redis-health.js';

// RedisHealth's one line per outage is test/queue/redis-health.test.ts; these are the lines of the
// operations that fail during one, which must not repeat what the outage's line says.

describe('Redis failures in the logs: a warning for a real problem, not a stack per webhook in an outage', () => {
  let lines: Array<Record<string, unknown>>;
  const logger = () => {
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return createLogger('debug', sink);
  };
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16379'), { code: 'ECONNREFUSED' });

  it('logRedisFailure: Redis unreachable is a debug line with the reason and no error; anything else a warning with it', () => {
    const log = logger();
    logRedisFailure(log, refused(), { outboxIds: [4] }, 'could not enqueue acknowledgements; the sweeper will');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      level: 20,
      msg: 'could not enqueue acknowledgements; the sweeper will',
      reason: 'connect ECONNREFUSED 127.0.0.1:16379',
    });
    expect(lines[0]).to.deep.include({ outboxIds: [4] });
    expect(lines[0]).to.not.have.property('err');
    logRedisFailure(log, new Error('OOM command not allowed'), { outboxIds: [5] }, 'could not enqueue');
    expect(lines[1]).to.include({ level: 40, msg: 'could not enqueue' });
    expect(lines[1]).to.have.nested.property('err.message', 'OOM command not allowed');
  });

  it("logQueueErrors: a queue's or worker's connection errors are left to RedisHealth, others are warnings", () => {
    const log = logger();
    const queue = new EventEmitter();
    logQueueErrors(queue, log, 'outbound queue');
    for (let retry = 0; retry < 20; retry += 1) queue.emit('error', refused());
    queue.emit('error', new Error('Connection is closed.'));
    expect(lines).to.deep.equal([]);
    queue.emit('error', new Error('Missing lock for job 12. moveToFinished'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ level: 40, msg: 'outbound queue problem' });
  });

  it('an unreadable REDIS_URL is not printed, even in part', () => {
    const log = logger();
    const health = new RedisHealth(log, 'redis//user:s3cret@@host', () => 0);
    const connection = new EventEmitter();
    health.watch(connection);
    connection.emit('error', refused());
    expect(lines[0]).to.include({ msg: 'redis unreachable', redis: '(REDIS_URL unreadable)' });
    expect(JSON.stringify(lines)).to.not.include('s3cret');
  });
});
