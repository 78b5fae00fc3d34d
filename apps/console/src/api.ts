/**
 * The console's only way to the server: the public MSK REST API on this origin, with the same bearer token any
 * client sends (apps/api/src/plugins/auth.ts). No private endpoint exists for the console.
 */

/** An error the API answered: its status, `x-amzn-ErrorType`, and the body's `message` and `invalidParameter`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly invalidParameter?: string,
  ) {
    super(message);
  }

  /** 401/403: the token is wrong, expired or missing; the console returns to sign-in and shows nothing else. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Calls one operation; resolves to the JSON body of a 2xx, rejects with ApiError otherwise. */
export async function call<T>(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, extraHeaders);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'NetworkError', `The API did not answer: ${(e as Error).message}`);
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { message: text.slice(0, 300) };
  }
  if (!res.ok) {
    // REST operations name the error in x-amzn-ErrorType; AWS JSON ones (CloudWatch) in the body's __type.
    const bodyType = typeof parsed.__type === 'string' ? parsed.__type.split('#').at(-1) : undefined;
    const type = (res.headers.get('x-amzn-errortype') ?? '').split(':')[0] || bodyType || `HTTP ${res.status}`;
    const message = typeof parsed.message === 'string' ? parsed.message : (typeof parsed.Message === 'string' ? parsed.Message : res.statusText);
    const invalid = typeof parsed.invalidParameter === 'string' ? parsed.invalidParameter : undefined;
    throw new ApiError(res.status, type, message, invalid);
  }
  return parsed as T;
}

/** ClusterInfo as ListClusters answers it (wire names). */
export interface ClusterInfo {
  clusterArn: string;
  clusterName: string;
  state: string;
  creationTime?: string;
  currentBrokerSoftwareInfo?: { kafkaVersion?: string };
  numberOfBrokerNodes?: number;
  brokerNodeGroupInfo?: {
    instanceType?: string;
    clientSubnets?: string[];
    storageInfo?: { ebsStorageInfo?: { volumeSize?: number } };
  };
}

/** Every cluster of the account: ListClusters, page by page. */
export async function listClusters(token: string): Promise<ClusterInfo[]> {
  const all: ClusterInfo[] = [];
  let next: string | undefined;
  do {
    const q = new URLSearchParams({ maxResults: '100', ...(next ? { nextToken: next } : {}) });
    const page = await call<{ clusterInfoList?: ClusterInfo[]; nextToken?: string }>(token, 'GET', `/v1/clusters?${q}`);
    all.push(...(page.clusterInfoList ?? []));
    next = page.nextToken;
  } while (next);
  return all;
}

export interface KafkaVersion { version: string; status?: string }
export interface Configuration { arn: string; name: string; kafkaVersions?: string[]; latestRevision?: { revision: number } }

/** ListKafkaVersions: the versions a new cluster may run (ACTIVE ones). */
export async function listKafkaVersions(token: string): Promise<KafkaVersion[]> {
  const r = await call<{ kafkaVersions?: KafkaVersion[] }>(token, 'GET', '/v1/kafka-versions');
  return (r.kafkaVersions ?? []).filter((v) => v.status === undefined || v.status === 'ACTIVE');
}

/** ListConfigurations, every page. */
export async function listConfigurations(token: string): Promise<Configuration[]> {
  const all: Configuration[] = [];
  let next: string | undefined;
  do {
    const q = new URLSearchParams({ maxResults: '100', ...(next ? { nextToken: next } : {}) });
    const page = await call<{ configurations?: Configuration[]; nextToken?: string }>(token, 'GET', `/v1/configurations?${q}`);
    all.push(...(page.configurations ?? []));
    next = page.nextToken;
  } while (next);
  return all;
}
