import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateConfigurationCommand,
  DescribeClusterCommand,
  KafkaClient,
  ListClustersCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kafka';
import { SignatureV4 } from '@smithy/signature-v4';
import { MskError } from '../src/errors';
import { MAX_QUERY_PAIRS, hasSigV4, parseRequestTarget, verifySigV4, type KeyRecord, type SignedRequest } from '../src/sigv4';

// The SDK warns once per process about Node 20 support ending; that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/6f5e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b-7';
const ENC_ARN = 'arn%3Aaws%3Akafka%3Aus-east-1%3A123456789012%3Acluster%2Fdemo%2F6f5e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b-7';
const HOST = '127.0.0.1:18099';

interface Principal {
  user: string;
}
const keys: Record<string, KeyRecord<Principal>> = { [AKID]: { secretAccessKey: SECRET, principal: { user: 'alice' } } };
const lookup = async (id: string) => keys[id] ?? null;
const wrongSecret = async (id: string) => (id === AKID ? { secretAccessKey: 'not-the-secret', principal: { user: 'alice' } } : null);

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';

const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** RFC 3986 encoding as the SDK's node-http-handler / botocore put query values on the wire. */
const escapeUri = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function wireQuery(query: Record<string, string | string[] | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v == null) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${escapeUri(k)}=${escapeUri(one)}`);
  }
  return parts.join('&');
}

const lowerHeaders = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])) as Record<string, string>;

function bodyBuffer(body: unknown): Buffer {
  if (body == null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error(`unexpected body type ${typeof body}`);
}

interface CapturedHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** Signs a command with the real KafkaClient and returns what would have gone over the wire. */
async function captureSdk(
  send: (client: KafkaClient) => Promise<unknown>,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = {
    accessKeyId: AKID,
    secretAccessKey: SECRET,
  },
): Promise<SignedRequest> {
  let captured: CapturedHttpRequest | undefined;
  const requestHandler = {
    handle: async (req: CapturedHttpRequest) => {
      captured = req;
      throw new Error('captured');
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  const client = new KafkaClient({
    region: 'us-east-1',
    endpoint: `http://${HOST}`,
    credentials,
    maxAttempts: 1,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    requestHandler: requestHandler as any,
  });
  await expect(send(client)).rejects.toThrow('captured');
  client.destroy();
  if (!captured) throw new Error('nothing captured');
  const qs = wireQuery(captured.query ?? {});
  return {
    method: captured.method,
    rawUrl: captured.path + (qs ? `?${qs}` : ''),
    headers: lowerHeaders(captured.headers),
    body: bodyBuffer(captured.body),
  };
}

/** Signs like botocore: no x-amz-content-sha256, only content-type/host/x-amz-date signed. */
async function signBotocoreStyle(opts: {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: string;
  date: Date;
  secret?: string;
  service?: string;
  region?: string;
  headers?: Record<string, string>;
}): Promise<SignedRequest> {
  const body = opts.body ?? '';
  const headers: Record<string, string> = opts.headers ?? {
    host: HOST,
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
  const signer = new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: opts.secret ?? SECRET },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'kafka',
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: opts.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 18099,
      path: opts.path,
      query: opts.query ?? {},
      headers,
      body: body || undefined,
    },
    { signingDate: opts.date },
  );
  const qs = wireQuery(opts.query ?? {});
  return {
    method: opts.method,
    rawUrl: opts.path + (qs ? `?${qs}` : ''),
    // what node would show: signed headers plus the unsigned ones botocore adds after signing
    headers: {
      ...lowerHeaders(signed.headers),
      'accept-encoding': 'identity',
      'user-agent': 'aws-cli/1.45.11 md/Botocore#1.43.11',
      'amz-sdk-invocation-id': 'ffdc82c6-399c-42b9-a187-d9385816b6b4',
      'amz-sdk-request': 'attempt=1',
      'content-length': String(Buffer.byteLength(body)),
    },
    body: Buffer.from(body, 'utf8'),
  };
}

const signedHeadersOf = (req: SignedRequest) => /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))?.[1];

async function expectMskError(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<MskError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MskError);
  const e = err as MskError;
  expect(e.code).toBe(code);
  expect(e.status).toBe(403);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
  return e;
}

const FIXED = new Date('2026-01-02T03:04:05Z');
const at = (d: Date, deltaSeconds: number) => () => new Date(d.getTime() + deltaSeconds * 1000);

describe('hasSigV4', () => {
  test('detects the SigV4 Authorization header', () => {
    expect(hasSigV4({ authorization: 'AWS4-HMAC-SHA256 Credential=x' })).toBe(true);
    expect(hasSigV4({ Authorization: 'AWS4-HMAC-SHA256 Credential=x' })).toBe(true);
    expect(hasSigV4({ authorization: 'Bearer abc' })).toBe(false);
    expect(hasSigV4({ authorization: undefined })).toBe(false);
    expect(hasSigV4({})).toBe(false);
  });
});

describe('JS SDK (@aws-sdk/client-kafka) requests', () => {
  test('DescribeCluster with an ARN containing ":" and "/" in the path', async () => {
    const req = await captureSdk((c) => c.send(new DescribeClusterCommand({ ClusterArn: ARN })));
    expect(req.rawUrl).toBe(`/v1/clusters/${ENC_ARN}`);
    expect(req.headers['x-amz-content-sha256']).toBe(sha256hex(''));
    expect(signedHeadersOf(req)).toBe(
      'amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent',
    );
    const verified = await verifySigV4(req, lookup);
    expect(verified).toMatchObject({ accessKeyId: AKID, region: 'us-east-1', principal: { user: 'alice' } });
    expect(verified.target.path).toBe(`/v1/clusters/${ENC_ARN}`);
    expect([...verified.target.query]).toEqual([]);
  });

  test('decoding the path before verifying breaks the signature (the path is signed raw)', async () => {
    const req = await captureSdk((c) => c.send(new DescribeClusterCommand({ ClusterArn: ARN })));
    await expectMskError(
      verifySigV4({ ...req, rawUrl: decodeURIComponent(req.rawUrl) }, lookup),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('UntagResource with repeated tagKeys=b&tagKeys=a', async () => {
    const req = await captureSdk((c) => c.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['b', 'a'] })));
    expect(req.method).toBe('DELETE');
    expect(req.rawUrl).toBe(`/v1/tags/${ENC_ARN}?tagKeys=b&tagKeys=a`);
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
    // query order of repeated keys does not matter (canonical query sorts values) ...
    await expect(verifySigV4({ ...req, rawUrl: `/v1/tags/${ENC_ARN}?tagKeys=a&tagKeys=b` }, lookup)).resolves.toBeTruthy();
    // ... but the values are signed
    await expectMskError(
      verifySigV4({ ...req, rawUrl: `/v1/tags/${ENC_ARN}?tagKeys=b&tagKeys=c` }, lookup),
      'InvalidSignatureException',
      MISMATCH,
    );
    await expectMskError(
      verifySigV4({ ...req, rawUrl: `/v1/tags/${ENC_ARN}?tagKeys=b` }, lookup),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('ListClusters with an encoded query value', async () => {
    const req = await captureSdk((c) => c.send(new ListClustersCommand({ ClusterNameFilter: 'de mo/x*', MaxResults: 5 })));
    expect(req.rawUrl).toBe('/v1/clusters?clusterNameFilter=de%20mo%2Fx%2A&maxResults=5');
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
  });

  test('CreateConfiguration with a JSON body', async () => {
    const req = await captureSdk((c) =>
      c.send(
        new CreateConfigurationCommand({
          Name: 'cfg-1',
          Description: 'ünïcödé',
          KafkaVersions: ['3.6.0'],
          ServerProperties: Buffer.from('auto.create.topics.enable = true\n'),
        }),
      ),
    );
    expect(req.method).toBe('POST');
    expect(req.body.length).toBeGreaterThan(0);
    expect(req.headers['x-amz-content-sha256']).toBe(sha256hex(req.body));
    expect(signedHeadersOf(req)).toContain('content-length;content-type;host');
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID, region: 'us-east-1' });
  });

  test('temporary credentials: x-amz-security-token is just another signed header', async () => {
    const req = await captureSdk((c) => c.send(new DescribeClusterCommand({ ClusterArn: ARN })), {
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==',
    });
    expect(signedHeadersOf(req)).toContain('x-amz-security-token');
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-security-token': 'other' } }, lookup),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('tampered body with x-amz-content-sha256 is rejected', async () => {
    const req = await captureSdk((c) =>
      c.send(new CreateConfigurationCommand({ Name: 'cfg-1', ServerProperties: Buffer.from('a=b\n') })),
    );
    const tampered = Buffer.from(req.body.toString('utf8').replace('cfg-1', 'cfg-2'));
    await expectMskError(
      verifySigV4({ ...req, body: tampered }, lookup),
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    // rewriting the (signed) hash header to match the new body breaks the signature instead
    await expectMskError(
      verifySigV4(
        { ...req, body: tampered, headers: { ...req.headers, 'x-amz-content-sha256': sha256hex(tampered) } },
        lookup,
      ),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('wrong secret', async () => {
    const req = await captureSdk((c) => c.send(new DescribeClusterCommand({ ClusterArn: ARN })));
    await expectMskError(verifySigV4(req, wrongSecret), 'InvalidSignatureException', MISMATCH);
  });

  test('unknown access key', async () => {
    const req = await captureSdk((c) => c.send(new DescribeClusterCommand({ ClusterArn: ARN })), {
      accessKeyId: 'AKIDUNKNOWN',
      secretAccessKey: SECRET,
    });
    await expectMskError(
      verifySigV4(req, lookup),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });
});

describe('botocore-style requests (no x-amz-content-sha256)', () => {
  const body = '{"name": "cfg-1", "serverProperties": "YXV0by5jcmVhdGUudG9waWNzLmVuYWJsZSA9IHRydWUK"}';

  test('POST with body, SignedHeaders content-type;host;x-amz-date', async () => {
    const req = await signBotocoreStyle({ method: 'POST', path: '/v1/configurations', body, date: FIXED });
    expect(signedHeadersOf(req)).toBe('content-type;host;x-amz-date');
    expect(req.headers['x-amz-content-sha256']).toBeUndefined();
    await expect(verifySigV4(req, lookup, { now: at(FIXED, 30) })).resolves.toMatchObject({
      accessKeyId: AKID,
      region: 'us-east-1',
      principal: { user: 'alice' },
    });
  });

  test('GET with encoded ARN path and encoded query; region taken from the scope', async () => {
    const req = await signBotocoreStyle({
      method: 'GET',
      path: `/v1/clusters/${ENC_ARN}/nodes`,
      query: { maxResults: '10', nextToken: 'a+b/c=' },
      date: FIXED,
      region: 'eu-west-1',
    });
    expect(signedHeadersOf(req)).toBe('host;x-amz-date');
    expect(req.rawUrl).toBe(`/v1/clusters/${ENC_ARN}/nodes?maxResults=10&nextToken=a%2Bb%2Fc%3D`);
    await expect(verifySigV4(req, lookup, { now: at(FIXED, 0) })).resolves.toMatchObject({ region: 'eu-west-1' });
  });

  test('absolute-form request target (through a proxy) verifies too', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: `/v1/clusters/${ENC_ARN}`, date: FIXED });
    await expect(
      verifySigV4({ ...req, rawUrl: `http://${HOST}${req.rawUrl}` }, lookup, { now: at(FIXED, 0) }),
    ).resolves.toBeTruthy();
  });

  test('tampered body without x-amz-content-sha256', async () => {
    const req = await signBotocoreStyle({ method: 'POST', path: '/v1/configurations', body, date: FIXED });
    await expectMskError(
      verifySigV4({ ...req, body: Buffer.from(body.replace('cfg-1', 'cfg-2')) }, lookup, { now: at(FIXED, 0) }),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('an added (unsigned) x-amz-content-sha256 that does not match the body is rejected', async () => {
    const req = await signBotocoreStyle({ method: 'POST', path: '/v1/configurations', body, date: FIXED });
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-content-sha256': sha256hex('x') } }, lookup, {
        now: at(FIXED, 0),
      }),
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  });

  test('wrong secret', async () => {
    const req = await signBotocoreStyle({ method: 'POST', path: '/v1/configurations', body, date: FIXED, secret: 'x' });
    await expectMskError(verifySigV4(req, lookup, { now: at(FIXED, 0) }), 'InvalidSignatureException', MISMATCH);
  });

  test('clock skew: within 5 min is accepted, beyond is rejected with AWS wording', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    await expect(verifySigV4(req, lookup, { now: at(FIXED, 299) })).resolves.toBeTruthy();
    await expect(verifySigV4(req, lookup, { now: at(FIXED, -299) })).resolves.toBeTruthy();
    await expectMskError(
      verifySigV4(req, lookup, { now: at(FIXED, 360) }),
      'InvalidSignatureException',
      'Signature expired: 20260102T030405Z is now earlier than 20260102T030505Z (20260102T031005Z - 5 min.)',
    );
    await expectMskError(
      verifySigV4(req, lookup, { now: at(FIXED, -360) }),
      'InvalidSignatureException',
      'Signature not yet current: 20260102T030405Z is still later than 20260102T030305Z (20260102T025805Z + 5 min.)',
    );
    // configurable window
    await expect(verifySigV4(req, lookup, { now: at(FIXED, 360), maxSkewSeconds: 900 })).resolves.toBeTruthy();
  });

  test('stale date is reported even for an unknown key (no key lookup needed)', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    const never = jest.fn(async () => null);
    await expectMskError(verifySigV4(req, never, { now: at(FIXED, 3600) }), 'InvalidSignatureException', /^Signature expired/);
    expect(never).not.toHaveBeenCalled();
  });

  test('unknown key', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    await expectMskError(
      verifySigV4(req, async () => null, { now: at(FIXED, 0) }),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  test('no Authorization header', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    const { authorization: _dropped, ...headers } = req.headers;
    await expectMskError(
      verifySigV4({ ...req, headers }, lookup, { now: at(FIXED, 0) }),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
  });

  test.each([
    ['Bearer abc.def.ghi'],
    ['AWS4-HMAC-SHA256'],
    ['AWS4-HMAC-SHA256 garbage'],
    ['AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/kafka/aws4_request, SignedHeaders=host;x-amz-date'],
    ['AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host;x-amz-date, Signature=abc'],
    ['AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-01-02/us-east-1/kafka/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'],
    ['AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/kafka/aws5_request, SignedHeaders=host;x-amz-date, Signature=abc'],
    ['AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20260102/kafka/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'],
  ])('garbage Authorization %p', async (authorization) => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, authorization } }, lookup, { now: at(FIXED, 0) }),
      'IncompleteSignatureException',
    );
  });

  test('wrong service in the scope', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED, service: 's3' });
    await expectMskError(
      verifySigV4(req, lookup, { now: at(FIXED, 0) }),
      'IncompleteSignatureException',
      "Credential should be scoped to correct service: 'kafka'.",
    );
    // ...while a verifier configured for that service accepts it
    await expect(verifySigV4(req, lookup, { now: at(FIXED, 0), service: 's3' })).resolves.toBeTruthy();
  });

  test('SignedHeaders without host', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED, headers: {} });
    expect(signedHeadersOf(req)).toBe('x-amz-date');
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, host: HOST } }, lookup, { now: at(FIXED, 0) }),
      'IncompleteSignatureException',
      /'Host'/,
    );
  });

  test('missing or malformed X-Amz-Date', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    const { 'x-amz-date': _dropped, ...headers } = req.headers;
    await expectMskError(
      verifySigV4({ ...req, headers }, lookup, { now: at(FIXED, 0) }),
      'IncompleteSignatureException',
      /X-Amz-Date/,
    );
    await expectMskError(
      verifySigV4({ ...req, headers: { ...headers, 'x-amz-date': '2026-01-02T03:04:05Z' } }, lookup, {
        now: at(FIXED, 0),
      }),
      'IncompleteSignatureException',
      /ISO-8601/,
    );
  });

  test('x-amz-date changed after signing', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-date': '20260102T030406Z' } }, lookup, {
        now: at(FIXED, 0),
      }),
      'InvalidSignatureException',
      MISMATCH,
    );
    await expectMskError(
      verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-date': '20260103T030405Z' } }, lookup, {
        now: at(FIXED, 86400),
      }),
      'InvalidSignatureException',
      /^Date in Credential scope does not match/,
    );
  });

  test('method is signed', async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: `/v1/clusters/${ENC_ARN}`, date: FIXED });
    await expectMskError(
      verifySigV4({ ...req, method: 'DELETE' }, lookup, { now: at(FIXED, 0) }),
      'InvalidSignatureException',
      MISMATCH,
    );
  });
});

describe('the signature covers exactly what the handler executes', () => {
  const untag = (query: Record<string, string | string[]>) =>
    signBotocoreStyle({ method: 'DELETE', path: `/v1/tags/${ENC_ARN}`, query, date: FIXED });
  const now = { now: at(FIXED, 0) };

  test('target: the raw path and the query pairs the signature covered, for the router and the codec', async () => {
    const req = await untag({ tagKeys: ['b', 'a c'] });
    const verified = await verifySigV4(req, lookup, now);
    expect(verified.target.path).toBe(`/v1/tags/${ENC_ARN}`);
    expect(verified.target.query.getAll('tagKeys')).toEqual(['b', 'a c']);
    // One parser: the bearer path gets the same answer from the same raw URL.
    expect(parseRequestTarget(req.rawUrl)).toEqual(verified.target);
  });

  test("a query extended after a '#' is refused (the tail once passed unsigned into the handler)", async () => {
    const req = await untag({ tagKeys: 'k1' });
    expect(req.rawUrl).toBe(`/v1/tags/${ENC_ARN}?tagKeys=k1`);
    const never = jest.fn(async () => null);
    for (const rawUrl of [
      `${req.rawUrl}&#=&tagKeys=k2&tagKeys=k3`,
      `${req.rawUrl}#&tagKeys=k2`,
      `/v1/tags/${ENC_ARN}#x?tagKeys=k1`,
      `/v1/clusters?#&maxResults=abc`,
    ]) {
      await expectMskError(verifySigV4({ ...req, rawUrl }, never, now), 'InvalidSignatureException', /^The request target contains '#'/);
    }
    expect(never).not.toHaveBeenCalled();
  });

  test('an appended X-Amz-Signature (which the signer leaves out of the canonical query) is refused', async () => {
    const req = await untag({ tagKeys: 'k1' });
    for (const name of ['X-Amz-Signature', 'x-amz-signature']) {
      await expectMskError(verifySigV4({ ...req, rawUrl: `${req.rawUrl}&${name}=k2` }, lookup, now), 'InvalidSignatureException', MISMATCH);
    }
  });

  test("a '__proto__' query name is refused: the signer drops its value from the canonical query", async () => {
    const query: Record<string, string> = {};
    Object.defineProperty(query, '__proto__', { value: 'x', enumerable: true });
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', query, date: FIXED });
    expect(req.rawUrl).toBe('/v1/clusters?__proto__=x');
    for (const rawUrl of [req.rawUrl, '/v1/clusters?__proto__=y']) {
      await expectMskError(verifySigV4({ ...req, rawUrl }, lookup, now), 'InvalidSignatureException', MISMATCH);
    }
  });

  test("a path the signer would normalise ('..', '.', '//') is refused: the router would run another one", async () => {
    const req = await signBotocoreStyle({ method: 'GET', path: `/v1/clusters/${ENC_ARN}`, date: FIXED });
    for (const path of [`/v1/clusters/other/../${ENC_ARN}`, `/v1/clusters/./${ENC_ARN}`, `/v1//clusters/${ENC_ARN}`]) {
      await expectMskError(verifySigV4({ ...req, rawUrl: path }, lookup, now), 'InvalidSignatureException', MISMATCH);
    }
  });

  test('a second Authorization header is refused before anything else', async () => {
    const req = await untag({ tagKeys: 'k1' });
    const never = jest.fn(async () => null);
    const headers = { ...req.headers, authorization: [String(req.headers.authorization), 'Bearer omsk_x'] };
    await expectMskError(verifySigV4({ ...req, headers }, never, now), 'IncompleteSignatureException', /more than one Authorization header/);
    expect(never).not.toHaveBeenCalled();
  });

  test('every copy of a repeated signed header is signed: an added copy breaks the signature', async () => {
    const req = await signBotocoreStyle({ method: 'POST', path: '/v1/configurations', body: '{"name":"x"}', date: FIXED });
    expect(signedHeadersOf(req)).toBe('content-type;host;x-amz-date');
    const headers = { ...req.headers, 'content-type': ['application/json', 'text/plain'] };
    await expectMskError(verifySigV4({ ...req, headers }, lookup, now), 'InvalidSignatureException', MISMATCH);
    await expect(verifySigV4({ ...req, headers: { ...req.headers, 'content-type': ['application/json'] } }, lookup, now)).resolves.toBeTruthy();
  });
});

describe('parseRequestTarget', () => {
  test("decodes the query once ('+' is a space, repeats kept in order); strips an absolute-form origin", () => {
    const t = parseRequestTarget('http://127.0.0.1:8090/v1/tags/a%2Fb?tagKeys=x+y&tagKeys=%2B&tagKeys=a');
    expect(t.path).toBe('/v1/tags/a%2Fb');
    expect(t.query.getAll('tagKeys')).toEqual(['x y', '+', 'a']);
    expect(parseRequestTarget('http://127.0.0.1:8090').path).toBe('/');
  });

  test('more than MAX_QUERY_PAIRS parameters → BadRequestException, before the (quadratic) signer sees them', async () => {
    const query = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=`).join('&');
    expect(parseRequestTarget(`/v1/clusters?${query(MAX_QUERY_PAIRS)}`).query.size).toBe(MAX_QUERY_PAIRS);
    const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED });
    const never = jest.fn(async () => null);
    let err: unknown;
    await verifySigV4({ ...req, rawUrl: `/v1/clusters?${query(3000)}` }, never, { now: at(FIXED, 0) }).catch((e) => { err = e; });
    expect(err).toMatchObject({ code: 'BadRequestException', status: 400, message: `The query string has more than ${MAX_QUERY_PAIRS} parameters.` });
    expect(never).not.toHaveBeenCalled();
  });

  test("a '#' anywhere → BadRequestException (400)", () => {
    for (const raw of ['/v1/clusters#x', '/v1/clusters?maxResults=1#', '/v1/clusters?a=1&#=&b=2']) {
      let err: unknown;
      try {
        parseRequestTarget(raw);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MskError);
      expect([raw, (err as MskError).code, (err as MskError).status]).toEqual([raw, 'BadRequestException', 400]);
    }
  });
});

describe('regions of the credential scope', () => {
  test('isRegion: a region outside the list is refused with AWS\'s wording, before the key is looked up', async () => {
    const isRegion = (r: string) => r === 'us-east-1' || r === 'eu-west-1';
    const never = jest.fn(async () => null);
    for (const region of ['US-EAST-1', 'local', 'us-east-9']) {
      const req = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED, region });
      await expectMskError(
        verifySigV4(req, never, { now: at(FIXED, 0), isRegion }),
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${region}'.`,
      );
    }
    expect(never).not.toHaveBeenCalled();
    const ok = await signBotocoreStyle({ method: 'GET', path: '/v1/clusters', date: FIXED, region: 'eu-west-1' });
    await expect(verifySigV4(ok, lookup, { now: at(FIXED, 0), isRegion })).resolves.toMatchObject({ region: 'eu-west-1' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real AWS CLI v2 requests, captured by a loopback server.

const AWS_CLI = '/usr/bin/aws';
const hasCli = existsSync(AWS_CLI);
if (!hasCli) {
  // eslint-disable-next-line no-console
  console.warn(`sigv4.test: ${AWS_CLI} (AWS CLI v2) not found — skipping the real-CLI SigV4 cases`);
}
const describeCli = hasCli ? describe : describe.skip;

describeCli(`AWS CLI v2 (${AWS_CLI}) requests`, () => {
  let server: Server;
  let port: number;
  let dir: string;
  const captured: SignedRequest[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigv4-cli-'));
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push({ method: req.method!, rawUrl: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        const path = req.url!.split('?')[0];
        res.setHeader('x-amzn-RequestId', '00000000-0000-4000-8000-000000000000');
        if (req.method === 'DELETE' && path.startsWith('/v1/tags/')) {
          res.statusCode = 204;
          res.end();
          return;
        }
        res.setHeader('Content-Type', 'application/json');
        if (path === '/v1/clusters') res.end('{"clusterInfoList":[]}');
        else if (path.startsWith('/v1/clusters/')) res.end(JSON.stringify({ clusterInfo: { clusterArn: ARN } }));
        else if (path === '/v1/configurations') res.end(JSON.stringify({ arn: 'arn:x', name: 'cfg-1' }));
        else res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  function runCli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v === undefined || k.startsWith('AWS_') || /^(https?|all|no)_proxy$/i.test(k)) continue;
      env[k] = v;
    }
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: AKID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      NO_PROXY: '127.0.0.1,localhost',
      ...extraEnv,
    });
    return new Promise((resolve, reject) => {
      execFile(
        AWS_CLI,
        ['kafka', ...args, '--endpoint-url', `http://127.0.0.1:${port}`, '--region', 'us-east-1', '--output', 'json'],
        { env, timeout: 30000 },
        (err, stdout, stderr) => (err ? reject(new Error(`aws ${args[0]} failed: ${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
      );
    });
  }

  async function cliRequest(args: string[], extraEnv?: Record<string, string>): Promise<SignedRequest> {
    const before = captured.length;
    await runCli(args, extraEnv);
    expect(captured.length).toBe(before + 1);
    return captured[before];
  }

  test('list-clusters (with an encoded filter)', async () => {
    const req = await cliRequest(['list-clusters', '--cluster-name-filter', 'de mo/x*']);
    expect(req.rawUrl).toBe('/v1/clusters?clusterNameFilter=de%20mo%2Fx%2A');
    expect(req.headers['x-amz-content-sha256']).toBeUndefined();
    expect(signedHeadersOf(req)).toBe('host;x-amz-date');
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({
      accessKeyId: AKID,
      region: 'us-east-1',
      principal: { user: 'alice' },
    });
    await expectMskError(verifySigV4(req, wrongSecret), 'InvalidSignatureException', MISMATCH);
  });

  test('describe-cluster (ARN path label)', async () => {
    const req = await cliRequest(['describe-cluster', '--cluster-arn', ARN]);
    expect(req.rawUrl).toBe(`/v1/clusters/${ENC_ARN}`);
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
  });

  test('untag-resource (repeated tagKeys)', async () => {
    const req = await cliRequest(['untag-resource', '--resource-arn', ARN, '--tag-keys', 'b', 'a']);
    expect(req.method).toBe('DELETE');
    expect(req.rawUrl).toBe(`/v1/tags/${ENC_ARN}?tagKeys=b&tagKeys=a`);
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
  });

  test('create-configuration (JSON body, fileb:// blob)', async () => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'auto.create.topics.enable = true\n');
    const req = await cliRequest([
      'create-configuration',
      '--name',
      'cfg-1',
      '--server-properties',
      `fileb://${file}`,
      '--kafka-versions',
      '3.6.0',
    ]);
    expect(req.method).toBe('POST');
    expect(signedHeadersOf(req)).toBe('content-type;host;x-amz-date');
    expect(JSON.parse(req.body.toString('utf8'))).toMatchObject({ name: 'cfg-1' });
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
    await expectMskError(
      verifySigV4({ ...req, body: Buffer.from(req.body.toString('utf8').replace('cfg-1', 'cfg-2')) }, lookup),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  test('temporary credentials (AWS_SESSION_TOKEN)', async () => {
    const req = await cliRequest(['list-clusters'], { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLE//token==' });
    expect(req.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLE//token==');
    expect(signedHeadersOf(req)).toContain('x-amz-security-token');
    await expect(verifySigV4(req, lookup)).resolves.toMatchObject({ accessKeyId: AKID });
  });
});
