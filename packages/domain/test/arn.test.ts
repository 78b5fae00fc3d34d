import {
  clusterArn, clusterOperationArn, configurationArn, newResourceId, nodeArn, parseArn, parseArnOfType,
} from '../src/arn';

const ctx = { region: 'us-east-1', account: '000000000000' };
const id = '6f5e1c2a-1b2c-4d3e-8f90-0123456789ab-3';
const op = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

describe('building ARNs', () => {
  test('cluster, configuration, cluster-operation and broker forms', () => {
    expect(clusterArn(ctx, 'demo', id)).toBe(`arn:aws:kafka:us-east-1:000000000000:cluster/demo/${id}`);
    expect(configurationArn(ctx, 'cfg-1', id)).toBe(`arn:aws:kafka:us-east-1:000000000000:configuration/cfg-1/${id}`);
    expect(clusterOperationArn(ctx, 'demo', id, op)).toBe(`arn:aws:kafka:us-east-1:000000000000:cluster-operation/demo/${id}/${op}`);
    expect(nodeArn(ctx, 'demo', id, op)).toBe(`arn:aws:kafka:us-east-1:000000000000:broker/demo/${id}/${op}`);
  });

  test('new resource ids are a uuid plus a suffix from 1 to 7', () => {
    const suffixes = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const rid = newResourceId();
      expect(rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[1-7]$/);
      suffixes.add(Number(rid.split('-').pop()));
    }
    expect(suffixes.size).toBe(7);
  });
});

describe('parseArn', () => {
  test('round-trips every form we build', () => {
    expect(parseArn(clusterArn(ctx, 'demo', id))).toEqual({ ...ctx, resourceType: 'cluster', name: 'demo', id });
    expect(parseArn(configurationArn(ctx, 'cfg', id))).toEqual({ ...ctx, resourceType: 'configuration', name: 'cfg', id });
    expect(parseArn(clusterOperationArn(ctx, 'demo', id, op))).toEqual({ ...ctx, resourceType: 'cluster-operation', name: 'demo', id, childId: op });
    expect(parseArn(nodeArn(ctx, 'demo', id, op))).toEqual({ ...ctx, resourceType: 'broker', name: 'demo', id, childId: op });
  });

  test("reads AWS's own examples", () => {
    expect(parseArn('arn:aws:kafka:us-east-1:123456789012:cluster/testcluster/12345678-abcd-4567-2345-abcdef123456-2')).toEqual({
      region: 'us-east-1', account: '123456789012', resourceType: 'cluster', name: 'testcluster', id: '12345678-abcd-4567-2345-abcdef123456-2',
    });
    expect(
      parseArn('arn:aws:kafka:us-east-1:244663422124:broker/PrometheusTest/b19b9b3c-317a-496d-8ef7-677b79f0259a-6/350ea803-2456-4167-b8eb-f618aa28b041'),
    ).toMatchObject({ resourceType: 'broker', name: 'PrometheusTest', childId: '350ea803-2456-4167-b8eb-f618aa28b041' });
    expect(parseArn(`arn:aws:kafka:ap-southeast-2:123456789012:cluster/x/${id.replace(/-3$/, '-25')}`)).toMatchObject({ region: 'ap-southeast-2' });
  });

  test.each([
    ['another service', `arn:aws:sqs:us-east-1:000000000000:cluster/demo/${id}`],
    ['another partition', `arn:aws-cn:kafka:cn-north-1:000000000000:cluster/demo/${id}`],
    ['a short account', `arn:aws:kafka:us-east-1:0000:cluster/demo/${id}`],
    ['a bad region', `arn:aws:kafka:useast1:000000000000:cluster/demo/${id}`],
    ['no id suffix', 'arn:aws:kafka:us-east-1:000000000000:cluster/demo/6f5e1c2a-1b2c-4d3e-8f90-0123456789ab'],
    ['no id', 'arn:aws:kafka:us-east-1:000000000000:cluster/demo'],
    ['an underscore in the name', `arn:aws:kafka:us-east-1:000000000000:cluster/de_mo/${id}`],
    ['a name starting with a dash', `arn:aws:kafka:us-east-1:000000000000:cluster/-demo/${id}`],
    ['an unknown type', `arn:aws:kafka:us-east-1:000000000000:topic/demo/${id}`],
    ['an operation without its uuid', `arn:aws:kafka:us-east-1:000000000000:cluster-operation/demo/${id}`],
    ['a cluster with an extra segment', `arn:aws:kafka:us-east-1:000000000000:cluster/demo/${id}/${op}`],
    ['upper-case type', `arn:aws:kafka:us-east-1:000000000000:CLUSTER/demo/${id}`],
    ['trailing garbage', `arn:aws:kafka:us-east-1:000000000000:cluster/demo/${id} `],
    ['empty', ''],
  ])('rejects %s', (_why, arn) => {
    expect(parseArn(arn)).toBeUndefined();
  });

  test('parseArnOfType narrows to one type', () => {
    const arn = clusterArn(ctx, 'demo', id);
    expect(parseArnOfType(arn, 'cluster')?.name).toBe('demo');
    expect(parseArnOfType(arn, 'configuration')).toBeUndefined();
  });
});
