/** CreateConfiguration / UpdateConfiguration request rules (docs/msk-behaviour.md §6). */
import type { CreateConfigurationRequest, UpdateConfigurationRequest } from '@aws-sdk/client-kafka';
import { badRequest } from '@openmsk/wire/src/errors';
import { validateServerProperties } from '../allowlist';
import { assertName, assertRequired } from './common';
import { assertKafkaVersion } from './create-cluster';

// AWS-PARITY: the model puts no bound on `description`; we cap it so a revision stays small.
export const MAX_DESCRIPTION_LENGTH = 1024;

/** The blob arrives base64-decoded (bytes) from the wire layer, or as text from internal callers. */
type Blob = Uint8Array | string;

export interface ValidConfigurationRevision {
  description?: string;
  /** The text as stored and returned by DescribeConfigurationRevision. */
  serverProperties: string;
  /** Effective keys (last duplicate wins). */
  properties: Map<string, string>;
}

export interface ValidCreateConfiguration extends ValidConfigurationRevision {
  name: string;
  kafkaVersions: string[];
}

/**
 * UTF-8 text of a serverProperties blob. (Java reads .properties bytes as ISO-8859-1; UTF-8 is
 * what the CLI and SDK users write, and renderProperties \u-escapes non-ASCII for the broker.)
 */
export function decodeServerProperties(blob: Blob): string {
  return typeof blob === 'string' ? blob : new TextDecoder('utf-8').decode(blob);
}

function checkDescription(d: unknown): string | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d !== 'string' || d.length > MAX_DESCRIPTION_LENGTH) {
    throw badRequest(`The description parameter must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters.`, 'description');
  }
  return d;
}

function checkRevision(blob: unknown, description: unknown, kafkaVersions: readonly string[]): ValidConfigurationRevision {
  const raw = assertRequired(blob as Blob | undefined, 'serverProperties');
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    throw badRequest('The serverProperties parameter must be base64-encoded bytes.', 'serverProperties');
  }
  const desc = checkDescription(description);
  const serverProperties = decodeServerProperties(raw);
  const properties = validateServerProperties(serverProperties, kafkaVersions);
  return { ...(desc !== undefined && { description: desc }), serverProperties, properties };
}

type CreateInput = Omit<CreateConfigurationRequest, 'ServerProperties'> & { ServerProperties: Blob | undefined };
type UpdateInput = Omit<UpdateConfigurationRequest, 'ServerProperties' | 'Arn'> & { ServerProperties: Blob | undefined };

/**
 * CreateConfiguration: name 1–64 of `^[0-9A-Za-z][0-9A-Za-z-]*$`, each of kafkaVersions in the
 * catalog (duplicates dropped), serverProperties checked against every listed version (all
 * catalog versions when none is listed).
 */
export function validateCreateConfiguration(input: CreateInput): ValidCreateConfiguration {
  const name = assertName(input.Name, 'name');
  const versions = input.KafkaVersions ?? [];
  if (!Array.isArray(versions)) throw badRequest('The kafkaVersions parameter must be a list of strings.', 'kafkaVersions');
  const kafkaVersions = [...new Set(versions.map((v) => assertKafkaVersion(v, 'kafkaVersions')))];
  return { name, kafkaVersions, ...checkRevision(input.ServerProperties, input.Description, kafkaVersions) };
}

/** UpdateConfiguration: a new revision, checked against the configuration's own kafkaVersions. */
export function validateUpdateConfiguration(input: UpdateInput, configurationKafkaVersions: readonly string[]): ValidConfigurationRevision {
  return checkRevision(input.ServerProperties, input.Description, configurationKafkaVersions);
}
