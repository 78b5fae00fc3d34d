/**
 * ARNs of the MSK resources openmsk serves (docs/msk-behaviour.md §8). Cluster and configuration ids are
 * `<uuid>-<n>`; operations and nodes add their own uuid after the cluster id:
 *   cluster            arn:aws:kafka:<region>:<acct>:cluster/<name>/<uuid>-<n>
 *   configuration      arn:aws:kafka:<region>:<acct>:configuration/<name>/<uuid>-<n>
 *   cluster-operation  arn:aws:kafka:<region>:<acct>:cluster-operation/<clusterName>/<clusterUuid-n>/<opUuid>
 *   broker (ListNodes) arn:aws:kafka:<region>:<acct>:broker/<clusterName>/<clusterUuid-n>/<brokerUuid>
 *   topic              arn:aws:kafka:<region>:<acct>:topic/<clusterName>/<clusterUuid-n>/<topicName> (MSK's IAM form)
 * The broker form is taken from AWS's ListNodes samples, e.g.
 * `...:broker/PrometheusTest/b19b9b3c-317a-496d-8ef7-677b79f0259a-6/350ea803-2456-4167-b8eb-f618aa28b041`.
 * AWS-PARITY: AWS shows no ARN of a ZooKeeper node or KRaft controller; openmsk names them like brokers, under
 * `zookeeper/` and `controller/`, so a node's ARN never claims it is a broker.
 */
import { randomInt, randomUUID } from 'node:crypto';

export type NodeResourceType = 'broker' | 'zookeeper' | 'controller';
export type ArnResourceType = 'cluster' | 'configuration' | 'cluster-operation' | NodeResourceType;

/** Where resources live: the region and account openmsk reports. */
export interface ArnContext {
  region: string;
  account: string;
}

export interface ParsedArn extends ArnContext {
  resourceType: ArnResourceType;
  /** Cluster or configuration name. */
  name: string;
  /** `<uuid>-<n>` of the cluster or configuration. */
  id: string;
  /** Operation or node uuid (only for `cluster-operation` and the node types). */
  childId?: string;
}

/** A new resource id `<uuid>-<n>`; AWS's suffixes are small integers, 1–7 in its examples. */
export function newResourceId(): string {
  return `${randomUUID()}-${randomInt(1, 8)}`;
}

const prefix = (ctx: ArnContext) => `arn:aws:kafka:${ctx.region}:${ctx.account}`;

export function clusterArn(ctx: ArnContext, name: string, id: string): string {
  return `${prefix(ctx)}:cluster/${name}/${id}`;
}

export function configurationArn(ctx: ArnContext, name: string, id: string): string {
  return `${prefix(ctx)}:configuration/${name}/${id}`;
}

export function clusterOperationArn(ctx: ArnContext, clusterName: string, clusterId: string, operationId: string): string {
  return `${prefix(ctx)}:cluster-operation/${clusterName}/${clusterId}/${operationId}`;
}

export function nodeArn(ctx: ArnContext, clusterName: string, clusterId: string, nodeUuid: string, type: NodeResourceType = 'broker'): string {
  return `${prefix(ctx)}:${type}/${clusterName}/${clusterId}/${nodeUuid}`;
}

/** A topic's ARN, from its cluster's ARN (`cluster/` becomes `topic/`, the topic name appended). */
export function topicArn(clusterArn: string, topicName: string): string {
  return `${clusterArn.replace(':cluster/', ':topic/')}/${topicName}`;
}

const H = '[0-9a-fA-F]';
const UUID = `${H}{8}-${H}{4}-${H}{4}-${H}{4}-${H}{12}`;
// Parsing accepts any 1–2 digit suffix: ids minted elsewhere (imports, AWS) may exceed 7.
const RESOURCE_ID = `${UUID}-[0-9]{1,2}`;
const NAME = '[0-9A-Za-z][0-9A-Za-z-]{0,63}';
const ARN_RE = new RegExp(
  `^arn:aws:kafka:([a-z]{2}(?:-[a-z]+)+-[0-9]+):([0-9]{12}):` +
    `(?:(cluster|configuration)/(${NAME})/(${RESOURCE_ID})|(cluster-operation|broker|zookeeper|controller)/(${NAME})/(${RESOURCE_ID})/(${UUID}))$`,
);

/**
 * Splits an openmsk/MSK ARN, or returns undefined for anything else (other services,
 * partitions other than `aws`, malformed ids). Hex digits may be of either case.
 */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  const [, region, account, t1, n1, id1, t2, n2, id2, child] = m;
  if (t1) return { region, account, resourceType: t1 as ArnResourceType, name: n1, id: id1 };
  return { region, account, resourceType: t2 as ArnResourceType, name: n2, id: id2, childId: child };
}

/** {@link parseArn}, narrowed to one resource type. */
export function parseArnOfType(arn: string, type: ArnResourceType): ParsedArn | undefined {
  const p = parseArn(arn);
  return p?.resourceType === type ? p : undefined;
}
