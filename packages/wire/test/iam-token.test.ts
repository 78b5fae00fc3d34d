import { createHash, createHmac } from 'node:crypto';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import {
  IamTokenError,
  parseIamToken,
  verifyIamToken,
  type IamKeyRecord,
  type IamTokenReason,
  type VerifyIamTokenOptions,
} from '../src/iam-token';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE+session/token==';

const keys: Record<string, IamKeyRecord> = { [AKID]: { secretAccessKey: SECRET, accountId: ACCOUNT } };
const lookupSecret = async (id: string) => keys[id] ?? null;

const decode = (token: string) => Buffer.from(token, 'base64url').toString('utf8');
const encode = (url: string) => Buffer.from(url, 'utf8').toString('base64url');

/** A token made by AWS's own JS signer, from static credentials (signing is local; nothing goes to the network). */
async function jsSignerToken(
  region = REGION,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } = {
    accessKeyId: AKID,
    secretAccessKey: SECRET,
  },
) {
  return generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: async () => credentials });
}

async function refusal(token: string, opts: Partial<VerifyIamTokenOptions> = {}): Promise<IamTokenReason> {
  try {
    await verifyIamToken(token, { region: REGION, lookupSecret, ...opts });
  } catch (e) {
    if (e instanceof IamTokenError) return e.reason;
    throw e;
  }
  throw new Error('token was accepted');
}

/** Rewrites one query parameter of a token's URL, leaving the rest (and the signature) as it was. */
function withParam(token: string, name: string, value: string): string {
  const url = new URL(decode(token));
  url.searchParams.set(name, value);
  return encode(url.toString());
}

// ---- An independent SigV4 query signer (node:crypto only), laid out as the Python and Java signers lay out URLs ----

/** RFC 3986 percent-encoding, as botocore's percent_encode and the AWS SDK for Java's SdkHttpUtils.urlEncode do. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

interface HandSigned {
  region?: string;
  hostRegion?: string;
  service?: string;
  action?: string;
  expires?: string;
  date?: string; // YYYYMMDDTHHMMSSZ
  secret?: string;
  sessionToken?: string;
  userAgent?: string;
  /** Query order on the wire: botocore puts Action first, then its auth parameters; Java's SDK v2 its own order. */
  layout?: 'python' | 'java';
}

/**
 * The presigned URL per the SigV4 query-string documentation: canonical request
 * `GET\n/\n<sorted query without X-Amz-Signature>\nhost:<host>\n\nhost\n<sha256 of empty>`, User-Agent appended after
 * signing (MSKAuthTokenProvider.py: `sig_v4.add_auth(request)` then `request.params = {User-Agent: ...}`;
 * IAMOAuthBearerLoginCallbackHandler.java: `presignRequest(...)` then `appendRawQueryParameter(USER_AGENT_KEY, ...)`).
 */
function handSignedToken(o: HandSigned = {}): { token: string; signedAt: Date } {
  const region = o.region ?? REGION;
  const host = `kafka.${o.hostRegion ?? region}.amazonaws.com`;
  const date = o.date ?? '20261202T120000Z';
  const day = date.slice(0, 8);
  const service = o.service ?? 'kafka-cluster';
  const scope = `${day}/${region}/${service}/aws4_request`;
  const params: [string, string][] =
    o.layout === 'java'
      ? [
          ['Action', o.action ?? 'kafka-cluster:Connect'],
          ['X-Amz-Security-Token', o.sessionToken ?? ''],
          ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
          ['X-Amz-Date', date],
          ['X-Amz-SignedHeaders', 'host'],
          ['X-Amz-Expires', o.expires ?? '900'],
          ['X-Amz-Credential', `${AKID}/${scope}`],
        ]
      : [
          ['Action', o.action ?? 'kafka-cluster:Connect'],
          ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
          ['X-Amz-Credential', `${AKID}/${scope}`],
          ['X-Amz-Date', date],
          ['X-Amz-Expires', o.expires ?? '900'],
          ['X-Amz-SignedHeaders', 'host'],
          ['X-Amz-Security-Token', o.sessionToken ?? ''],
        ];
  const signed = params.filter(([k, v]) => k !== 'X-Amz-Security-Token' || v !== '');
  const canonicalQuery = signed
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}`, '', 'host', EMPTY_SHA256].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  let k = hmac(`AWS4${o.secret ?? SECRET}`, day);
  for (const part of [region, service, 'aws4_request']) k = hmac(k, part);
  const signature = createHmac('sha256', k).update(stringToSign, 'utf8').digest('hex');
  const wire = signed.map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`).join('&');
  // botocore's prepare() urlencodes the late User-Agent with quote_plus ('/' as %2F), Java appends it raw-encoded.
  const ua = o.userAgent ?? (o.layout === 'java' ? 'aws-msk-iam-auth/2.3.2-java' : 'aws-msk-iam-sasl-signer-python/1.0.2');
  const url = `https://${host}/?${wire}&X-Amz-Signature=${signature}&User-Agent=${encodeURIComponent(ua)}`;
  const base64 = Buffer.from(url, 'utf8').toString('base64url').replace(/=+$/, '');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date)!;
  return { token: base64, signedAt: new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) };
}

const at = (d: Date, seconds: number) => () => new Date(d.getTime() + seconds * 1000);

describe('tokens of aws-msk-iam-sasl-signer-js', () => {
  test('the token has the documented form', async () => {
    const { token, expiryTime } = await jsSignerToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(url).toMatch(
      // formatUrl (@aws-sdk/util-format-url) writes the query sorted by name, so User-Agent comes second.
      /^https:\/\/kafka\.us-east-1\.amazonaws\.com\/\?Action=kafka-cluster%3AConnect&User-Agent=aws-msk-iam-sasl-signer-js%2F\d+\.\d+\.\d+&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F\d{8}%2Fus-east-1%2Fkafka-cluster%2Faws4_request&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=900&X-Amz-Signature=[0-9a-f]{64}&X-Amz-SignedHeaders=host$/,
    );
    const parsed = parseIamToken(token);
    expect(parsed.signedAt.getTime() + 900_000).toBe(expiryTime);
  });

  test('is accepted, with the key, its account and the expiry', async () => {
    const { token, expiryTime } = await jsSignerToken();
    const verified = await verifyIamToken(token, { region: REGION, lookupSecret });
    expect(verified).toEqual({ accessKeyId: AKID, accountId: ACCOUNT, expiresAt: new Date(expiryTime) });
  });

  test('is accepted until it expires, and refused from then on', async () => {
    const { token } = await jsSignerToken();
    const signedAt = parseIamToken(token).signedAt;
    await expect(verifyIamToken(token, { region: REGION, lookupSecret, now: at(signedAt, 899) })).resolves.toBeTruthy();
    expect(await refusal(token, { now: at(signedAt, 900) })).toBe('expired');
    expect(await refusal(token, { now: at(signedAt, 3600) })).toBe('expired');
  });

  test('signed more than five minutes in the future is refused; within the skew it is accepted', async () => {
    const { token } = await jsSignerToken();
    const signedAt = parseIamToken(token).signedAt;
    expect(await refusal(token, { now: at(signedAt, -301) })).toBe('not-yet-valid');
    await expect(verifyIamToken(token, { region: REGION, lookupSecret, now: at(signedAt, -299) })).resolves.toBeTruthy();
  });

  test('a tampered signature, a wrong secret, an unknown key are refused', async () => {
    const { token } = await jsSignerToken();
    const sig = parseIamToken(token).signature;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(await refusal(withParam(token, 'X-Amz-Signature', flipped))).toBe('bad-signature');
    expect(await refusal(token, { lookupSecret: async () => ({ secretAccessKey: 'not-the-secret', accountId: ACCOUNT }) })).toBe(
      'bad-signature',
    );
    expect(await refusal(token, { lookupSecret: async () => null })).toBe('unknown-key');
  });

  test('a token for another region is refused, even with the right key', async () => {
    const { token } = await jsSignerToken('eu-west-1');
    expect(await refusal(token)).toBe('wrong-region');
    await expect(verifyIamToken(token, { region: 'eu-west-1', lookupSecret })).resolves.toMatchObject({ accountId: ACCOUNT });
    // The host moved to the verifier's region but the scope and the signature stay eu-west-1's.
    const moved = encode(decode(token).replace('kafka.eu-west-1.', 'kafka.us-east-1.'));
    expect(await refusal(moved)).toBe('wrong-region');
  });

  test('changing what was signed breaks the signature: the User-Agent is the one parameter that is not signed', async () => {
    const { token } = await jsSignerToken();
    expect(await refusal(withParam(token, 'X-Amz-Date', '20261201T000000Z'), { now: () => new Date('2026-12-01T00:01:00Z') })).toBe(
      'malformed', // the credential scope's day no longer matches
    );
    const signedAt = parseIamToken(token).signedAt;
    const earlier = new Date(signedAt.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    if (earlier.slice(0, 8) === parseIamToken(token).scopeDate) {
      expect(await refusal(withParam(token, 'X-Amz-Date', earlier))).toBe('bad-signature');
    }
    expect(await refusal(withParam(token, 'X-Amz-Expires', '899'))).toBe('bad-signature');
    await expect(verifyIamToken(withParam(token, 'User-Agent', 'something-else/1.0'), { region: REGION, lookupSecret })).resolves.toBeTruthy();
  });

  test('credentials expiring within 15 minutes make a shorter, fractional X-Amz-Expires, which is accepted', async () => {
    const { token, expiryTime } = await jsSignerToken(REGION, {
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      expiration: new Date(Date.now() + 120_321),
    });
    const expires = parseIamToken(token).expires;
    // min(seconds left, 900), unrounded: 120.321 less the milliseconds since the line above
    expect(expires).toMatch(/^1[12]\d(\.\d+)?$/);
    expect(Number(expires)).toBeLessThanOrEqual(120.321);
    const verified = await verifyIamToken(token, { region: REGION, lookupSecret });
    expect(Math.abs(verified.expiresAt.getTime() - expiryTime)).toBeLessThan(1);
  });

  test('a session token is signed into the URL; it must be the key record\'s own', async () => {
    const { token } = await jsSignerToken(REGION, { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN });
    expect(parseIamToken(token).securityToken).toBe(SESSION_TOKEN);
    const temporary = async () => ({ secretAccessKey: SECRET, accountId: ACCOUNT, sessionToken: SESSION_TOKEN });
    await expect(verifyIamToken(token, { region: REGION, lookupSecret: temporary })).resolves.toMatchObject({ accessKeyId: AKID });
    // A long-term key with a session token, or a temporary key without its own.
    expect(await refusal(token)).toBe('bad-session-token');
    const { token: plain } = await jsSignerToken();
    expect(await refusal(plain, { lookupSecret: temporary })).toBe('bad-session-token');
    expect(
      await refusal(token, { lookupSecret: async () => ({ secretAccessKey: SECRET, accountId: ACCOUNT, sessionToken: 'other' }) }),
    ).toBe('bad-session-token');
  });
});

describe('tokens in the Python and Java signers\' layouts, signed by hand', () => {
  test('botocore SigV4QueryAuth layout (aws-msk-iam-sasl-signer-python), with a session token, is accepted', async () => {
    const { token, signedAt } = handSignedToken({ sessionToken: SESSION_TOKEN });
    expect(decode(token)).toContain('&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2Bsession%2Ftoken%3D%3D&X-Amz-Signature=');
    expect(decode(token)).toMatch(/&User-Agent=aws-msk-iam-sasl-signer-python%2F1\.0\.2$/);
    const temporary = async () => ({ secretAccessKey: SECRET, accountId: ACCOUNT, sessionToken: SESSION_TOKEN });
    await expect(verifyIamToken(token, { region: REGION, lookupSecret: temporary, now: at(signedAt, 10) })).resolves.toEqual({
      accessKeyId: AKID,
      accountId: ACCOUNT,
      expiresAt: new Date(signedAt.getTime() + 900_000),
    });
  });

  test('AWS SDK for Java v2 layout (aws-msk-iam-auth IAMOAuthBearerLoginCallbackHandler) is accepted', async () => {
    const { token, signedAt } = handSignedToken({ layout: 'java', region: 'us-west-1' });
    await expect(verifyIamToken(token, { region: 'us-west-1', lookupSecret, now: at(signedAt, 60) })).resolves.toMatchObject({
      accountId: ACCOUNT,
    });
  });

  test('validly signed but wrong: action, service, over-long or missing expiry, scope region', async () => {
    const opts = (signedAt: Date) => ({ now: at(signedAt, 1) });
    for (const [o, reason] of [
      [{ action: 'kafka-cluster:DescribeCluster' }, 'wrong-action'],
      [{ service: 'kafka' }, 'wrong-service'],
      [{ expires: '901' }, 'bad-expiry'],
      [{ expires: '3600' }, 'bad-expiry'],
      [{ expires: '0' }, 'bad-expiry'],
      [{ expires: '0900' }, 'bad-expiry'],
      [{ expires: '900.5' }, 'bad-expiry'],
      [{ expires: '1e2' }, 'bad-expiry'],
      [{ region: 'eu-west-1', hostRegion: REGION }, 'wrong-region'],
    ] as [HandSigned, IamTokenReason][]) {
      const { token, signedAt } = handSignedToken(o);
      expect([o, await refusal(token, opts(signedAt))]).toEqual([o, reason]);
    }
    const { token, signedAt } = handSignedToken();
    const noExpiry = encode(decode(token).replace(/&X-Amz-Expires=900/, ''));
    expect(await refusal(noExpiry, opts(signedAt))).toBe('bad-expiry');
  });

  test('a fractional X-Amz-Expires (what the JS signer sends for expiring credentials) counts to the millisecond', async () => {
    const { token, signedAt } = handSignedToken({ expires: '119.5' });
    const verified = await verifyIamToken(token, { region: REGION, lookupSecret, now: at(signedAt, 119.4) });
    expect(verified.expiresAt).toEqual(new Date(signedAt.getTime() + 119_500));
    expect(await refusal(token, { now: at(signedAt, 119.5) })).toBe('expired');
  });

  test('signed with the wrong secret is refused', async () => {
    const { token, signedAt } = handSignedToken({ secret: 'someone-elses-secret' });
    expect(await refusal(token, { now: at(signedAt, 1) })).toBe('bad-signature');
  });
});

describe('garbage', () => {
  const { token } = handSignedToken();
  const url = decode(token);
  test.each<[string, string, IamTokenReason]>([
    ['empty', '', 'malformed'],
    ['padded base64', `${encode('https://x')}=`, 'not-base64url'],
    ['standard base64 alphabet', 'aHR0cHM6+/8', 'not-base64url'],
    ['whitespace', `${token.slice(0, 10)} ${token.slice(10)}`, 'not-base64url'],
    ['non-canonical trailing bits', `${encode('ab')}`.replace(/.$/, 'j'), 'not-base64url'],
    ['not a URL', encode('hello world'), 'malformed'],
    ['http, not https', encode(url.replace('https://', 'http://')), 'malformed'],
    ['another host', encode(url.replace('kafka.us-east-1.amazonaws.com', 'kafka.us-east-1.example.com')), 'wrong-host'],
    ['a port', encode(url.replace('amazonaws.com/', 'amazonaws.com:9098/')), 'wrong-host'],
    ['a path', encode(url.replace('amazonaws.com/?', 'amazonaws.com/x?')), 'malformed'],
    ['an extra parameter', encode(`${url}&Extra=1`), 'malformed'],
    ['a repeated parameter', encode(`${url}&Action=kafka-cluster%3AConnect`), 'malformed'],
    ['__proto__', encode(`${url}&__proto__=x`), 'malformed'],
    ['no signature', encode(url.replace(/&X-Amz-Signature=[0-9a-f]+/, '')), 'malformed'],
    ['another algorithm', encode(url.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')), 'malformed'],
    ['more signed headers', encode(url.replace('SignedHeaders=host', 'SignedHeaders=host%3Bx-amz-date')), 'malformed'],
    ['a short credential', encode(url.replace('AKIDEXAMPLE%2F', '')), 'malformed'],
    ['invalid UTF-8', Buffer.from([0x68, 0x74, 0xff, 0xfe]).toString('base64url'), 'malformed'],
    ['too long', 'A'.repeat(20_000), 'malformed'],
  ])('%s is refused', async (_name, garbage, reason) => {
    expect(await refusal(garbage, { now: () => new Date('2026-12-02T12:00:01Z') })).toBe(reason);
  });

  test('the key is not looked up for a token that is refused on its face', async () => {
    const looked: string[] = [];
    const spy = async (id: string) => (looked.push(id), keys[id] ?? null);
    expect(await refusal(handSignedToken({ action: 'kafka-cluster:*' }).token, { lookupSecret: spy })).toBe('wrong-action');
    expect(await refusal(handSignedToken().token, { lookupSecret: spy })).toBe('expired');
    expect(looked).toEqual([]);
  });
});
