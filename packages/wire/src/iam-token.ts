/**
 * Verification of the SASL/OAUTHBEARER token that MSK IAM clients send: base64url (no padding) of a SigV4-presigned
 * `GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-...` URL, signed for the service
 * `kafka-cluster`, as aws-msk-iam-sasl-signer-js / -python / -go and aws-msk-iam-auth's
 * IAMOAuthBearerLoginCallbackHandler make it (docs/iam-authentication.md has the sources).
 *
 * The signature is recomputed with `@smithy/signature-v4`'s `presign` from the token's own values: method GET, path
 * '/', the one signed header `host`, the empty payload's SHA-256 (every signer presigns a body-less request this
 * way, none uses UNSIGNED-PAYLOAD), and every query parameter except X-Amz-Signature and User-Agent, which all three
 * signers append after signing. Only the parameters those signers emit are accepted, each once, so nothing the
 * signature does not cover can ride along.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256, parseAmzDate, safeEqual } from './sigv4';

/** Why a token was refused. */
export type IamTokenReason =
  | 'malformed'
  | 'not-base64url'
  | 'wrong-host'
  | 'wrong-region'
  | 'wrong-action'
  | 'wrong-service'
  | 'bad-expiry'
  | 'expired'
  | 'not-yet-valid'
  | 'unknown-key'
  | 'bad-session-token'
  | 'bad-signature';

/** A refused token; `reason` is for logs and tests, the message never contains the signature or a secret. */
export class IamTokenError extends Error {
  constructor(
    readonly reason: IamTokenReason,
    message: string,
  ) {
    super(message);
    this.name = 'IamTokenError';
  }
}

/** What the token says, before any check of its signature, time or region against the verifier's. */
export interface ParsedIamToken {
  /** The decoded presigned URL. */
  url: string;
  host: string;
  /** The region of the host name (`kafka.<region>.amazonaws.com`). */
  hostRegion: string;
  action: string;
  accessKeyId: string;
  /** Credential scope: `<date>/<region>/<service>/aws4_request`. */
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  /** X-Amz-Date. */
  signedAt: Date;
  /** X-Amz-Expires as sent (the JS signer sends a fraction when the credentials expire within 15 minutes). */
  expires: string;
  signature: string;
  securityToken?: string;
  userAgent?: string;
  /** The parameters the signature covers, as sent (decoded once). */
  signedQuery: Record<string, string>;
}

export interface VerifyIamTokenOptions {
  /** The only region a token is accepted for: the cluster's. */
  region: string;
  now?: () => Date;
  /** The key's secret and account, or null when the key is unknown or inactive. */
  lookupSecret: (accessKeyId: string) => Promise<IamKeyRecord | null>;
  /** Allowed clock skew for a token signed in the future; default 300 s. */
  maxSkewSeconds?: number;
}

export interface IamKeyRecord {
  secretAccessKey: string;
  accountId: string;
  /** Temporary credentials only: the session token the key was issued with. A long-term key has none. */
  sessionToken?: string;
}

export interface VerifiedIamToken {
  accessKeyId: string;
  accountId: string;
  /** X-Amz-Date + X-Amz-Expires: how long an answer about this token may be cached. */
  expiresAt: Date;
}

export const IAM_TOKEN_SERVICE = 'kafka-cluster';
export const IAM_TOKEN_ACTION = 'kafka-cluster:Connect';
/** The longest X-Amz-Expires any signer sets, and the longest accepted. */
export const IAM_TOKEN_MAX_EXPIRES_SECONDS = 900;
/** Longer than any real token (an STS session token is a few KiB at most); refused before decoding. */
const MAX_TOKEN_CHARS = 16_384;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const HOST_PATTERN = /^kafka\.([a-z0-9-]+)\.amazonaws\.com$/;
/** Parameters set by the signers; X-Amz-Signature and User-Agent are the two the signature does not cover. */
const KNOWN_PARAMS = new Set([
  'Action',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
  'User-Agent',
]);
const UNSIGNED_PARAMS = new Set(['X-Amz-Signature', 'User-Agent']);

const fail = (reason: IamTokenReason, message: string): never => {
  throw new IamTokenError(reason, message);
};

function decodeToken(token: string): string {
  if (typeof token !== 'string' || token.length === 0) fail('malformed', 'The token is empty.');
  if (token.length > MAX_TOKEN_CHARS) fail('malformed', `The token is longer than ${MAX_TOKEN_CHARS} characters.`);
  // Unpadded base64url only, and canonical: Buffer's decoder would skip stray characters and ignore extra bits.
  if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length % 4 === 1) {
    fail('not-base64url', 'The token is not unpadded base64url.');
  }
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) fail('not-base64url', 'The token is not canonical base64url.');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('malformed', 'The token does not decode to UTF-8 text.');
  }
}

/** Decodes a token and reads its fields; throws `IamTokenError` when it is not a presigned MSK IAM URL. */
export function parseIamToken(token: string): ParsedIamToken {
  const url = decodeToken(token);
  if (!url.startsWith('https://')) fail('malformed', 'The token is not an https URL.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('malformed', 'The token is not a URL.');
  }
  const hostMatch = HOST_PATTERN.exec(parsed.host);
  if (parsed.username !== '' || parsed.password !== '' || !hostMatch) {
    fail('wrong-host', `The token is signed for host '${parsed.host}', not kafka.<region>.amazonaws.com.`);
  }
  if (parsed.pathname !== '/' || parsed.hash !== '' || url.includes('#')) {
    fail('malformed', "The token's URL path is not '/'.");
  }

  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(parsed.search)) {
    if (!KNOWN_PARAMS.has(name)) fail('malformed', `The token carries an unexpected parameter '${name}'.`);
    if (name in query) fail('malformed', `The token carries '${name}' twice.`);
    query[name] = value;
  }
  for (const name of ['Action', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
    if (!query[name]) fail('malformed', `The token has no ${name}.`);
  }
  if (query['X-Amz-Algorithm'] !== ALGORITHM) fail('malformed', `The token's algorithm is not ${ALGORITHM}.`);
  if (query['X-Amz-SignedHeaders'] !== 'host') fail('malformed', "The token's signed headers are not 'host'.");
  if (!/^[0-9a-f]{64}$/.test(query['X-Amz-Signature'])) fail('malformed', "The token's signature is not 64 hex digits.");

  const credential = query['X-Amz-Credential'].split('/');
  if (credential.length !== 5 || credential[0] === '' || credential[4] !== 'aws4_request') {
    fail('malformed', "The token's credential is not <access key id>/<date>/<region>/<service>/aws4_request.");
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = credential;
  const signedAt = parseAmzDate(query['X-Amz-Date']);
  if (!signedAt) fail('malformed', "The token's X-Amz-Date is not an ISO-8601 basic-format UTC time.");
  if (scopeDate !== query['X-Amz-Date'].slice(0, 8)) {
    fail('malformed', "The token's credential date is not the day of its X-Amz-Date.");
  }

  const signedQuery: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(query)) if (!UNSIGNED_PARAMS.has(name)) signedQuery[name] = value;
  return {
    url,
    host: parsed.host,
    hostRegion: hostMatch![1],
    action: query.Action,
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    signedAt: signedAt!,
    expires: query['X-Amz-Expires'] ?? '',
    signature: query['X-Amz-Signature'],
    securityToken: query['X-Amz-Security-Token'],
    userAgent: query['User-Agent'],
    signedQuery,
  };
}

/**
 * X-Amz-Expires in seconds, or null. A fraction is accepted because aws-msk-iam-sasl-signer-js sends
 * `min(credential lifetime left, 900)` unrounded; the string must be the number's own form, which is what the
 * signer signed and what `presign` re-signs.
 */
function expirySeconds(raw: string): number | null {
  if (!/^[1-9]\d*(\.\d+)?$/.test(raw)) return null;
  const n = Number(raw);
  return n.toString(10) === raw && n > 0 && n <= IAM_TOKEN_MAX_EXPIRES_SECONDS ? n : null;
}

/**
 * Verifies an MSK IAM token for one region: fields, time, key and signature, in that order (the key is looked up
 * only for a token that could be valid). Resolves with the caller's key and account; rejects with `IamTokenError`.
 */
export async function verifyIamToken(token: string, opts: VerifyIamTokenOptions): Promise<VerifiedIamToken> {
  const t = parseIamToken(token);
  const now = (opts.now ?? (() => new Date()))();
  const skewMs = (opts.maxSkewSeconds ?? 300) * 1000;

  if (t.hostRegion !== opts.region) {
    fail('wrong-region', `The token is for region '${t.hostRegion}', not '${opts.region}'.`);
  }
  if (t.scopeRegion !== t.hostRegion) {
    fail('wrong-region', `The token's credential is scoped to region '${t.scopeRegion}', its host to '${t.hostRegion}'.`);
  }
  if (t.action !== IAM_TOKEN_ACTION) fail('wrong-action', `The token's action is '${t.action}', not '${IAM_TOKEN_ACTION}'.`);
  if (t.scopeService !== IAM_TOKEN_SERVICE) {
    fail('wrong-service', `The token's credential is scoped to service '${t.scopeService}', not '${IAM_TOKEN_SERVICE}'.`);
  }
  const expires = expirySeconds(t.expires);
  if (expires === null) {
    fail('bad-expiry', `The token's X-Amz-Expires must be 1 to ${IAM_TOKEN_MAX_EXPIRES_SECONDS} seconds.`);
  }
  const expiresAt = new Date(t.signedAt.getTime() + expires! * 1000);
  if (t.signedAt.getTime() > now.getTime() + skewMs) fail('not-yet-valid', 'The token is signed in the future.');
  if (now.getTime() >= expiresAt.getTime()) fail('expired', `The token expired at ${expiresAt.toISOString()}.`);

  const key = await opts.lookupSecret(t.accessKeyId);
  if (!key) return fail('unknown-key', 'The token is signed with an unknown access key.');
  // openmsk's keys are long-term; a session token must be the key's own (temporary credentials, if ever issued).
  if (t.securityToken !== undefined || key.sessionToken !== undefined) {
    if (t.securityToken === undefined || key.sessionToken === undefined || !safeEqual(t.securityToken, key.sessionToken)) {
      fail('bad-session-token', 'The token carries a session token that does not belong to its access key.');
    }
  }

  const signer = new SignatureV4({
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: t.securityToken },
    region: opts.region,
    service: IAM_TOKEN_SERVICE,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  // presign sets the X-Amz-* parameters itself, from the same values the token carries.
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(t.signedQuery)) if (!name.startsWith('X-Amz-')) query[name] = value;
  const presigned = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: t.host, path: '/', query, headers: { host: t.host } },
    { signingDate: t.signedAt, expiresIn: expires!, signingRegion: opts.region, signingService: IAM_TOKEN_SERVICE },
  );
  const resigned = presigned.query ?? {};
  const expected = resigned['X-Amz-Signature'];
  for (const [name, value] of Object.entries(t.signedQuery)) {
    // What presign signed must be what the client signed, or the comparison below would compare different requests.
    if (resigned[name] !== value) fail('bad-signature', 'The token signature does not match.');
  }
  if (typeof expected !== 'string' || !safeEqual(expected, t.signature)) {
    fail('bad-signature', 'The token signature does not match.');
  }
  return { accessKeyId: t.accessKeyId, accountId: key.accountId, expiresAt };
}
