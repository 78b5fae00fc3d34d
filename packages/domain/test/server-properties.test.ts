import { parseProperties, propertiesToMap, renderProperties } from '../src/properties';
import { buildServerProperties, CONTROL_PLANE_KEYS, isControlPlaneKey, replicationDefaults } from '../src/server-properties';

describe('replicationDefaults', () => {
  test.each([
    // brokers, zones, RF, min ISR
    [3, 3, 3, 2], [6, 3, 3, 2], [30, 3, 3, 2],
    [2, 2, 2, 1], [4, 2, 2, 1],
    [2, 3, 2, 1], [1, 3, 1, 1], [1, 2, 1, 1], [1, 1, 1, 1],
  ])('%i brokers in %i zones: RF %i, min.insync.replicas %i', (brokers, zones, rf, isr) => {
    expect(replicationDefaults(brokers, zones)).toEqual({ replicationFactor: rf, minInsyncReplicas: isr });
  });
});

describe('buildServerProperties', () => {
  test("a 3-AZ ZooKeeper cluster gets MSK's defaults", () => {
    expect(Object.fromEntries(buildServerProperties({ brokerCount: 3, zoneCount: 3, kafkaVersion: '3.8.x' }))).toEqual({
      'allow.everyone.if.no.acl.found': 'true',
      'auto.create.topics.enable': 'false',
      'auto.leader.rebalance.enable': 'true',
      'num.io.threads': '8',
      'num.network.threads': '5',
      'num.partitions': '1',
      'num.replica.fetchers': '2',
      'replica.lag.time.max.ms': '30000',
      'socket.receive.buffer.bytes': '102400',
      'socket.send.buffer.bytes': '102400',
      'socket.request.max.bytes': '104857600',
      'unclean.leader.election.enable': 'true',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'zookeeper.session.timeout.ms': '18000',
      'zookeeper.set.acl': 'false',
    });
  });

  test('a 2-AZ cluster uses RF 2 and min ISR 1, internal topics included', () => {
    const p = buildServerProperties({ brokerCount: 2, zoneCount: 2 });
    expect(p.get('default.replication.factor')).toBe('2');
    expect(p.get('min.insync.replicas')).toBe('1');
    expect(p.get('offsets.topic.replication.factor')).toBe('2');
    expect(p.get('transaction.state.log.min.isr')).toBe('1');
  });

  test('KRaft clusters get no ZooKeeper keys', () => {
    const p = buildServerProperties({ brokerCount: 3, zoneCount: 3, kafkaVersion: '4.1.x.kraft' });
    expect([...p.keys()].filter((k) => k.startsWith('zookeeper.'))).toEqual([]);
  });

  test('the custom revision wins over defaults and adds keys after them', () => {
    const custom = new Map([['num.partitions', '6'], ['min.insync.replicas', '1'], ['log.retention.hours', '24']]);
    const p = buildServerProperties({ brokerCount: 3, zoneCount: 3, custom });
    expect(p.get('num.partitions')).toBe('6');
    expect(p.get('min.insync.replicas')).toBe('1');
    expect([...p.keys()].pop()).toBe('log.retention.hours');
  });

  test('control-plane keys in custom input are dropped', () => {
    const custom = new Map([['listeners', 'PLAINTEXT://0.0.0.0:1'], ['ssl.keystore.location', '/x'], ['broker.id', '9']]);
    const p = buildServerProperties({ brokerCount: 3, zoneCount: 3, custom });
    expect(p.has('listeners') || p.has('ssl.keystore.location') || p.has('broker.id')).toBe(false);
  });

  test('renders to text Java reads back identically', () => {
    const p = buildServerProperties({ brokerCount: 3, zoneCount: 3 });
    expect(propertiesToMap(parseProperties(renderProperties(p)))).toEqual(p);
  });
});

test('isControlPlaneKey covers exact keys and owned families', () => {
  expect(CONTROL_PLANE_KEYS).toEqual(expect.arrayContaining(['listeners', 'advertised.listeners', 'broker.id', 'node.id', 'log.dirs']));
  for (const k of ['listeners', 'zookeeper.connect', 'ssl.truststore.password', 'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config']) {
    expect(isControlPlaneKey(k)).toBe(true);
  }
  expect(isControlPlaneKey('num.partitions')).toBe(false);
});
