import type { FastifyRequest } from 'fastify';
import { loadConfig } from '@openmsk/config';
import type { AccountService, Principal } from '@openmsk/db';
import { SECRET_CACHE, authenticator } from '../src/plugins/auth';
import type { AppDeps } from '../src/context';

/** The account service's look-ups, in memory: `known` ids exist (every id when `everyKey`), and each call is counted. */
function fakeAccounts(opts: { everyKey?: boolean; known?: Set<string> } = {}) {
  const calls = { lookupAccessKey: 0 };
  const accounts: Pick<AccountService, 'lookupAccessKey' | 'lookupToken' | 'findAccount'> = {
    lookupAccessKey: async (id: string) => {
      calls.lookupAccessKey++;
      return opts.everyKey || opts.known?.has(id) ? { secretAccessKey: 's'.repeat(40), principal: { accountId: '123456789012' } } : null;
    },
    lookupToken: async () => null as Principal | null,
    findAccount: async () => null,
  };
  return { accounts: accounts as AccountService, calls };
}

function deps(accounts: AccountService, env: Record<string, string> = {}): AppDeps {
  const config = loadConfig({}, { OPENMSK_LOG_LEVEL: 'silent', ...env } as never);
  return { config, accounts } as AppDeps;
}

const amzDate = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/** A GET /v1/clusters signed (badly) with the given access key id, as node and fastify would present it. */
function request(accessKeyId: string): FastifyRequest {
  const date = amzDate();
  const headers = {
    host: '127.0.0.1:8090',
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/us-east-1/kafka/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
  const distinct = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return { method: 'GET', url: '/v1/clusters', headers, raw: { url: '/v1/clusters', headersDistinct: distinct }, rawBody: undefined } as unknown as FastifyRequest;
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
const madeUp = (i: number, length = 20) => `OMSK${String(i).padStart(length - 4, '0')}`;

describe('the secret cache holds found keys only, bounded in entries and bytes', () => {
  test('5,000 made-up key ids: nothing cached; absurd ids are refused without a look-up', async () => {
    const { accounts, calls } = fakeAccounts();
    const authenticate = authenticator(deps(accounts));
    for (let i = 0; i < 5000; i++) expect(await code(authenticate(request(madeUp(i))))).toBe('UnrecognizedClientException');
    expect(calls.lookupAccessKey).toBe(5000);
    expect(authenticate.cacheStats()).toEqual({ entries: 0, bytes: 0 });

    // 14 KB ids, too-short ids and ids with characters IAM never issues never reach the account service.
    for (const id of [madeUp(1, 14_000), madeUp(2, 129), 'OMSKSHORT', 'OMSK-AAAA-BBBB-CCCC', 'OMSKAAAAAAAAAAAAAAAA%00']) {
      expect([id.slice(0, 30), await code(authenticate(request(id)))]).toEqual([id.slice(0, 30), 'UnrecognizedClientException']);
    }
    expect(calls.lookupAccessKey).toBe(5000);
    expect(authenticate.cacheStats()).toEqual({ entries: 0, bytes: 0 });
  });

  test('more found keys than the cache holds: it stays at its entry limit, and at its byte limit with long ids', async () => {
    const { accounts } = fakeAccounts({ everyKey: true });
    // A 20-character key costs 272 bytes by the cache's estimate, a 128-character one 488.
    const limits = { ...SECRET_CACHE, maxEntries: 100, maxBytes: 40_000 };
    const short = authenticator(deps(accounts), limits);
    for (let i = 0; i < 500; i++) expect(await code(short(request(madeUp(i))))).toBe('InvalidSignatureException');
    expect(short.cacheStats()).toEqual({ entries: 100, bytes: 100 * 272 });
    const long = authenticator(deps(accounts), limits);
    for (let i = 0; i < 500; i++) expect(await code(long(request(madeUp(i, 128))))).toBe('InvalidSignatureException');
    expect(long.cacheStats()).toEqual({ entries: 81, bytes: 81 * 488 });
  });

  test('a found key is looked up once, and concurrent first requests share that look-up', async () => {
    const id = madeUp(7);
    const { accounts, calls } = fakeAccounts({ known: new Set([id]) });
    const authenticate = authenticator(deps(accounts));
    const codes = await Promise.all(Array.from({ length: 20 }, () => code(authenticate(request(id)))));
    expect(new Set(codes)).toEqual(new Set(['InvalidSignatureException']));
    await code(authenticate(request(id)));
    expect(calls.lookupAccessKey).toBe(1);
    expect(authenticate.cacheStats().entries).toBe(1);
  });

  test('OPENMSK_REGION must be a region name ARNs can carry', () => {
    const { accounts } = fakeAccounts();
    for (const region of ['local', 'US-EAST-1']) {
      expect(() => authenticator(deps(accounts, { OPENMSK_REGION: region }))).toThrow(`OPENMSK_REGION '${region}' is not a region name`);
    }
    expect(() => authenticator(deps(accounts, { OPENMSK_REGION: 'xx-local-1' }))).not.toThrow();
  });
});
