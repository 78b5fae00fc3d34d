/**
 * OpenAPI 3.0 description of the implemented operations, generated from the SDK model so that the docs, the
 * router and the codec agree by construction. Path templates keep the model's label names (`{ClusterArn}`);
 * Swagger UI percent-encodes path parameters, which is exactly how the AWS clients send ARNs. Summaries and
 * descriptions are AWS's own documentation strings from the model (see `docs.ts`); examples come from the caller.
 */
import { ERROR_SHAPES, requireOperation, type Member, type Operation, type Shape, type StructureShape } from './model';
import { docText, summaryOf } from './docs';

/** A working example of one operation: wire-named parameters and body, and what the service answers. */
export interface OperationExample {
  /** Path parameters by label (`ClusterArn`), query parameters by wire name (`maxResults`). */
  parameters?: Record<string, unknown>;
  /** The JSON body, with wire member names. */
  body?: unknown;
  /** The success response body, with wire member names. */
  response?: unknown;
}

export interface OpenApiOptions {
  title: string;
  version: string;
  serverUrl?: string;
  /** Markdown shown at the top of the page. */
  description?: string;
  /** How to get a bearer token, shown in Swagger UI's Authorize dialog. */
  bearerDescription?: string;
  examples?: Readonly<Record<string, OperationExample>>;
}

type Schema = Record<string, unknown>;
type Doc = Record<string, unknown>;

const ERROR_BODY = 'ErrorBody';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Tags by resource, in the order of AWS's API reference; an operation not listed falls back to its path. */
export const TAGS: ReadonlyArray<{ name: string; description: string; operations: readonly string[] }> = [
  {
    name: 'clusters',
    description: 'Create, describe, list and delete clusters, and change their configuration, Kafka version and monitoring.',
    operations: [
      'CreateCluster', 'CreateClusterV2', 'DescribeCluster', 'DescribeClusterV2', 'ListClusters', 'ListClustersV2',
      'DeleteCluster', 'UpdateClusterConfiguration', 'UpdateClusterKafkaVersion', 'UpdateMonitoring', 'UpdateSecurity',
      'UpdateConnectivity', 'UpdateRebalancing',
    ],
  },
  {
    name: 'cluster operations',
    description: 'The record of every create, update and delete: type, state, steps, source and target.',
    operations: ['ListClusterOperations', 'ListClusterOperationsV2', 'DescribeClusterOperation', 'DescribeClusterOperationV2'],
  },
  {
    name: 'brokers and nodes',
    description: "Bootstrap strings, the cluster's nodes, and the broker updates: storage, count, type, reboot.",
    operations: ['GetBootstrapBrokers', 'ListNodes', 'UpdateBrokerStorage', 'UpdateStorage', 'UpdateBrokerCount', 'UpdateBrokerType', 'RebootBroker'],
  },
  {
    name: 'configurations',
    description: 'Custom broker configurations (server.properties) and their immutable revisions.',
    operations: [
      'CreateConfiguration', 'DescribeConfiguration', 'UpdateConfiguration', 'ListConfigurations', 'DeleteConfiguration',
      'ListConfigurationRevisions', 'DescribeConfigurationRevision',
    ],
  },
  {
    name: 'topics',
    description: 'Topics of a cluster.',
    operations: ['CreateTopic', 'DescribeTopic', 'DescribeTopicPartitions', 'ListTopics', 'UpdateTopic', 'DeleteTopic'],
  },
  { name: 'Kafka versions', description: 'The Apache Kafka versions offered, and the upgrades each allows.', operations: ['ListKafkaVersions', 'GetCompatibleKafkaVersions'] },
  { name: 'tags', description: 'Tags on clusters and configurations.', operations: ['TagResource', 'UntagResource', 'ListTagsForResource'] },
];
const TAG_OF = new Map(TAGS.flatMap((t) => t.operations.map((op) => [op, t.name] as const)));

/** The operation's tag: its resource as listed in {@link TAGS}, else the first fixed path segment. */
export function tagOf(op: Operation): string {
  return TAG_OF.get(op.name)
    ?? op.pathTemplate.split('/').find((s) => s && !s.startsWith('{') && !['api', 'v1', 'v2', 'replication'].includes(s))
    ?? 'other';
}

const isV2 = (op: Operation) => op.pathTemplate.startsWith('/api/v2/') || /V2$/.test(op.name);
const isArnLabel = (m: Member) => m.location === 'label' && /Arn$/.test(m.name);
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Collects named structure schemas into `components` while rendering, so only reachable shapes are emitted. */
class SchemaWriter {
  readonly components: Record<string, Schema> = {};

  shape(s: Shape): Schema {
    switch (s.kind) {
      case 'structure':
        if (!this.components[s.name]) {
          this.components[s.name] = {}; // placeholder first: a self-referencing shape must not recurse forever
          this.components[s.name] = withDescription(this.object(Object.values(s.members)), docText(s.doc));
        }
        return ref(s.name);
      case 'list':
        return { type: 'array', items: this.shape(s.member) };
      case 'map':
        return { type: 'object', additionalProperties: this.shape(s.value) };
      case 'string':
        return s.enum ? { type: 'string', enum: [...s.enum] } : { type: 'string' };
      case 'number':
        // The SDK schema does not say integer vs double (both are code 1), so no `integer` claims here.
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'timestamp':
        return s.format === 'epoch-seconds' ? { type: 'number', description: 'epoch seconds' }
          : s.format === 'http-date' ? { type: 'string', description: 'HTTP date' }
          : { type: 'string', format: 'date-time' };
      case 'blob':
        return { type: 'string', format: 'byte' };
      case 'document':
        return {};
    }
  }

  /** Object schema over body members only, keyed by jsonName; members say what AWS's documentation says. */
  object(members: Member[]): Schema {
    const body = members.filter((m) => m.location === 'body');
    const properties: Record<string, Schema> = {};
    for (const m of body) properties[m.jsonName] = this.member(m);
    const required = body.filter((m) => m.required).map((m) => m.jsonName);
    return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
  }

  /** A member's schema; a `$ref` may carry no siblings in OpenAPI 3.0, so its text goes on the component. */
  private member(m: Member): Schema {
    const schema = this.shape(m.target);
    if (schema.$ref) return schema;
    const text = docText(m.doc, m.name);
    const extra = m.target.kind === 'blob' ? 'Base64-encoded bytes.' : undefined;
    return withDescription(schema, [text, extra].filter(Boolean).join(' ') || undefined);
  }
}

function withDescription(schema: Schema, text: string | undefined): Schema {
  if (!text) return schema;
  const own = typeof schema.description === 'string' ? ` (${schema.description})` : '';
  return { ...schema, description: text + own };
}

function parameter(w: SchemaWriter, m: Member, example: unknown): Schema {
  const p: Schema = {
    name: m.locationName,
    in: m.location === 'label' ? 'path' : m.location,
    required: m.location === 'label' || m.required,
    schema: w.shape(m.target),
  };
  // Repeated `?tagKeys=a&tagKeys=b`, the form the AWS clients send.
  if (m.location === 'query' && m.target.kind === 'list') Object.assign(p, { style: 'form', explode: true });
  const text = docText(m.doc, m.name);
  // Swagger UI percent-encodes path values itself; encoding an ARN by hand would encode it twice.
  const paste = isArnLabel(m) ? 'Paste the ARN as it is (do not percent-encode it).' : undefined;
  const description = [paste, text].filter(Boolean).join(' ');
  if (description) p.description = description;
  if (example !== undefined) p.example = example;
  return p;
}

const jsonContent = (schema: Schema, example?: unknown) =>
  ({ 'application/json': example === undefined ? { schema } : { schema, example } });

function errorResponses(op: Operation): Record<string, Schema> {
  const byStatus = new Map<number, string[]>();
  for (const name of op.errors) {
    const status = ERROR_SHAPES[name]?.status;
    if (status) byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  // Signature checks run before any operation, so every operation can answer 403 even if it models no Forbidden.
  if (!byStatus.has(403)) byStatus.set(403, ['MissingAuthenticationTokenException', 'InvalidSignatureException']);
  const out: Record<string, Schema> = {};
  for (const [status, names] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: names.join(' | '),
      headers: { 'x-amzn-ErrorType': { description: 'Error code', schema: { type: 'string', enum: names } } },
      content: jsonContent(ref(ERROR_BODY)),
    };
  }
  return out;
}

function operationObject(w: SchemaWriter, op: Operation, example: OperationExample | undefined): Schema {
  const members = Object.values(op.input.members);
  const summary = summaryOf(op.doc) ?? op.name;
  const description = [
    docText(op.doc),
    `AWS operation \`${op.name}\`${isV2(op) ? ' (API v2)' : ''}; AWS CLI: \`aws kafka ${kebab(op.name)}\`.`,
  ].filter(Boolean).join('\n\n');
  const o: Schema = {
    operationId: op.name,
    tags: [tagOf(op)],
    summary: isV2(op) ? `${summary} (v2)` : summary,
    description,
    parameters: members.filter((m) => m.location !== 'body')
      .map((m) => parameter(w, m, example?.parameters?.[m.locationName])),
  };
  if (members.some((m) => m.location === 'body')) {
    o.requestBody = { required: true, content: jsonContent(w.object(members), example?.body) };
  }
  const ok: Schema = { description: op.status === 204 ? 'No Content' : 'OK' };
  if (op.status !== 204) ok.content = jsonContent(outputSchema(w, op.output), example?.response);
  o.responses = { [String(op.status)]: ok, ...errorResponses(op) };
  return o;
}

function outputSchema(w: SchemaWriter, output: StructureShape): Schema {
  return output.name === 'Unit' ? { type: 'object' } : w.shape(output);
}

const tagRank = (name: string) => {
  const i = TAGS.findIndex((t) => t.name === name);
  return i < 0 ? TAGS.length : i;
};
const opRank = (op: Operation) => {
  const listed = TAGS.find((t) => t.name === tagOf(op))?.operations.indexOf(op.name) ?? -1;
  return listed < 0 ? Number.MAX_SAFE_INTEGER : listed;
};

/** OpenAPI 3.0.3 document for the given operations (unknown names throw; order does not matter). */
export function buildOpenApi(implemented: string[], opts: OpenApiOptions): Doc {
  const w = new SchemaWriter();
  w.components[ERROR_BODY] = {
    type: 'object',
    description: 'Every error: the `x-amzn-ErrorType` header names the exception, the body says why.',
    properties: {
      message: { type: 'string', description: 'What is wrong, in words.' },
      invalidParameter: { type: 'string', description: 'The wire name of the parameter at fault, when there is one.' },
    },
    required: ['message'],
  };
  // Operations in tag order, then in the order each tag lists them (v1 before its v2), so the page reads as AWS's reference.
  const ops = [...new Set(implemented)].map(requireOperation)
    .sort((a, b) => tagRank(tagOf(a)) - tagRank(tagOf(b)) || opRank(a) - opRank(b) || a.name.localeCompare(b.name));
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of ops) {
    (paths[op.pathTemplate] ??= {})[op.method.toLowerCase()] = operationObject(w, op, opts.examples?.[op.name]);
  }
  const used = new Set(ops.map(tagOf));
  const tags = [...TAGS.filter((t) => used.has(t.name)).map(({ name, description }) => ({ name, description })),
    ...[...used].filter((n) => !TAGS.some((t) => t.name === n)).sort().map((name) => ({ name }))];
  const doc: Doc = {
    openapi: '3.0.3',
    info: {
      title: opts.title,
      version: opts.version,
      description: opts.description ?? 'Amazon MSK compatible control plane (restJson1, service `kafka`, API version 2018-11-14).',
    },
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(w.components).sort(([a], [b]) => a.localeCompare(b))),
      // SigV4 is what the AWS CLI and SDKs send, but a browser cannot compute it: the page offers the token only,
      // and the description (info) explains SigV4.
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: opts.bearerDescription ?? 'API token.' },
      },
    },
    security: [{ bearerAuth: [] }],
  };
  if (opts.serverUrl) doc.servers = [{ url: opts.serverUrl }];
  return doc;
}
