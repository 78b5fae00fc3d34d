/**
 * OpenAPI 3.0 description of the implemented operations, generated from the SDK model so that the docs, the
 * router and the codec agree by construction. Path templates keep the model's label names (`{ClusterArn}`);
 * Swagger UI percent-encodes path parameters, which is exactly how the AWS clients send ARNs.
 */
import { ERROR_SHAPES, requireOperation, type Member, type Operation, type Shape, type StructureShape } from './model';

export interface OpenApiOptions {
  title: string;
  version: string;
  serverUrl?: string;
}

type Schema = Record<string, unknown>;
type Doc = Record<string, unknown>;

const ERROR_BODY = 'ErrorBody';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Collects named structure schemas into `components` while rendering, so only reachable shapes are emitted. */
class SchemaWriter {
  readonly components: Record<string, Schema> = {};

  shape(s: Shape): Schema {
    switch (s.kind) {
      case 'structure':
        if (!this.components[s.name]) {
          this.components[s.name] = {}; // placeholder first: a self-referencing shape must not recurse forever
          this.components[s.name] = this.object(Object.values(s.members));
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

  /** Object schema over body members only, keyed by jsonName. */
  object(members: Member[]): Schema {
    const body = members.filter((m) => m.location === 'body');
    const properties: Record<string, Schema> = {};
    for (const m of body) properties[m.jsonName] = this.shape(m.target);
    const required = body.filter((m) => m.required).map((m) => m.jsonName);
    return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
  }
}

function parameter(w: SchemaWriter, m: Member): Schema {
  const p: Schema = {
    name: m.locationName,
    in: m.location === 'label' ? 'path' : m.location,
    required: m.location === 'label' || m.required,
    schema: w.shape(m.target),
  };
  // Repeated `?tagKeys=a&tagKeys=b`, the form the AWS clients send.
  if (m.location === 'query' && m.target.kind === 'list') Object.assign(p, { style: 'form', explode: true });
  if (m.location === 'label') p.description = 'Percent-encode the value (an ARN is one path segment).';
  return p;
}

const tagOf = (op: Operation) =>
  op.pathTemplate.split('/').find((s) => s && !s.startsWith('{') && !['api', 'v1', 'v2', 'replication'].includes(s))
  ?? 'other';

const jsonContent = (schema: Schema) => ({ 'application/json': { schema } });

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

function operationObject(w: SchemaWriter, op: Operation): Schema {
  const members = Object.values(op.input.members);
  const o: Schema = {
    operationId: op.name,
    tags: [tagOf(op)],
    summary: `${op.name} (${op.method} ${op.pathTemplate})`,
    parameters: members.filter((m) => m.location !== 'body').map((m) => parameter(w, m)),
  };
  if (members.some((m) => m.location === 'body')) {
    o.requestBody = { required: true, content: jsonContent(w.object(members)) };
  }
  const ok: Schema = { description: op.status === 204 ? 'No Content' : 'OK' };
  if (op.status !== 204) ok.content = jsonContent(outputSchema(w, op.output));
  o.responses = { [String(op.status)]: ok, ...errorResponses(op) };
  return o;
}

function outputSchema(w: SchemaWriter, output: StructureShape): Schema {
  return output.name === 'Unit' ? { type: 'object' } : w.shape(output);
}

/** OpenAPI 3.0.3 document for the given operations (unknown names throw; order does not matter). */
export function buildOpenApi(implemented: string[], opts: OpenApiOptions): Doc {
  const w = new SchemaWriter();
  w.components[ERROR_BODY] = {
    type: 'object',
    properties: { message: { type: 'string' }, invalidParameter: { type: 'string' } },
    required: ['message'],
  };
  const paths: Record<string, Record<string, Schema>> = {};
  const ops = [...new Set(implemented)].map(requireOperation)
    .sort((a, b) => a.pathTemplate.localeCompare(b.pathTemplate));
  for (const op of ops) {
    (paths[op.pathTemplate] ??= {})[op.method.toLowerCase()] = operationObject(w, op);
  }
  const doc: Doc = {
    openapi: '3.0.3',
    info: {
      title: opts.title,
      version: opts.version,
      description: 'Amazon MSK compatible control plane (restJson1, service `kafka`, API version 2018-11-14).',
    },
    tags: [...new Set(ops.map(tagOf))].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(w.components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'API token (for browsers and Swagger UI).' },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4 (service `kafka`) as sent by the AWS CLI and SDKs; '
            + 'Swagger UI cannot compute it, use bearerAuth there.',
        },
      },
    },
    security: [{ bearerAuth: [] }, { sigv4: [] }],
  };
  if (opts.serverUrl) doc.servers = [{ url: opts.serverUrl }];
  return doc;
}
