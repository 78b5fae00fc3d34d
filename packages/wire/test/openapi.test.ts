import { coverageTable } from '../src/coverage';
import { OPERATIONS } from '../src/model';
import { docText, summaryOf } from '../src/docs';
import { buildOpenApi } from '../src/openapi';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMPLEMENTED = ['CreateCluster', 'DescribeCluster', 'ListClusters', 'ListNodes', 'TagResource', 'UntagResource', 'ListTagsForResource', 'CreateConfiguration', 'DescribeConfigurationRevision'];
const doc = buildOpenApi(IMPLEMENTED, { title: 'openmsk', version: '0.1.0', serverUrl: 'http://127.0.0.1:8080' }) as Obj;

/** Every `$ref` in the document, wherever it sits. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) (k === '$ref' ? out.push(x as string) : refs(x, out));
  }
  return out;
}

describe('buildOpenApi', () => {
  test('one operation per implemented name, ids unique, methods lower-case', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:8080' }]);
    const ops = Object.entries(doc.paths as Obj).flatMap(([p, item]) => Object.entries(item as Obj).map(([m, o]) => ({ p, m, o: o as Obj })));
    expect(ops.map((x) => x.o.operationId).sort()).toEqual([...IMPLEMENTED].sort());
    for (const { m } of ops) expect(['get', 'put', 'post', 'delete', 'patch']).toContain(m);
    expect(doc.paths['/v1/tags/{ResourceArn}']).toHaveProperty('post');
    expect(doc.paths['/v1/tags/{ResourceArn}']).toHaveProperty('delete');
    expect(() => buildOpenApi(['Nope'], { title: 't', version: '1' })).toThrow();
  });

  test('every path template placeholder has exactly one required path parameter', () => {
    for (const [p, item] of Object.entries(doc.paths as Obj)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const o of Object.values(item as Obj)) {
        const path = (o.parameters as Obj[]).filter((x) => x.in === 'path');
        expect(path.map((x) => x.name).sort()).toEqual(names);
        for (const x of path) expect(x.required).toBe(true);
      }
    }
  });

  test('query parameters use wire names; tagKeys is an exploded array', () => {
    const list = doc.paths['/v1/clusters'].get.parameters as Obj[];
    expect(list.map((x) => x.name).sort()).toEqual(['clusterNameFilter', 'maxResults', 'nextToken']);
    const untag = (doc.paths['/v1/tags/{ResourceArn}'].delete.parameters as Obj[]).find((x) => x.name === 'tagKeys');
    expect(untag).toMatchObject({ in: 'query', required: true, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } } });
  });

  test('request bodies use jsonName members and required lists', () => {
    const body = doc.paths['/v1/clusters'].post.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['brokerNodeGroupInfo', 'clusterName', 'kafkaVersion', 'numberOfBrokerNodes']);
    expect(body.properties.brokerNodeGroupInfo).toEqual({ $ref: '#/components/schemas/BrokerNodeGroupInfo' });
    expect(doc.components.schemas.EBSStorageInfo.properties.volumeSize).toEqual({ type: 'number', description: 'The size in GiB of the EBS volume for the data drive on each broker node.' });
    expect(doc.paths['/v1/configurations'].post.requestBody.content['application/json'].schema.properties.serverProperties)
      .toMatchObject({ type: 'string', format: 'byte', description: expect.stringMatching(/Base64-encoded bytes\.$/) });
    expect(doc.paths['/v1/clusters/{ClusterArn}'].get.requestBody).toBeUndefined();
  });

  test('responses: 200 schema, 204 without content, modeled errors with the error body', () => {
    const describe = doc.paths['/v1/clusters/{ClusterArn}'].get.responses;
    expect(describe['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DescribeClusterResponse' });
    expect(Object.keys(describe).sort()).toEqual(['200', '400', '401', '403', '404', '500']);
    expect(describe['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    const tag = doc.paths['/v1/tags/{ResourceArn}'].post.responses;
    expect(tag['204']).toEqual({ description: 'No Content' });
    expect(Object.keys(tag).sort()).toEqual(['204', '400', '403', '404', '500']);
    const ci = doc.components.schemas.ClusterInfo.properties;
    expect(ci.creationTime).toEqual({ type: 'string', format: 'date-time', description: 'The time when the cluster was created.' });
    expect(ci.state.enum).toContain('ACTIVE');
    expect(ci.tags).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(doc.components.schemas.NodeInfo.properties).toHaveProperty('nodeARN');
  });

  test('all $refs resolve; security schemes', () => {
    for (const r of refs(doc)) {
      expect(r).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(r.split('/').pop()!);
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // A browser cannot sign SigV4: the page offers the token only.
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearerAuth']);
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  test('a document over all 64 operations is consistent too', () => {
    const all = buildOpenApi(OPERATIONS.map((o) => o.name), { title: 't', version: '1' }) as Obj;
    const count = Object.values(all.paths as Obj).reduce((n, item) => n + Object.keys(item as Obj).length, 0);
    expect(count).toBe(64);
    for (const r of refs(all)) expect(all.components.schemas).toHaveProperty(r.split('/').pop()!);
  });
});

describe('documentation from the model', () => {
  test("summaries are AWS's first sentence, not the operation's name and path", () => {
    const op = doc.paths['/v1/clusters'].post;
    expect(op.summary).toBe('Creates a new MSK cluster.');
    expect(op.description).toContain('`aws kafka create-cluster`');
    expect(op.tags).toEqual(['clusters']);
  });

  test('text that only restates a name is left out; HTML becomes Markdown', () => {
    expect(docText('<p>The node type.</p>', 'NodeType')).toBeUndefined();
    expect(docText('<p>The ControllerNodeInfo.</p>', 'ControllerNodeInfo')).toBeUndefined();
    expect(docText('<p>Use <code>x</code>, see <a href="https://example.com/a">this</a>.</p>')).toBe('Use `x`, see [this](https://example.com/a).');
    expect(doc.components.schemas.NodeInfo.properties.nodeType.description).toBeUndefined();
    expect(summaryOf('<p>Returns a list. More text.</p>')).toBe('Returns a list.');
  });

  test('ARN path parameters say to paste the ARN as it is', () => {
    const p = (doc.paths['/v1/clusters/{ClusterArn}'].get.parameters as Obj[]).find((x) => x.name === 'ClusterArn')!;
    expect(p.description).toMatch(/^Paste the ARN as it is \(do not percent-encode it\)\./);
    expect(p.description).not.toMatch(/Percent-encode the value/);
  });

  test('examples given are placed on parameters, bodies and responses', () => {
    const d = buildOpenApi(['DescribeCluster', 'CreateConfiguration'], {
      title: 't',
      version: '1',
      examples: {
        DescribeCluster: { parameters: { ClusterArn: 'arn:x' }, response: { clusterInfo: {} } },
        CreateConfiguration: { body: { name: 'c' } },
      },
    }) as Obj;
    const describe = d.paths['/v1/clusters/{ClusterArn}'].get;
    expect(describe.parameters[0].example).toBe('arn:x');
    expect(describe.responses['200'].content['application/json'].example).toEqual({ clusterInfo: {} });
    expect(d.paths['/v1/configurations'].post.requestBody.content['application/json'].example).toEqual({ name: 'c' });
  });
});

describe('coverageTable', () => {
  test('one row per operation, implemented ones marked', () => {
    const t = coverageTable(new Set(['DescribeCluster']));
    const rows = t.trim().split('\n');
    expect(rows).toHaveLength(2 + 64);
    expect(rows[0]).toBe('| Operation | Method | Path | Status | Implemented |');
    expect(t).toContain('| DescribeCluster | GET | `/v1/clusters/{ClusterArn}` | 200 | yes |');
    expect(t).toContain('| TagResource | POST | `/v1/tags/{ResourceArn}` | 204 | — |');
  });
});
