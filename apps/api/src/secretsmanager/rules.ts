import { randomInt } from 'node:crypto';
import { AwsJsonError } from '../plugins/aws-json';

/** An error of the Secrets Manager API: AWS JSON 1.1 answers it as HTTP 400 with `{"__type", "message"}`. */
export class SmError extends AwsJsonError {}

export const invalidParameter = (message: string) => new SmError('InvalidParameterException', message);
export const invalidRequest = (message: string) => new SmError('InvalidRequestException', message);

/** AWS's messages, verbatim where known. */
export const MSG = {
  notFound: "Secrets Manager can't find the specified secret.",
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  invalidName: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
  bothValues: "You can't specify both a binary secret value and a string secret value in the same secret.",
  noValue: 'You must provide either SecretString or SecretBinary.',
  forceAndWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  recoveryWindow: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  versionExists: "You can't modify an existing version, you can only create a new version.",
  notMarked: "You can't restore the secret because it isn't marked for deletion.",
  nextToken: 'The nextToken is not valid.',
} as const;

const NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const TOKEN = /^[A-Za-z0-9-]+$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// AWS-PARITY: AWS answers length and null-member violations as ValidationException (a name its Secrets Manager model
// does not declare); openmsk answers them as InvalidParameterException with AWS's wording, so SDKs raise a modelled class.
const tooLong = (field: string, max: number) =>
  invalidParameter(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
const missing = (field: string) =>
  invalidParameter(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);

/** A secret name: 1–512 characters of `[A-Za-z0-9/_+=.@-]`. */
export function checkName(name: unknown): string {
  if (name === undefined || name === null) throw missing('name');
  if (typeof name !== 'string' || name.length === 0 || !NAME.test(name)) throw invalidParameter(MSG.invalidName);
  if (name.length > 512) throw tooLong('name', 512);
  return name;
}

/** SecretId: a name or an ARN, 1–2048 characters. */
export function checkSecretId(id: unknown): string {
  if (id === undefined || id === null) throw missing('secretId');
  if (typeof id !== 'string' || id.length === 0) throw invalidParameter(MSG.invalidName);
  if (id.length > 2048) throw tooLong('secretId', 2048);
  return id;
}

/** ClientRequestToken: 32–64 characters (the SDK and CLI fill in a UUID when it is left out). */
export function checkToken(token: unknown): string | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string' || token.length < 32 || token.length > 64 || !TOKEN.test(token)) {
    throw invalidParameter('ClientRequestToken must be 32-64 characters of letters, digits and hyphens.');
  }
  return token;
}

export function checkDescription(description: unknown): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== 'string') throw invalidParameter('Description must be a string.');
  if (description.length > 2048) throw tooLong('description', 2048);
  return description;
}

/** What a version holds: exactly one of SecretString (text) or SecretBinary (base64 on the wire). */
export interface SecretValue {
  SecretString?: string;
  SecretBinary?: string;
}

/** The value of a request, or undefined when it carries none; both at once is refused. */
export function readValue(input: Record<string, unknown>): SecretValue | undefined {
  const s = input.SecretString;
  const b = input.SecretBinary;
  if (s !== undefined && s !== null && b !== undefined && b !== null) throw invalidParameter(MSG.bothValues);
  if (s !== undefined && s !== null) {
    if (typeof s !== 'string') throw invalidParameter('SecretString must be a string.');
    if (Buffer.byteLength(s) > 65536) throw tooLong('secretString', 65536);
    return { SecretString: s };
  }
  if (b !== undefined && b !== null) {
    if (typeof b !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b) || b.length % 4 !== 0) throw invalidParameter('SecretBinary must be base64.');
    if (Buffer.from(b, 'base64').length > 65536) throw tooLong('secretBinary', 65536);
    return { SecretBinary: b };
  }
  return undefined;
}

export interface Tag { Key: string; Value: string }

/** Tags: Key 1–128, Value 0–256 characters, keys unique within the request. */
export function checkTags(tags: unknown): Tag[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalidParameter('Tags must be a list.');
  const keys = new Set<string>();
  return tags.map((t) => {
    const key = t?.Key;
    const value = t?.Value ?? '';
    if (typeof key !== 'string' || key.length === 0) throw missing('tags.member.key');
    if (key.length > 128) throw tooLong('tags.member.key', 128);
    if (typeof value !== 'string') throw invalidParameter('A tag value must be a string.');
    if (value.length > 256) throw tooLong('tags.member.value', 256);
    if (key.startsWith('aws:')) throw invalidParameter('Invalid tag key. The aws: prefix is reserved for AWS use.');
    if (keys.has(key)) throw invalidParameter('The request contains duplicate tag keys.');
    keys.add(key);
    return { Key: key, Value: value };
  });
}

/** Tags after adding `add` to `tags` (a key already there takes the new value). */
export function mergeTags(tags: Tag[], add: Tag[]): Tag[] {
  const out = new Map(tags.map((t) => [t.Key, t.Value]));
  for (const t of add) out.set(t.Key, t.Value);
  return [...out].map(([Key, Value]) => ({ Key, Value }));
}

/** RecoveryWindowInDays and ForceDeleteWithoutRecovery: days until deletion, 0 for at once. */
export function deletionWindow(input: Record<string, unknown>): number {
  const force = input.ForceDeleteWithoutRecovery === true;
  const days = input.RecoveryWindowInDays;
  if (force && days !== undefined && days !== null) throw invalidParameter(MSG.forceAndWindow);
  if (force) return 0;
  if (days === undefined || days === null) return 30;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) throw invalidParameter(MSG.recoveryWindow);
  return days;
}

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random alphanumerics>`. */
export const secretArn = (region: string, accountId: string, name: string) =>
  `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${Array.from({ length: 6 }, () => ALNUM[randomInt(ALNUM.length)]).join('')}`;

const ARN = /^arn:aws:secretsmanager:([^:]+):(\d{12}):secret:(.+)$/;

/** What a SecretId names: a full ARN, a partial ARN (without the random suffix) or a name. */
export function parseSecretId(id: string): { arn?: string; name: string; region?: string; accountId?: string } {
  const m = ARN.exec(id);
  if (!m) return { name: id };
  return { arn: id, region: m[1], accountId: m[2], name: m[3] };
}

/** Seconds since the epoch with milliseconds, as AWS JSON 1.1 writes timestamps. */
export const epoch = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : undefined);
