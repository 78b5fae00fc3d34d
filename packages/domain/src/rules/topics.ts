/**
 * Input rules of the Topics API (CreateTopic, UpdateTopic, …): Kafka's own topic rules, in MSK's error shape
 * (400 BadRequestException naming the wire member). What only the brokers can decide (whether a config key
 * exists for topics, a replication factor against the live broker count) is asked of them, validate-only first.
 */
import { badRequest } from '@openmsk/wire/src/errors';
import { parseProperties, PropertiesSyntaxError } from '../properties';
import { assertInteger, assertString } from './common';

/** Kafka's limit (`Topic.MAX_NAME_LENGTH`) and legal characters (`Topic.LEGAL_CHARS`). */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function assertTopicName(value: unknown, param = 'topicName'): string {
  const v = assertString(value, param, 1, 249);
  if (v === '.' || v === '..') throw badRequest(`Topic name cannot be "${v}".`, param);
  if (!TOPIC_NAME.test(v)) {
    throw badRequest(`Topic name "${v.slice(0, 249)}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'.`, param);
  }
  return v;
}

/** Kafka has no hard partition limit; openmsk refuses more than this per topic (a typo's 10^9 would stall brokers). */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

export const assertPartitionCount = (value: unknown) => assertInteger(value, 'partitionCount', 1, MAX_PARTITIONS_PER_TOPIC);
export const assertReplicationFactor = (value: unknown) => assertInteger(value, 'replicationFactor', 1, 32767);

/** Bytes of decoded `configs` accepted (a topic has a few dozen settings). */
export const MAX_TOPIC_CONFIGS_BYTES = 64 * 1024;
const CONFIG_KEY = /^[a-z0-9][a-z0-9._-]{0,254}$/;

/**
 * `configs` is a base64 string. AWS's own examples decode to properties text (`retention.ms=604800000`, one per
 * line); Terraform and Pulumi send base64 of a JSON object (`{"retention.ms":"604800000"}`). Both are accepted;
 * openmsk answers in the properties form (docs/msk-behaviour.md §9).
 */
export function parseTopicConfigs(value: unknown, param = 'configs'): Record<string, string> {
  const v = assertString(value, param, 0, Math.ceil((MAX_TOPIC_CONFIGS_BYTES * 4) / 3) + 4);
  const invalid = (why: string) => badRequest(`The ${param} parameter must be base64 of properties text or of a JSON object: ${why}.`, param);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw invalid('not base64');
  const text = Buffer.from(v, 'base64').toString('utf8');
  if (text.includes('\u0000') || text.includes('\ufffd')) throw invalid('not UTF-8 text');
  let entries: [string, string][];
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalid('unreadable JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('JSON that is not an object');
    entries = Object.entries(parsed as Record<string, unknown>).map(([k, x]) => {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw invalid(`the value of ${k.slice(0, 64)} is not a string, number or boolean`);
      return [k, String(x)];
    });
  } else {
    try {
      entries = parseProperties(text).map((e) => [e.key, e.value]);
    } catch (e) {
      if (e instanceof PropertiesSyntaxError) throw invalid(e.message);
      throw e;
    }
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, x] of entries) {
    if (!CONFIG_KEY.test(k)) throw badRequest(`Unknown topic configuration [${k.slice(0, 64)}].`, param);
    if (k in out) throw badRequest(`The topic configuration ${k} is given twice.`, param);
    out[k] = x;
  }
  return { ...out };
}

/** The properties form openmsk answers `configs` in: one `key=value` per line, sorted, base64. */
export function encodeTopicConfigs(configs: Readonly<Record<string, string>>): string {
  const text = Object.keys(configs).sort().map((k) => `${k}=${configs[k]}`).join('\n');
  return Buffer.from(text, 'utf8').toString('base64');
}
