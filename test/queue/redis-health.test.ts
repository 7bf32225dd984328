import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { RedisHealth, isConnectionError } from '../../src/queue/redis-health.js';

/** A connection as ioredis and BullMQ present one: 'error' and 'ready' events, a status. */
class FakeConnection extends EventEmitter {
  status = 'ready';
  fail(code = 'ECONNREFUSED'): void {
    this.emit('error', Object.assign(new Error(`connect ${code} 127.0.0.1:16379`), { code }));
  }
  ready(): void {
    this.emit('ready');
  }
}

describe('RedisHealth: one line per outage, however many connections', () => {
  let lines: Array<Record<string, unknown>>;
  let clock: number;
  let health: RedisHealth;
  let changes: boolean[];
  const url = 'redis://:s3cret-password@redis.internal/2';

  beforeEach(() => {
    lines = [];
    clock = 1_000;
    changes = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    health = new RedisHealth(createLogger('debug', sink), url, () => clock);
    health.onChange((up) => changes.push(up));
  });
  const messages = () => lines.map((line) => line.msg);

  it('says once that Redis is unreachable, with the URL less its credentials and the code, and once that it is back', () => {
    const connections = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (const connection of connections) health.watch(connection);
    expect(health.up).to.equal(true);
    for (let attempt = 0; attempt < 50; attempt += 1) for (const connection of connections) connection.fail();
    expect(health.up).to.equal(false);
    clock += 12_345;
    connections[1]!.ready();
    expect(health.up).to.equal(true);
    expect(messages()).to.deep.equal(['redis unreachable', 'redis reachable again']);
    expect(lines[0]).to.include({ level: 40, redis: 'redis://redis.internal/2', code: 'ECONNREFUSED' });
    expect(lines[0]).to.not.have.property('err');
    expect(JSON.stringify(lines)).to.not.include('s3cret');
    expect(lines[1]).to.include({ level: 30, outageMs: 12_345 });
    expect(changes).to.deep.equal([false, true]);
  });

  it('takes the late failures of connections still reconnecting for the outage just ended', () => {
    const [fast, slow] = [new FakeConnection(), new FakeConnection()];
    health.watch(fast);
    health.watch(slow);
    fast.fail();
    slow.fail();
    fast.ready();
    slow.fail('ECONNRESET'); // its retry was under way before Redis came back
    slow.fail();
    slow.ready();
    expect(messages()).to.deep.equal(['redis unreachable', 'redis reachable again']);
    expect(health.up).to.equal(true);
    // A connection that worked and fails again is a new outage.
    fast.fail();
    expect(messages()).to.deep.equal(['redis unreachable', 'redis reachable again', 'redis unreachable']);
    expect(changes).to.deep.equal([false, true, false]);
  });

  it('ignores connections closed on purpose, and everything once stopped', () => {
    const closing = new FakeConnection();
    const other = new FakeConnection();
    health.watch(closing);
    health.watch(other);
    closing.status = 'end';
    closing.fail();
    expect(health.up).to.equal(true);
    health.stop();
    other.fail();
    expect(health.up).to.equal(true);
    expect(lines).to.deep.equal([]);
  });

  it('tells connection failures from other errors', () => {
    expect(
      isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16379'), { code: 'ECONNREFUSED' })),
    ).to.equal(true);
    expect(isConnectionError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).to.equal(
      true,
    );
    expect(isConnectionError(new Error('Connection is closed.'))).to.equal(true);
    expect(isConnectionError(new Error('Missing lock for job 12. moveToFinished'))).to.equal(false);
    expect(isConnectionError(undefined)).to.equal(false);
  });
});
