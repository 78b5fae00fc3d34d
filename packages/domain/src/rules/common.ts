/**
 * Checks shared by every operation. Every failure is a 400 BadRequestException naming the wire
 * member at fault (`invalidParameter`, lowerCamel with only the first letter lowered).
 * Messages copy real MSK texts where known (docs/msk-behaviour.md §1); the rest follow one house style:
 *   required  "The <p> parameter is required."
 *   length    "The <p> parameter must be between <a> and <b> characters long."
 *   integer   "The <p> parameter must be an integer between <a> and <b>."
 *   enum      "Unsupported <Member> [<v>]. Valid values: [...]"  (after MSK's KafkaVersion text)
 */
import { badRequest } from '@openmsk/wire/src/errors';

/** Name rule of clusters and configurations [doc msk-configuration-operations]. */
export const NAME_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]{0,}$/;
/** Real MSK text for a name with characters outside the pattern (terraform-provider-aws#8793). */
export const INVALID_CHARACTERS_MESSAGE = 'The parameter value contains one or more characters that are not valid.';
export const STALE_VERSION_MESSAGE = "The version of the cluster isn't current. Check the current version and try again.";

export function assertRequired<T>(value: T | undefined | null, param: string): T {
  if (value === undefined || value === null) throw badRequest(`The ${param} parameter is required.`, param);
  return value;
}

export function assertString(value: unknown, param: string, min = 1, max = Infinity): string {
  const v = assertRequired(value, param);
  if (typeof v !== 'string') throw badRequest(`The ${param} parameter must be a string.`, param);
  if (v.length < min || v.length > max) {
    const range = max === Infinity ? `at least ${min} characters long` : `between ${min} and ${max} characters long`;
    throw badRequest(`The ${param} parameter must be ${range}.`, param);
  }
  return v;
}

export function assertInteger(value: unknown, param: string, min: number, max: number): number {
  const v = assertRequired(value, param);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`The ${param} parameter must be an integer between ${min} and ${max}.`, param);
  }
  return v;
}

export function assertBoolean(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') throw badRequest(`The ${param} parameter must be a boolean.`, param);
  return value;
}

/** `member` is the model's PascalCase shape name used in the message, `param` the wire name. */
export function assertEnum<T extends string>(value: unknown, values: readonly T[], member: string, param: string): T {
  if (!values.includes(value as T)) throw badRequest(`Unsupported ${member} [${String(value)}]. Valid values: [${values.join(', ')}]`, param);
  return value as T;
}

/** Cluster and configuration names: 1–64 characters of `^[0-9A-Za-z][0-9A-Za-z-]*$`. */
export function assertName(value: unknown, param: string): string {
  const v = assertString(value, param, 1, 64);
  if (!NAME_PATTERN.test(v)) throw badRequest(INVALID_CHARACTERS_MESSAGE, param);
  return v;
}

export const MAX_TAGS = 50;
// AWS tagging character set: letters, numbers, spaces and _ . : / = + - @
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTagKey(key: unknown, param: string): string {
  if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
    throw badRequest(`Tag keys must be between 1 and 128 characters long: '${String(key)}'.`, param);
  }
  if (/^aws:/i.test(key)) throw badRequest(`Tag keys can't start with the reserved prefix 'aws:': '${key}'.`, param);
  if (!TAG_CHARS.test(key)) throw badRequest(`Tag key '${key}' contains characters that are not valid.`, param);
  return key;
}

/** CreateCluster/CreateClusterV2/TagResource `tags`: ≤ 50 pairs, keys 1–128, values ≤ 256. */
export function validateTags(tags: unknown, param = 'tags'): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) throw badRequest(`The ${param} parameter must be a map of strings.`, param);
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags.`, param);
  for (const [k, v] of entries) {
    validateTagKey(k, param);
    if (typeof v !== 'string' || v.length > 256) throw badRequest(`The value of tag '${k}' must be a string of at most 256 characters.`, param);
    if (!TAG_CHARS.test(v)) throw badRequest(`The value of tag '${k}' contains characters that are not valid.`, param);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** UntagResource `tagKeys`: at least one, each a valid key. */
export function validateTagKeys(keys: unknown): string[] {
  const list = typeof keys === 'string' ? [keys] : keys;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('The tagKeys parameter is required.', 'tagKeys');
  return list.map((k) => validateTagKey(k, 'tagKeys'));
}

/** TagResource: the resource's tags after merging must stay within {@link MAX_TAGS}. */
export function assertTagLimit(merged: Record<string, string>): void {
  if (Object.keys(merged).length > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags.`, 'tags');
}

/**
 * The cluster must be in one of `allowed`. `action` completes "You can't <action> a cluster in
 * <STATE> state.", e.g. 'get bootstrap broker nodes for' gives MSK's own FAILED-state text.
 * AWS-PARITY: which exception MSK uses for wrong states is unknown; docs/msk-behaviour.md §2 decides 400.
 */
/** States in which a cluster's brokers run and serve clients (bootstrap strings exist, SCRAM users can be given). */
export const SERVING_STATES: readonly string[] = ['ACTIVE', 'UPDATING', 'REBOOTING_BROKER', 'HEALING', 'MAINTENANCE'];

export function assertClusterState(state: string, allowed: readonly string[], action = 'update'): void {
  if (!allowed.includes(state)) throw badRequest(`You can't ${action} a cluster in ${state} state.`, 'clusterArn');
}

/** Optimistic concurrency: `given` must equal the cluster's current version (docs/msk-behaviour.md §3). */
export function assertCurrentVersion(expected: string, given: unknown): void {
  const v = assertString(given, 'currentVersion');
  if (v !== expected) throw badRequest(STALE_VERSION_MESSAGE, 'currentVersion');
}
