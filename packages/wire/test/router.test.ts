import { MskError } from '../src/errors';
import { OPERATIONS } from '../src/model';
import { allowedMethods, matchRoute } from '../src/router';

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/6f5e0c1a-1b2c-4d5e-9f00-112233445566-7';
// The encoding the AWS clients use for labels: only A-Z a-z 0-9 - . _ ~ stay bare.
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe('matchRoute', () => {
  test('DescribeCluster with a percent-encoded ARN as one segment', () => {
    const m = matchRoute('GET', `/v1/clusters/${enc(ARN)}`);
    expect(m?.operation.name).toBe('DescribeCluster');
    expect(m?.labels).toEqual({ ClusterArn: ARN });
  });

  test('an ARN with raw slashes does not match (it would be three segments)', () => {
    expect(matchRoute('GET', `/v1/clusters/${ARN}`)).toBeUndefined();
  });

  test('/nodes vs /nodes/count|storage|type', () => {
    const base = `/v1/clusters/${enc(ARN)}/nodes`;
    expect(matchRoute('GET', base)?.operation.name).toBe('ListNodes');
    expect(matchRoute('PUT', `${base}/count`)?.operation.name).toBe('UpdateBrokerCount');
    expect(matchRoute('PUT', `${base}/storage`)?.operation.name).toBe('UpdateBrokerStorage');
    expect(matchRoute('PUT', `${base}/type`)?.operation.name).toBe('UpdateBrokerType');
    expect(matchRoute('GET', `${base}/count`)).toBeUndefined();
  });

  test('one path, several methods', () => {
    const p = `/v1/clusters/${enc(ARN)}/scram-secrets`;
    expect(matchRoute('GET', p)?.operation.name).toBe('ListScramSecrets');
    expect(matchRoute('post', p)?.operation.name).toBe('BatchAssociateScramSecret');
    expect(matchRoute('PATCH', p)?.operation.name).toBe('BatchDisassociateScramSecret');
    expect(matchRoute('DELETE', p)).toBeUndefined();
    expect(allowedMethods(p)).toEqual(['GET', 'PATCH', 'POST']);
    expect(allowedMethods('/nope')).toEqual([]);
  });

  test('tags routes by method, two labels, numeric label stays a string here', () => {
    const p = `/v1/tags/${enc(ARN)}`;
    expect(matchRoute('POST', p)?.operation.name).toBe('TagResource');
    expect(matchRoute('DELETE', `${p}?tagKeys=a&tagKeys=b`)?.operation.name).toBe('UntagResource');
    expect(matchRoute('GET', p)?.operation.name).toBe('ListTagsForResource');
    const cfg = 'arn:aws:kafka:us-east-1:123456789012:configuration/c/abc-1';
    expect(matchRoute('GET', `/v1/configurations/${enc(cfg)}/revisions/3`)).toMatchObject({
      operation: { name: 'DescribeConfigurationRevision' },
      labels: { Arn: cfg, Revision: '3' },
    });
  });

  test('exact matching: trailing slash, empty label, unknown prefix', () => {
    expect(matchRoute('GET', '/v1/clusters')?.operation.name).toBe('ListClusters');
    expect(matchRoute('GET', '/v1/clusters/')).toBeUndefined();
    expect(matchRoute('GET', '/v1/clusters//nodes')).toBeUndefined();
    expect(matchRoute('GET', '/v2/clusters')).toBeUndefined();
    expect(matchRoute('GET', 'v1/clusters')).toBeUndefined();
  });

  test('malformed percent-encoding in a label is a BadRequest', () => {
    expect.assertions(2);
    try {
      matchRoute('GET', '/v1/clusters/arn%3');
    } catch (e) {
      expect(e).toBeInstanceOf(MskError);
      expect((e as MskError).code).toBe('BadRequestException');
    }
  });

  test('every operation is reachable from its own template', () => {
    for (const op of OPERATIONS) {
      const p = op.pathTemplate.replace(/\{(\w+)\}/g, (_, n: string) => enc(`arn:x/${n}`));
      expect(matchRoute(op.method, p)?.operation.name).toBe(op.name);
    }
  });
});
