import { INTERNAL_COMMON_NAME, KEY_ALGORITHMS, SIGNING_ALGORITHMS, SUBJECT_ATTRIBUTES, TEMPLATES, type KeyAlgorithm, type SigningAlgorithm, type Template } from '@openmsk/pki';
import { AwsJsonError } from '../plugins/aws-json';

/** An error of the ACM PCA API: AWS JSON 1.1 answers it as HTTP 400 with `{"__type", "message"}`. */
export class PcaError extends AwsJsonError {}

export const invalidArgs = (message: string) => new PcaError('InvalidArgsException', message);
export const invalidState = (message: string) => new PcaError('InvalidStateException', message);

/** AWS's messages, verbatim where known; the guessed ones are listed in docs/acm-pca.md. */
export const MSG = {
  // Known (seen in AWS answers).
  notIssuing: 'The certificate authority is not in a valid state for issuing certificates',
  noIssued: (arn: string) => `The certificate authority ${arn} is not in the correct state to have issued certificates.`,
  noCsr: (arn: string) => `The certificate authority ${arn} is not in the correct state to have a certificate signing request.`,
  // Guessed.
  caNotFound: (arn: string) => `Could not find certificate authority ${arn}.`,
  certNotFound: (arn: string) => `Could not find certificate ${arn}.`,
  invalidArn: (arn: string) => `The ARN ${arn} is not valid.`,
  malformedCsr: (reason: string) => `The certificate signing request is malformed: ${reason}.`,
  reservedCn: `The subject common name ${INTERNAL_COMMON_NAME} is reserved for openmsk's own brokers and admin client; use another CN.`,
  subordinate: 'openmsk supports ROOT certificate authorities only; SUBORDINATE is not implemented.',
  nextToken: 'The token is not valid.',
} as const;

// AWS-PARITY: member constraint violations (null, length, range, enum) answer ValidationException with the wording of
// AWS's front door, as AWS does, although the ACM PCA model does not declare that error; SDKs raise it by name.
const validation = (detail: string) => new PcaError('ValidationException', `1 validation error detected: ${detail}`);
export const missing = (field: string) => validation(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
const notInEnum = (field: string, value: unknown, values: readonly string[]) =>
  validation(`Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
const tooLong = (field: string, max: number) => validation(`Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);

/** `field` of the wire input, camelCased as AWS's validation messages name members. */
const wire = (field: string) => field[0].toLowerCase() + field.slice(1);

/** An enum member (required unless `fallback` is given); `path` prefixes its name in messages (`validity.`). */
export function oneOf<T extends string>(input: Record<string, unknown>, field: string, values: readonly T[], fallback?: T, path = ''): T {
  const v = input[field];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw missing(path + wire(field));
  }
  if (typeof v !== 'string' || !values.includes(v as T)) throw notInEnum(path + wire(field), v, values);
  return v as T;
}

/** An integer member within [min, max]; `fallback` when absent. */
export function intIn(input: Record<string, unknown>, field: string, min: number, max: number, fallback: number): number {
  const v = input[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw validation(`Value '${String(v)}' at '${wire(field)}' failed to satisfy constraint: Member must be an integer`);
  if (v < min) throw validation(`Value '${v}' at '${wire(field)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (v > max) throw validation(`Value '${v}' at '${wire(field)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return v;
}

/** IdempotencyToken: 1–36 characters of `[\w!,.-]` (the SDK leaves it out unless given). */
export function checkIdempotencyToken(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw validation(`Value '${String(v)}' at 'idempotencyToken' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (v.length > 36) throw tooLong('idempotencyToken', 36);
  if (!/^[\w!,.-]+$/.test(v)) throw validation(`Value '${v}' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]*`);
  return v;
}

/** ASN1Subject limits (characters), from the ACM PCA model. */
const SUBJECT_MAX: Record<string, number> = {
  Country: 2, Organization: 64, OrganizationalUnit: 64, DistinguishedNameQualifier: 64, State: 128, CommonName: 64,
  SerialNumber: 64, Locality: 128, Title: 64, Surname: 40, GivenName: 16, Initials: 5, Pseudonym: 128, GenerationQualifier: 3,
};

export interface CaConfig {
  KeyAlgorithm: KeyAlgorithm;
  SigningAlgorithm: SigningAlgorithm;
  Subject: Record<string, string>;
}

/** CertificateAuthorityConfiguration: KeyAlgorithm, SigningAlgorithm of its family, a non-empty Subject. */
export function checkCaConfiguration(raw: unknown): CaConfig {
  if (raw === undefined || raw === null) throw missing('certificateAuthorityConfiguration');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidArgs('CertificateAuthorityConfiguration must be an object.');
  const c = raw as Record<string, unknown>;
  const keyAlgorithm = oneOf(c, 'KeyAlgorithm', KEY_ALGORITHMS, undefined, 'certificateAuthorityConfiguration.');
  const signingAlgorithm = oneOf(c, 'SigningAlgorithm', SIGNING_ALGORITHMS, undefined, 'certificateAuthorityConfiguration.');
  if (signingAlgorithm.endsWith('RSA') !== keyAlgorithm.startsWith('RSA_')) {
    throw invalidArgs(`The signing algorithm ${signingAlgorithm} does not match the key algorithm ${keyAlgorithm}.`);
  }
  const s = c.Subject;
  if (s === undefined || s === null) throw missing('certificateAuthorityConfiguration.subject');
  if (typeof s !== 'object' || Array.isArray(s)) throw invalidArgs('Subject must be an object.');
  const subject: Record<string, string> = {};
  for (const [field, value] of Object.entries(s as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (field === 'CustomAttributes') throw invalidArgs('Subject.CustomAttributes is not supported by openmsk.');
    if (!SUBJECT_ATTRIBUTES.some(([f]) => f === field)) continue;
    if (typeof value !== 'string') throw invalidArgs(`Subject.${field} must be a string.`);
    if (value.length > SUBJECT_MAX[field]) throw tooLong(`certificateAuthorityConfiguration.subject.${wire(field)}`, SUBJECT_MAX[field]);
    if (value.length > 0) subject[field] = value;
  }
  if (Object.keys(subject).length === 0) throw invalidArgs('The Subject of the certificate authority must contain at least one attribute.');
  if (subject.Country !== undefined && !/^[A-Z]{2}$/.test(subject.Country)) throw invalidArgs('Subject.Country must be a two-letter country code.');
  if (subject.CommonName !== undefined && isReservedCommonName(subject.CommonName)) throw invalidArgs(MSG.reservedCn);
  return { KeyAlgorithm: keyAlgorithm, SigningAlgorithm: signingAlgorithm, Subject: subject };
}

/**
 * True for the principal openmsk's brokers and admin client use (`CN=openmsk-internal`, a Kafka super user). Case and
 * surrounding spaces are ignored, so nothing that a DN comparison might fold into that name gets through.
 */
export const isReservedCommonName = (cn: string) => cn.trim().toLowerCase() === INTERNAL_COMMON_NAME;

const CA_ARN = /^arn:aws:acm-pca:([a-z0-9-]+):(\d{12}):certificate-authority\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CERT_ARN = /^(arn:aws:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36})\/certificate\/([0-9a-f]{32})$/;

/** `arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>`. */
export const caArn = (region: string, accountId: string, id: string) => `arn:aws:acm-pca:${region}:${accountId}:certificate-authority/${id}`;

/** A CertificateAuthorityArn member: present and of the CA ARN form (InvalidArnException otherwise). */
export function parseCaArn(v: unknown, field = 'certificateAuthorityArn'): { arn: string; region: string; accountId: string; id: string } {
  if (v === undefined || v === null) throw missing(field);
  if (typeof v !== 'string') throw new PcaError('InvalidArnException', MSG.invalidArn(String(v)));
  const m = CA_ARN.exec(v);
  if (!m) throw new PcaError('InvalidArnException', MSG.invalidArn(v));
  return { arn: v, region: m[1], accountId: m[2], id: m[3] };
}

/** A CertificateArn: `<ca arn>/certificate/<32 hex>`. */
export function parseCertificateArn(v: unknown): { arn: string; caArn: string; id: string } {
  if (v === undefined || v === null) throw missing('certificateArn');
  if (typeof v !== 'string') throw new PcaError('InvalidArnException', MSG.invalidArn(String(v)));
  const m = CERT_ARN.exec(v);
  if (!m) throw new PcaError('InvalidArnException', MSG.invalidArn(v));
  return { arn: v, caArn: m[1], id: m[2] };
}

const TEMPLATE_ARN = /^arn:aws:acm-pca:::template\/([A-Za-z0-9_]+\/V\d+)$/;

/** TemplateArn: one of TEMPLATES, EndEntityClientAuthCertificate/V1 when absent (what MSK's clients need). */
export function checkTemplate(v: unknown): Template {
  if (v === undefined || v === null) return 'EndEntityClientAuthCertificate/V1';
  if (typeof v !== 'string') throw new PcaError('InvalidArnException', MSG.invalidArn(String(v)));
  const m = TEMPLATE_ARN.exec(v);
  if (!m) throw new PcaError('InvalidArnException', MSG.invalidArn(v));
  if (!TEMPLATES.includes(m[1] as Template)) throw invalidArgs(`The template ${v} is not supported by openmsk; supported: ${TEMPLATES.join(', ')}.`);
  return m[1] as Template;
}

// AWS sets notBefore an hour before issuance, so a client whose clock runs behind still accepts a fresh certificate.
const NOT_BEFORE_SLACK_MS = 60 * 60_000;

/** Validity {Type, Value} to notBefore/notAfter: DAYS, MONTHS, YEARS from now, END_DATE (YYYYMMDDHHMMSS), ABSOLUTE (epoch seconds). */
export function checkValidity(v: unknown, now = new Date()): { notBefore: Date; notAfter: Date } {
  if (v === undefined || v === null) throw missing('validity');
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidArgs('Validity must be an object.');
  const o = v as Record<string, unknown>;
  const type = oneOf(o, 'Type', ['END_DATE', 'ABSOLUTE', 'DAYS', 'MONTHS', 'YEARS'] as const, undefined, 'validity.');
  const value = o.Value;
  if (value === undefined || value === null) throw missing('validity.value');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validation(`Value '${String(value)}' at 'validity.value' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  const start = Math.floor(now.getTime() / 1000) * 1000;
  let end: Date;
  switch (type) {
    case 'DAYS': end = new Date(start + value * 86_400_000); break;
    case 'MONTHS': end = new Date(start); end.setUTCMonth(end.getUTCMonth() + value); break;
    case 'YEARS': end = new Date(start); end.setUTCFullYear(end.getUTCFullYear() + value); break;
    case 'ABSOLUTE': end = new Date(value * 1000); break;
    case 'END_DATE': {
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(String(value));
      if (!m) throw invalidArgs('A Validity of Type END_DATE takes a Value of the form YYYYMMDDHHMMSS.');
      end = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
      break;
    }
  }
  if (!Number.isFinite(end.getTime()) || end.getTime() > Date.UTC(9999, 11, 31)) throw invalidArgs('The Validity is out of range.');
  if (end.getTime() <= start) throw invalidArgs('The Validity must end in the future.');
  return { notBefore: new Date(start - NOT_BEFORE_SLACK_MS), notAfter: end };
}

export interface Tag { Key: string; Value?: string }

/** Tags: Key 1–128, Value 0–256 characters, keys unique, `aws:` reserved (InvalidTagException). */
export function checkTags(tags: unknown, field = 'tags'): Tag[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalidArgs('Tags must be a list.');
  const keys = new Set<string>();
  return tags.map((t) => {
    const key = t?.Key;
    const value = t?.Value;
    if (typeof key !== 'string' || key.length === 0) throw missing(`${field}.member.key`);
    if (key.length > 128) throw tooLong(`${field}.member.key`, 128);
    if (value !== undefined && value !== null && typeof value !== 'string') throw new PcaError('InvalidTagException', 'A tag value must be a string.');
    if (typeof value === 'string' && value.length > 256) throw tooLong(`${field}.member.value`, 256);
    if (key.toLowerCase().startsWith('aws:')) throw new PcaError('InvalidTagException', 'Tag keys starting with aws: are reserved for AWS use.');
    if (keys.has(key)) throw new PcaError('InvalidTagException', `The tag key ${key} appears more than once.`);
    keys.add(key);
    return typeof value === 'string' ? { Key: key, Value: value } : { Key: key };
  });
}

/** Seconds since the epoch with milliseconds, as AWS JSON 1.1 writes timestamps. */
export const epoch = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : undefined);

/** A page position as an opaque token (base64url of the offset). */
export const pageToken = (offset: number) => Buffer.from(String(offset)).toString('base64url');
export function readPageToken(v: unknown): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' ? Number(Buffer.from(v, 'base64url').toString('utf8')) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new PcaError('InvalidNextTokenException', MSG.nextToken);
  return n;
}
