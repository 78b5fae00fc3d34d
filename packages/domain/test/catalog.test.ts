import {
  compareApacheVersions, compatibilityMatrix, compatibleTargets, findInstanceType, findKafkaVersion, isKraft,
  listInstanceTypes, listKafkaVersions,
} from '../src/catalog';

describe('Kafka version catalog', () => {
  test('lists the MSK labels with the Apache release and mode each runs, oldest first', () => {
    expect(listKafkaVersions()).toEqual([
      { label: '3.8.x', apacheVersion: '3.8.1', mode: 'zookeeper', status: 'ACTIVE' },
      { label: '3.9.x', apacheVersion: '3.9.1', mode: 'zookeeper', status: 'ACTIVE' },
      { label: '3.9.x.kraft', apacheVersion: '3.9.1', mode: 'kraft', status: 'ACTIVE' },
      { label: '4.1.x.kraft', apacheVersion: '4.1.1', mode: 'kraft', status: 'ACTIVE' },
    ]);
  });

  test('returns copies, so callers cannot corrupt the table', () => {
    listKafkaVersions()[0].apacheVersion = '0.0.0';
    findKafkaVersion('3.8.x')!.apacheVersion = '0.0.0';
    expect(findKafkaVersion('3.8.x')!.apacheVersion).toBe('3.8.1');
  });

  test('finds labels exactly, and nothing else', () => {
    expect(findKafkaVersion('3.9.x.kraft')).toMatchObject({ apacheVersion: '3.9.1', mode: 'kraft' });
    expect(findKafkaVersion('3.9.1')).toBeUndefined();
    expect(findKafkaVersion('3.9.X')).toBeUndefined();
    expect(findKafkaVersion('2.8.1')).toBeUndefined();
  });

  test('isKraft follows the mode, false for unknown labels', () => {
    expect(isKraft('3.8.x')).toBe(false);
    expect(isKraft('3.9.x')).toBe(false);
    expect(isKraft('3.9.x.kraft')).toBe(true);
    expect(isKraft('4.1.x.kraft')).toBe(true);
    expect(isKraft('nope.kraft')).toBe(false);
  });

  test('upgrades only to newer releases of the same mode', () => {
    expect(compatibleTargets('3.8.x')).toEqual(['3.9.x']);
    expect(compatibleTargets('3.9.x')).toEqual([]);
    expect(compatibleTargets('3.9.x.kraft')).toEqual(['4.1.x.kraft']);
    expect(compatibleTargets('4.1.x.kraft')).toEqual([]);
    expect(compatibleTargets('1.1.1')).toEqual([]);
  });

  test('the matrix has one entry per version', () => {
    expect(compatibilityMatrix()).toEqual([
      { sourceVersion: '3.8.x', targetVersions: ['3.9.x'] },
      { sourceVersion: '3.9.x', targetVersions: [] },
      { sourceVersion: '3.9.x.kraft', targetVersions: ['4.1.x.kraft'] },
      { sourceVersion: '4.1.x.kraft', targetVersions: [] },
    ]);
  });

  test('compares dotted versions numerically', () => {
    expect(compareApacheVersions('3.10.0', '3.9.1')).toBe(1);
    expect(compareApacheVersions('3.9.1', '4.1.1')).toBe(-1);
    expect(compareApacheVersions('3.9', '3.9.0')).toBe(0);
  });
});

describe('instance-type catalog', () => {
  test('offers the MSK standard broker types, no express types', () => {
    expect(listInstanceTypes().map((t) => t.name)).toEqual([
      'kafka.t3.small', 'kafka.m5.large', 'kafka.m5.xlarge', 'kafka.m5.2xlarge', 'kafka.m5.4xlarge',
      'kafka.m7g.large', 'kafka.m7g.xlarge',
    ]);
    expect(findInstanceType('express.m7g.large')).toBeUndefined();
    expect(findInstanceType('m5.large')).toBeUndefined();
  });

  test('t3.small and m5.large get the agreed container sizes', () => {
    expect(findInstanceType('kafka.t3.small')).toMatchObject({ cpus: 0.5, memoryMiB: 768, heapMiB: 384, maxPartitionsPerBroker: 300 });
    expect(findInstanceType('kafka.m5.large')).toMatchObject({ cpus: 1, memoryMiB: 1024, heapMiB: 512, maxPartitionsPerBroker: 1000 });
  });

  test('every type fits a 2-core host, leaves half its memory to page cache, and grows with size', () => {
    const types = listInstanceTypes();
    for (const t of types) {
      expect(t.cpus).toBeLessThanOrEqual(2);
      expect(t.heapMiB * 2).toBeLessThanOrEqual(t.memoryMiB);
    }
    const m5 = types.filter((t) => t.name.startsWith('kafka.m5.'));
    for (let i = 1; i < m5.length; i++) {
      expect(m5[i].memoryMiB).toBeGreaterThan(m5[i - 1].memoryMiB);
      expect(m5[i].awsVcpus).toBeGreaterThan(m5[i - 1].awsVcpus);
    }
  });

  test('only m5.4xlarge supports provisioned throughput', () => {
    expect(listInstanceTypes().filter((t) => t.maxProvisionedThroughputMiBps).map((t) => t.name)).toEqual(['kafka.m5.4xlarge']);
  });
});

describe('newKraftClusterId', () => {
  test('22 URL-safe base64 characters, never starting with "-"', () => {
    const { newKraftClusterId } = require('../src/node-config') as typeof import('../src/node-config');
    for (let i = 0; i < 2000; i++) expect(newKraftClusterId()).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
  });
});
