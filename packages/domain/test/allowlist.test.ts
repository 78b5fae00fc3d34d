import { allowedKeys, findServerPropertyErrors, isKeyAllowed, validateServerProperties } from '../src/allowlist';
import { CONTROL_PLANE_KEYS } from '../src/server-properties';
import { expectBadRequest } from './helpers';

// The 2023 snapshot of MSK's settable keys (docs/msk-behaviour.md §6).
const MSK_DOCUMENTED = `allow.everyone.if.no.acl.found auto.create.topics.enable compression.type connections.max.idle.ms
default.replication.factor delete.topic.enable group.initial.rebalance.delay.ms group.max.session.timeout.ms
group.min.session.timeout.ms leader.imbalance.per.broker.percentage log.cleaner.delete.retention.ms
log.cleaner.min.cleanable.ratio log.cleanup.policy log.flush.interval.messages log.flush.interval.ms
log.message.timestamp.difference.max.ms log.message.timestamp.type log.retention.bytes log.retention.hours
log.retention.minutes log.retention.ms log.roll.ms log.segment.bytes max.incremental.fetch.session.cache.slots
message.max.bytes min.insync.replicas num.io.threads num.network.threads num.partitions
num.recovery.threads.per.data.dir num.replica.fetchers offsets.retention.minutes offsets.topic.replication.factor
replica.fetch.max.bytes replica.fetch.response.max.bytes replica.lag.time.max.ms replica.selector.class
replica.socket.receive.buffer.bytes socket.receive.buffer.bytes socket.request.max.bytes socket.send.buffer.bytes
transaction.max.timeout.ms transaction.state.log.min.isr transaction.state.log.replication.factor
transactional.id.expiration.ms unclean.leader.election.enable zookeeper.connection.timeout.ms
zookeeper.session.timeout.ms`.split(/\s+/);

const ALL = '[3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]';
const unsupported = (key: string, versions: string) =>
  `Key '${key}' is not supported by at least one Apache Kafka version. Key checked against versions: ${versions}`;
const errorsOf = (text: string, versions: string[]) => {
  const err = expectBadRequest(() => validateServerProperties(text, versions), /^\[/, 'serverProperties');
  return JSON.parse(err.message);
};

describe('allowedKeys', () => {
  test('a ZooKeeper version allows every documented key plus the 3.6+ timestamp keys', () => {
    expect(allowedKeys('3.8.x').sort()).toEqual(
      [...MSK_DOCUMENTED, 'log.message.timestamp.after.max.ms', 'log.message.timestamp.before.max.ms'].sort(),
    );
  });

  test('.kraft versions never allow ZooKeeper keys', () => {
    for (const v of ['3.9.x.kraft', '4.1.x.kraft']) {
      expect(isKeyAllowed('zookeeper.session.timeout.ms', v)).toBe(false);
      expect(isKeyAllowed('zookeeper.connection.timeout.ms', v)).toBe(false);
    }
    expect(isKeyAllowed('zookeeper.session.timeout.ms', '3.9.x')).toBe(true);
  });

  test('Kafka 4 drops log.message.timestamp.difference.max.ms', () => {
    expect(isKeyAllowed('log.message.timestamp.difference.max.ms', '3.9.x.kraft')).toBe(true);
    expect(isKeyAllowed('log.message.timestamp.difference.max.ms', '4.1.x.kraft')).toBe(false);
    expect(isKeyAllowed('log.message.timestamp.before.max.ms', '4.1.x.kraft')).toBe(true);
  });

  test('never lets a control-plane key through, in any version', () => {
    for (const v of ['3.8.x', '3.9.x', '3.9.x.kraft', '4.1.x.kraft']) {
      for (const k of [...CONTROL_PLANE_KEYS, 'ssl.keystore.location', 'listener.name.tls.ssl.client.auth']) {
        expect(isKeyAllowed(k, v)).toBe(false);
      }
    }
  });

  test('an unknown version allows nothing', () => {
    expect(allowedKeys('2.8.1')).toEqual([]);
  });
});

describe('validateServerProperties', () => {
  test('returns the effective keys of a valid configuration', () => {
    const text = 'auto.create.topics.enable = true\nnum.partitions=3 \nlog.cleanup.policy=compact, delete\n';
    expect([...validateServerProperties(text, ['3.8.x', '3.9.x'])]).toEqual([
      ['auto.create.topics.enable', 'true'], ['num.partitions', '3 '], ['log.cleanup.policy', 'compact, delete'],
    ]);
  });

  test("rejects an unknown key with MSK's JSON-array message", () => {
    const err = expectBadRequest(
      () => validateServerProperties('auto.leader.rebalance.enable=false', ['3.8.x', '3.9.x']),
      `[{"name":"auto.leader.rebalance.enable","value":"false","errorMessages":["${unsupported('auto.leader.rebalance.enable', '[3.8.x, 3.9.x]')}"]}]`,
      'serverProperties',
    );
    expect(err.status).toBe(400);
  });

  test('lists every bad key once, in input order, and checks all versions when none are given', () => {
    expect(errorsOf('listeners=PLAINTEXT://:9092\nnum.partitions=2\nbroker.id=7\nfoo=bar', [])).toEqual([
      { name: 'listeners', value: 'PLAINTEXT://:9092', errorMessages: [unsupported('listeners', ALL)] },
      { name: 'broker.id', value: '7', errorMessages: [unsupported('broker.id', ALL)] },
      { name: 'foo', value: 'bar', errorMessages: [unsupported('foo', ALL)] },
    ]);
  });

  test('a ZooKeeper key fails as soon as one listed version is KRaft', () => {
    expect(validateServerProperties('zookeeper.session.timeout.ms=6000', ['3.9.x']).size).toBe(1);
    expect(errorsOf('zookeeper.session.timeout.ms=6000', ['3.9.x', '3.9.x.kraft'])).toEqual([
      { name: 'zookeeper.session.timeout.ms', value: '6000', errorMessages: [unsupported('zookeeper.session.timeout.ms', '[3.9.x, 3.9.x.kraft]')] },
    ]);
  });

  test('duplicate keys: the last value is the one checked', () => {
    expect(validateServerProperties('num.partitions=x\nnum.partitions=4', ['3.8.x']).get('num.partitions')).toBe('4');
    expect(errorsOf('num.partitions=4\nnum.partitions=x', ['3.8.x'])[0]).toMatchObject({ name: 'num.partitions', value: 'x' });
  });

  test.each([
    ['replica.lag.time.max.ms', '9999', 'Valid range: [10000, 30000]'],
    ['replica.lag.time.max.ms', '30001', 'Valid range: [10000, 30000]'],
    ['zookeeper.session.timeout.ms', '5999', 'Valid range: [6000, 18000]'],
    ['zookeeper.session.timeout.ms', '18001', 'Valid range: [6000, 18000]'],
    ['socket.send.buffer.bytes', '-2', 'Valid range: [-1, 2147483647]'],
    ['socket.receive.buffer.bytes', '1k', 'Valid range: [-1, 2147483647]'],
    ['num.partitions', 'three', 'Valid range: [1, 2147483647]'],
    ['num.partitions', '2147483648', 'Valid range: [1, 2147483647]'],
    ['num.partitions', '1.5', 'Valid range: [1, 2147483647]'],
    ['offsets.topic.replication.factor', '40000', 'Valid range: [1, 32767]'],
    ['log.retention.ms', '9223372036854775808', 'Valid range: [-9223372036854775808, 9223372036854775807]'],
    ['auto.create.topics.enable', 'yes', 'Valid values: [true, false]'],
    ['compression.type', 'brotli', 'Valid values: [uncompressed, zstd, lz4, snappy, gzip, producer]'],
    ['log.message.timestamp.type', 'createtime', 'Valid values: [CreateTime, LogAppendTime]'],
    ['log.cleanup.policy', 'delete,shred', 'Valid values: a comma-separated list of [compact, delete]'],
    ['log.cleanup.policy', '', 'Valid values: a comma-separated list of [compact, delete]'],
    ['log.cleaner.min.cleanable.ratio', '1.5', 'Valid range: [0, 1]'],
    ['log.cleaner.min.cleanable.ratio', 'half', 'Valid range: [0, 1]'],
    ['replica.selector.class', 'not a class', 'Valid values: a fully qualified Java class name'],
    // A class the brokers cannot load would stop them at the next restart.
    ['replica.selector.class', 'java.lang.Runtime', 'Valid values: [org.apache.kafka.common.replica.RackAwareReplicaSelector] (the brokers load no other classes)'],
  ])('%s=%s is rejected (%s)', (key, value, valid) => {
    expect(errorsOf(`${key}=${value}`, ['3.9.x'])).toEqual([
      { name: key, value, errorMessages: [`Value '${value}' is not valid for key '${key}'. ${valid}`] },
    ]);
  });

  test.each([
    ['replica.lag.time.max.ms', '10000'], ['replica.lag.time.max.ms', '30000'], ['zookeeper.session.timeout.ms', '18000'],
    ['socket.send.buffer.bytes', '-1'], ['num.partitions', '+3 '], ['auto.create.topics.enable', 'TRUE'],
    ['log.cleaner.min.cleanable.ratio', '0.5'], ['log.cleaner.min.cleanable.ratio', '1'], ['log.retention.ms', '-1'],
    ['replica.selector.class', 'org.apache.kafka.common.replica.RackAwareReplicaSelector'], ['log.cleanup.policy', 'compact'],
  ])('%s=%s is accepted', (key, value) => {
    expect(validateServerProperties(`${key}=${value}`, ['3.9.x']).get(key)).toBe(value);
  });

  test('value rules can differ by version: Kafka 4 needs 1 MiB segments', () => {
    expect(validateServerProperties('log.segment.bytes=1000', ['3.9.x.kraft']).size).toBe(1);
    expect(errorsOf('log.segment.bytes=1000', ['3.9.x.kraft', '4.1.x.kraft'])).toEqual([
      { name: 'log.segment.bytes', value: '1000', errorMessages: ["Value '1000' is not valid for key 'log.segment.bytes'. Valid range: [1048576, 2147483647]"] },
    ]);
  });

  test('comments and blank text are a valid, empty configuration', () => {
    expect(validateServerProperties('# nothing\n\n', ['3.8.x']).size).toBe(0);
  });

  test('an unknown Kafka version is reported before any key', () => {
    expectBadRequest(
      () => validateServerProperties('num.partitions=1', ['3.8.x', '2.8.1']),
      'Unsupported KafkaVersion [2.8.1]. Valid values: [3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]',
      'kafkaVersions',
    );
  });

  test('a malformed escape names its line', () => {
    expectBadRequest(
      () => validateServerProperties('num.partitions=1\nx=\\uZZZZ', ['3.8.x']),
      'Line 2 of serverProperties is not valid: Malformed \\uxxxx encoding.',
      'serverProperties',
    );
  });

  test('findServerPropertyErrors returns nothing for a clean map', () => {
    expect(findServerPropertyErrors(new Map([['num.io.threads', '8']]), ['4.1.x.kraft'])).toEqual([]);
  });
});
