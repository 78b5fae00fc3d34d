/**
 * Formats of the AWS identifiers a request may carry: subnet and security-group ids, KMS key and certificate
 * authority ARNs, and the names of log destinations. A placeholder such as "string" (what Swagger UI offers by
 * default) is refused here with a message naming what was expected, before anything is stored.
 * The shapes are AWS's: EC2 ids are a prefix and 8 or 17 hex digits; ARNs are
 * `arn:<partition>:<service>:<region>:<12-digit account>:<resource>`; CloudWatch Logs, Firehose and S3 name
 * rules are those services' documented ones.
 */
import type { LoggingInfo } from '@aws-sdk/client-kafka';
import { badRequest } from '@openmsk/wire/src/errors';
import { assertBoolean, assertRequired } from './common';

const EC2_ID = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
const SUBNET_ID = EC2_ID('subnet');
const SECURITY_GROUP_ID = EC2_ID('sg');
const ARN_HEAD = 'arn:aws(?:-[a-z]+)*:';
const REGION = '[a-z]{2}(?:-[a-z]+)+-[0-9]+';
const ACCOUNT = '[0-9]{12}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KMS_KEY_ARN = new RegExp(`^${ARN_HEAD}kms:${REGION}:${ACCOUNT}:(?:key/(?:${UUID}|mrk-[0-9a-f]{32})|alias/[A-Za-z0-9/_-]{1,250})$`);
const PCA_ARN = new RegExp(`^${ARN_HEAD}acm-pca:${REGION}:${ACCOUNT}:certificate-authority/${UUID}$`);
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const DELIVERY_STREAM = /^[a-zA-Z0-9_.-]{1,64}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** MSK's limit on security groups per cluster (the model allows a list; the console and API take five). */
export const MAX_SECURITY_GROUPS = 5;

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** Each subnet id must look like `subnet-0123abcd` (8 or 17 lowercase hex digits). */
export function assertSubnetIds(subnets: readonly unknown[], param = 'clientSubnets'): void {
  for (const s of subnets) {
    if (typeof s !== 'string' || !SUBNET_ID.test(s)) {
      throw badRequest(`The subnet ID ${shown(s)} is not valid. A subnet ID is "subnet-" followed by 8 or 17 hexadecimal digits, e.g. subnet-0a1b2c3d.`, param);
    }
  }
}

/** Security groups: at most {@link MAX_SECURITY_GROUPS}, each `sg-` and 8 or 17 hex digits. */
export function assertSecurityGroupIds(groups: unknown, param = 'securityGroups'): void {
  if (groups === undefined) return;
  if (!Array.isArray(groups)) throw badRequest(`The ${param} parameter must be a list of security group IDs.`, param);
  if (groups.length > MAX_SECURITY_GROUPS) throw badRequest(`The ${param} parameter can contain at most ${MAX_SECURITY_GROUPS} security groups.`, param);
  for (const g of groups) {
    if (typeof g !== 'string' || !SECURITY_GROUP_ID.test(g)) {
      throw badRequest(`The security group ID ${shown(g)} is not valid. A security group ID is "sg-" followed by 8 or 17 hexadecimal digits, e.g. sg-0a1b2c3d.`, param);
    }
  }
}

/** `dataVolumeKMSKeyId`: the ARN of a KMS key or alias. */
export function assertKmsKeyArn(value: unknown, param = 'dataVolumeKMSKeyId'): string {
  if (typeof value !== 'string' || !KMS_KEY_ARN.test(value)) {
    throw badRequest(`The ${param} parameter must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>) or alias; ${shown(value)} is not.`, param);
  }
  return value;
}

/** `certificateAuthorityArnList` entries: ACM Private CA ARNs. */
export function assertCertificateAuthorityArns(arns: readonly unknown[], param = 'certificateAuthorityArnList'): void {
  for (const a of arns) {
    if (typeof a !== 'string' || !PCA_ARN.test(a)) {
      throw badRequest(`The certificate authority ARN ${shown(a)} is not valid. Expected arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>.`, param);
    }
  }
}

function assertName(value: unknown, param: string, re: RegExp, what: string): void {
  const v = assertRequired(value, param);
  if (typeof v !== 'string' || !re.test(v)) throw badRequest(`The ${param} parameter ${shown(v)} is not a valid ${what}.`, param);
}

/**
 * `loggingInfo.brokerLogs`: each destination says whether it is on; an enabled one names its target by the
 * target service's own rules (CloudWatch log group, Firehose delivery stream, S3 bucket).
 */
export function validateLoggingInfo(info: LoggingInfo): void {
  const b = assertRequired(info.BrokerLogs, 'brokerLogs');
  if (b.CloudWatchLogs !== undefined && assertBoolean(b.CloudWatchLogs.Enabled, 'enabled')) {
    assertName(b.CloudWatchLogs.LogGroup, 'logGroup', LOG_GROUP, 'CloudWatch Logs log group name');
  }
  if (b.Firehose !== undefined && assertBoolean(b.Firehose.Enabled, 'enabled')) {
    assertName(b.Firehose.DeliveryStream, 'deliveryStream', DELIVERY_STREAM, 'Firehose delivery stream name');
  }
  if (b.S3 !== undefined && assertBoolean(b.S3.Enabled, 'enabled')) {
    assertName(b.S3.Bucket, 'bucket', BUCKET, 'S3 bucket name');
    if (b.S3.Prefix !== undefined && (typeof b.S3.Prefix !== 'string' || b.S3.Prefix.length > 1024)) {
      throw badRequest('The prefix parameter must be a string of at most 1024 characters.', 'prefix');
    }
  }
}
