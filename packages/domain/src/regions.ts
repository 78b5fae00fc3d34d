/**
 * The regions a request may be signed for. A region is the namespace of a caller's resources and part of every ARN
 * openmsk mints, so only names that are regions (and that the ARN grammar reads back) get in.
 */
import { configurationArn, parseArn } from './arn';

/**
 * The regions of AWS's commercial partition (`aws`), in their canonical spelling: the list of the AWS SDK's endpoint
 * table (its `aws-global` pseudo-region left out). Add a region here when AWS opens one.
 */
// AWS-PARITY: only the `aws` partition is offered; China (aws-cn), GovCloud (aws-us-gov) and the ISO regions have ARNs of their own partition, which openmsk does not mint.
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'me-west-1',
  'mx-central-1',
  'sa-east-1',
  'sa-west-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** True when `region` is spelled so that the ARNs openmsk mints with it parse back (`us-east-1`, `xx-local-1`). */
export function isRegionName(region: string): boolean {
  return parseArn(configurationArn({ region, account: '000000000000' }, 'x', '00000000-0000-0000-0000-000000000000-1')) !== undefined;
}

/** The regions a request may be signed for: AWS's, plus the configured one (`OPENMSK_REGION`) when it is another. */
export function signingRegions(configured: string): ReadonlySet<string> {
  return new Set([...AWS_REGIONS, configured]);
}
