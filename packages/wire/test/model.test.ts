import type { Shape, StructureShape } from '../src/model';
import { ERROR_SHAPES, OPERATIONS, getOperation, requireOperation } from '../src/model';

const struct = (s: Shape): StructureShape => {
  if (s.kind !== 'structure') throw new Error(`not a structure: ${s.kind}`);
  return s;
};

describe('kafka model from the SDK schemas', () => {
  test('loads all 64 operations with unique names and method+path pairs', () => {
    expect(OPERATIONS).toHaveLength(64);
    expect(new Set(OPERATIONS.map((o) => o.name)).size).toBe(64);
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.pathTemplate}`)).size).toBe(64);
  });

  test('operation http bindings', () => {
    expect(getOperation('DescribeCluster')).toMatchObject({ method: 'GET', pathTemplate: '/v1/clusters/{ClusterArn}', status: 200 });
    expect(getOperation('TagResource')).toMatchObject({ method: 'POST', pathTemplate: '/v1/tags/{ResourceArn}', status: 204 });
    expect(getOperation('UntagResource')!.output).toEqual({ kind: 'structure', name: 'Unit', members: {} });
    expect(getOperation('Nope')).toBeUndefined();
    expect(() => requireOperation('Nope')).toThrow(/unknown kafka operation/);
  });

  test('labels, query members and required flags', () => {
    const m = getOperation('UntagResource')!.input.members;
    expect(m.ResourceArn).toMatchObject({ location: 'label', locationName: 'ResourceArn', jsonName: 'resourceArn', required: true });
    expect(m.TagKeys).toMatchObject({ location: 'query', locationName: 'tagKeys', required: true, target: { kind: 'list', member: { kind: 'string' } } });
    const lc = getOperation('ListClusters')!.input.members;
    expect(lc.MaxResults).toMatchObject({ location: 'query', locationName: 'maxResults', required: false, target: { kind: 'number' } });
    const required = Object.values(getOperation('CreateCluster')!.input.members).filter((x) => x.required).map((x) => x.jsonName);
    expect(required.sort()).toEqual(['brokerNodeGroupInfo', 'clusterName', 'kafkaVersion', 'numberOfBrokerNodes']);
  });

  test('jsonName keeps inner capitals (nodeARN, volumeSizeGB)', () => {
    const node = struct((getOperation('ListNodes')!.output.members.NodeInfoList.target as { member: Shape }).member);
    expect(node.members.NodeARN.jsonName).toBe('nodeARN');
    expect(node.members.AddedToClusterTime.target).toEqual({ kind: 'string' }); // a string in the model, not a timestamp
    const ebs = struct((getOperation('UpdateBrokerStorage')!.input.members.TargetBrokerEBSVolumeInfo.target as { member: Shape }).member);
    expect(ebs.members.VolumeSizeGB.jsonName).toBe('volumeSizeGB');
  });

  test('value types: timestamps, blobs, maps, nested structures', () => {
    const cfg = getOperation('CreateConfiguration')!;
    expect(cfg.input.members.ServerProperties.target).toEqual({ kind: 'blob' });
    expect(cfg.output.members.CreationTime.target).toEqual({ kind: 'timestamp', format: 'date-time' });
    expect(getOperation('CreateCluster')!.input.members.Tags.target).toEqual({ kind: 'map', value: { kind: 'string' } });
    const bngi = struct(getOperation('CreateCluster')!.input.members.BrokerNodeGroupInfo.target);
    const ebs = struct(struct(bngi.members.StorageInfo.target).members.EbsStorageInfo.target);
    expect(ebs.members.VolumeSize).toMatchObject({ jsonName: 'volumeSize', target: { kind: 'number' } });
    expect(bngi.members.ClientSubnets).toMatchObject({ required: true, target: { kind: 'list' } });
  });

  test('enum values come from the SDK enum objects', () => {
    const ci = struct(getOperation('DescribeCluster')!.output.members.ClusterInfo.target);
    expect(ci.members.State.target).toMatchObject({ kind: 'string', enum: expect.arrayContaining(['ACTIVE', 'CREATING', 'FAILED']) });
    expect(getOperation('CreateCluster')!.input.members.EnhancedMonitoring.target).toMatchObject({
      enum: ['DEFAULT', 'PER_BROKER', 'PER_TOPIC_PER_BROKER', 'PER_TOPIC_PER_PARTITION'],
    });
    expect(getOperation('CreateCluster')!.input.members.ClusterName.target).toEqual({ kind: 'string' });
  });

  test('operation errors come from the SDK @throws docs', () => {
    expect(getOperation('DescribeCluster')!.errors.sort()).toEqual([
      'BadRequestException', 'ForbiddenException', 'InternalServerErrorException', 'NotFoundException', 'UnauthorizedException',
    ]);
    expect(getOperation('TagResource')!.errors.sort()).toEqual(['BadRequestException', 'InternalServerErrorException', 'NotFoundException']);
    expect(ERROR_SHAPES.ConflictException).toEqual({ name: 'ConflictException', status: 409, fault: 'client' });
    expect(ERROR_SHAPES.ServiceUnavailableException.fault).toBe('server');
    for (const op of OPERATIONS) for (const e of op.errors) expect(ERROR_SHAPES[e]).toBeDefined();
  });

  test('no operation binds headers (the codec relies on it)', () => {
    for (const op of OPERATIONS) for (const m of Object.values(op.input.members)) expect(m.location).not.toBe('header');
  });

  test('the model serializes as a plain tree (no cycles)', () => {
    expect(() => JSON.stringify(OPERATIONS)).not.toThrow();
  });
});
