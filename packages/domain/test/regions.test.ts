import { partition } from '@aws-sdk/core/client';
import { AWS_REGIONS, isRegionName, signingRegions } from '../src/regions';
import { clusterArn, parseArnOfType } from '../src/arn';

describe('regions', () => {
  test("every listed region is in AWS's commercial partition and spelled canonically", () => {
    for (const region of AWS_REGIONS) {
      expect([region, partition(region).name]).toEqual([region, 'aws']);
      expect(region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
    expect(AWS_REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'me-central-1']));
  });

  test('an ARN minted in any listed region parses back (CreateCluster re-reads its own ARN)', () => {
    for (const region of AWS_REGIONS) {
      const arn = clusterArn({ region, account: '123456789012' }, 'demo', '6f5e1c2a-1b2c-4d3e-8f90-0123456789ab-3');
      expect([region, parseArnOfType(arn, 'cluster')?.region]).toEqual([region, region]);
    }
  });

  test('isRegionName: what ARNs can carry', () => {
    for (const ok of ['us-east-1', 'eu-central-2', 'xx-local-1']) expect([ok, isRegionName(ok)]).toEqual([ok, true]);
    for (const bad of ['local', 'US-EAST-1', 'us-east', 'us_east_1', 'us-east-1:x', '', 'us-east-1 ']) {
      expect([bad, isRegionName(bad)]).toEqual([bad, false]);
    }
  });

  test('signingRegions: AWS regions plus the configured one, nothing else', () => {
    const regions = signingRegions('xx-local-1');
    expect(regions.has('xx-local-1')).toBe(true);
    expect(regions.has('us-east-1')).toBe(true);
    for (const other of ['local', 'US-EAST-1', 'us-east-9', 'cn-north-1', 'us-gov-west-1', 'aws-global']) {
      expect([other, regions.has(other)]).toEqual([other, false]);
    }
    expect(signingRegions('us-east-1').size).toBe(AWS_REGIONS.length);
  });
});
