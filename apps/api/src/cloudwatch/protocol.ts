/**
 * The CloudWatch API (SigV4 scope `monitoring`) on the shared endpoint, in each wire protocol a client sends
 * (docs/cloudwatch.md has what each client was seen sending):
 *
 * - **awsQuery**: `POST /`, `application/x-www-form-urlencoded` with `Action=<Operation>&Version=2010-08-01&...`,
 *   answers and errors in XML (the AWS CLI v2; the JS SDK when configured with AwsQueryProtocol).
 * - **AWS JSON 1.0**, query-compatible: `POST /` with `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`,
 *   timestamps as epoch seconds, errors as `{"__type", "message"}` plus `x-amzn-query-error: <Code>;Sender`, from
 *   which the SDK finds the error class (the JS SDK's default).
 * - **Smithy RPC v2 CBOR**: `POST /service/GraniteServiceVersion20100801/operation/<Operation>` with
 *   `smithy-protocol: rpc-v2-cbor`, CBOR bodies, timestamps as tag 1 (the JS SDK with AwsSmithyRpcV2CborProtocol).
 *
 * The operations (operations.ts) see one input tree whatever the protocol.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cbor, dateToTag, tagSymbol } from '@smithy/core/cbor';
import { MskError } from '@openmsk/wire';
import type { AppDeps, RequestContext } from '../context';
import type { Caller } from '../plugins/auth';
import { CW_HANDLERS } from './operations';
import { CwError, invalidAction } from './rules';

export const SIGNING_NAME = 'monitoring';
export const JSON_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
/** The path prefix of RPC v2 CBOR requests; the operation name follows it. */
export const CBOR_PATH_PREFIX = '/service/GraniteServiceVersion20100801/operation/';
const XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const SHAPE_NAMESPACE = 'com.amazonaws.cloudwatch#';

type Tree = Record<string, unknown>;

/** The front door's codes as AWS's query-protocol services (CloudWatch among them) spell them. */
const QUERY_AUTH_CODES: Record<string, string> = {
  InvalidSignatureException: 'SignatureDoesNotMatch',
  UnrecognizedClientException: 'InvalidClientTokenId',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
};

interface Wire {
  /** The operation and its input; errors thrown here are answered in this wire's form. */
  decode(req: FastifyRequest): { operation: string; input: Tree };
  send(reply: FastifyReply, operation: string, output: object, requestId: string): FastifyReply;
  sendError(reply: FastifyReply, e: CwError, requestId: string): FastifyReply;
}

/** Deep copy with every Date replaced by `date(d)`, Maps made objects, undefined members dropped. */
function mapDates(v: unknown, date: (d: Date) => unknown): unknown {
  if (v instanceof Date) return date(v);
  if (v instanceof Map) return mapDates(Object.fromEntries(v), date);
  if (Array.isArray(v)) return v.map((x) => mapDates(x, date));
  if (v && typeof v === 'object') {
    const out: Tree = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = mapDates(x, date);
    return out;
  }
  return v;
}

const bodyText = (req: FastifyRequest) => (req.rawBody ? req.rawBody.toString('utf8') : '');

// ---------------------------------------------------------------------------------------------------------------
// awsQuery

/**
 * The form's flat keys as a tree: `Dimensions.member.1.Name=x` becomes `{ Dimensions: [{ Name: 'x' }] }` (members in
 * index order). A key given twice keeps its last value. Nodes have no prototype while the tree is built, so a key
 * such as `__proto__.x` is an ordinary member, never a write to Object.prototype.
 */
export function formTree(params: URLSearchParams): Tree {
  const node = () => Object.create(null) as Tree;
  const root = node();
  for (const [key, value] of params) {
    const parts = key.split('.');
    let at = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = at[parts[i]];
      if (next === undefined || typeof next !== 'object') at[parts[i]] = node();
      at = at[parts[i]] as Tree;
    }
    const last = parts[parts.length - 1];
    if (at[last] === undefined || typeof at[last] !== 'object') at[last] = value;
  }
  const lists = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Tree;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'member' && o.member && typeof o.member === 'object') {
      const members = o.member as Tree;
      return Object.keys(members).filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b)).map((k) => lists(members[k]));
    }
    return Object.fromEntries(keys.map((k) => [k, lists(o[k])]));
  };
  return lists(root) as Tree;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

/** An ISO 8601 UTC timestamp, without milliseconds when they are zero (CloudWatch's form). */
const isoTime = (d: Date) => d.toISOString().replace('.000Z', 'Z');

function xml(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((x) => xml('member', x)).join('')}</${name}>`;
  if (v instanceof Date) return `<${name}>${isoTime(v)}</${name}>`;
  if (v instanceof Map) return `<${name}>${[...v].map(([k, x]) => `<entry>${xml('key', k)}${xml('value', x)}</entry>`).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, x]) => xml(k, x)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

const queryWire: Wire = {
  decode(req) {
    const tree = formTree(new URLSearchParams(bodyText(req)));
    const { Action, Version: _version, ...input } = tree;
    if (typeof Action !== 'string' || !Action) throw new CwError('MissingAction', 'MissingAction', 'The request must contain the parameter Action.');
    return { operation: Action, input };
  },
  send(reply, operation, output, requestId) {
    const body = `<${operation}Response xmlns="${XML_NAMESPACE}">${xml(`${operation}Result`, output)}`
      + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    return reply.code(200).type('text/xml').send(body);
  },
  sendError(reply, e, requestId) {
    const body = `<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>${e.fault}</Type><Code>${escapeXml(e.code)}</Code>`
      + `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return reply.code(e.status).type('text/xml').send(body);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// AWS JSON 1.0 and RPC v2 CBOR: the same error fields, in JSON or CBOR.

const errorFields = (e: CwError) => ({ __type: `${SHAPE_NAMESPACE}${e.shape}`, message: e.message });
const unknownOperation = (operation: string) => new CwError('UnknownOperationException', 'UnknownOperationException', `The operation ${operation} is not implemented by openmsk's CloudWatch API.`);

const JSON_TYPE = 'application/x-amz-json-1.0';

const jsonWire: Wire = {
  decode(req) {
    const operation = String(req.headers['x-amz-target']).slice(JSON_TARGET_PREFIX.length);
    const text = bodyText(req);
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new CwError('SerializationException', 'SerializationException', 'The request body is not valid JSON.');
    }
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw new CwError('SerializationException', 'SerializationException', 'The request body must be a JSON object.');
    return { operation, input: input as Tree };
  },
  send(reply, _operation, output) {
    return reply.code(200).type(JSON_TYPE).send(JSON.stringify(mapDates(output, (d) => d.getTime() / 1000)));
  },
  sendError(reply, e) {
    return reply.code(e.status).header('x-amzn-query-error', `${e.code};${e.fault}`).type(JSON_TYPE).send(JSON.stringify(errorFields(e)));
  },
};

/** CBOR input with tag 1 (epoch seconds) turned into Dates; other tags are refused. */
function fromCbor(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromCbor);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const o = v as Tree;
    if ((o as { [tagSymbol]?: boolean })[tagSymbol]) {
      if (Number(o.tag) === 1 && typeof o.value === 'number') return new Date(o.value * 1000);
      throw new CwError('SerializationException', 'SerializationException', `CBOR tag ${String(o.tag)} is not supported.`);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromCbor(x)]));
  }
  return v;
}

// cbor.serialize writes into a shared buffer: the bytes are copied before the next call can reuse it.
const toCbor = (v: unknown) => Buffer.from(cbor.serialize(mapDates(v, dateToTag)));

const cborWire: Wire = {
  decode(req) {
    const operation = req.url.slice(CBOR_PATH_PREFIX.length).split('?')[0];
    let input: unknown = {};
    if (req.rawBody && req.rawBody.length > 0) {
      try {
        input = cbor.deserialize(new Uint8Array(req.rawBody));
      } catch {
        throw new CwError('SerializationException', 'SerializationException', 'The request body is not valid CBOR.');
      }
    }
    input = fromCbor(input);
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw new CwError('SerializationException', 'SerializationException', 'The request body must be a CBOR map.');
    return { operation, input: input as Tree };
  },
  send(reply, _operation, output) {
    return reply.code(200).header('smithy-protocol', 'rpc-v2-cbor').type('application/cbor').send(toCbor(output));
  },
  sendError(reply, e) {
    return reply.code(e.status).header('smithy-protocol', 'rpc-v2-cbor').header('x-amzn-query-error', `${e.code};${e.fault}`)
      .type('application/cbor').send(toCbor(errorFields(e)));
  },
};

// ---------------------------------------------------------------------------------------------------------------

/** The CloudWatch API: which requests are its (`matches` on POST /, `handleCbor` on its own route) and their handling. */
export function cloudWatchService(deps: AppDeps, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  const handle = async (req: FastifyRequest, reply: FastifyReply, wire: Wire, unknown: (operation: string) => CwError) => {
    try {
      let caller: Caller;
      try {
        caller = await authenticate(req, SIGNING_NAME);
      } catch (e) {
        // AWS-PARITY: the messages of authentication failures are the kafka API's (docs/errors.md); the codes are
        // the query services' (SignatureDoesNotMatch, InvalidClientTokenId, ...), in the protocol's own error form.
        if (e instanceof MskError) {
          const code = QUERY_AUTH_CODES[e.code] ?? e.code;
          throw new CwError(code, code, e.message, e.status);
        }
        throw e;
      }
      const { operation, input } = wire.decode(req);
      const handler = Object.hasOwn(CW_HANDLERS, operation) ? CW_HANDLERS[operation] : undefined;
      if (!handler) throw unknown(operation);
      req.awsOperation = operation; // a name of the handler table only: bounded metric labels
      const ctx: RequestContext = { principal: caller.principal, region: caller.region, requestId: req.requestId, deps };
      return wire.send(reply, operation, await handler(ctx, input), req.requestId);
    } catch (e) {
      if (e instanceof CwError) return wire.sendError(reply, e, req.requestId);
      throw e;
    }
  };
  const isForm = (req: FastifyRequest) => String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const isJson = (req: FastifyRequest) => {
    const target = req.headers['x-amz-target'];
    return typeof target === 'string' && target.startsWith(JSON_TARGET_PREFIX);
  };
  return {
    /** A CloudWatch request on POST /: an AWS JSON 1.0 target of CloudWatch, or a form (awsQuery; CloudWatch is the only query API here). */
    matches: (req: FastifyRequest) => isJson(req) || (req.headers['x-amz-target'] === undefined && isForm(req)),
    handle: (req: FastifyRequest, reply: FastifyReply) => (isJson(req) ? handle(req, reply, jsonWire, unknownOperation) : handle(req, reply, queryWire, invalidAction)),
    /** POST /service/GraniteServiceVersion20100801/operation/<Operation> (RPC v2 CBOR). */
    handleCbor: (req: FastifyRequest, reply: FastifyReply) => handle(req, reply, cborWire, unknownOperation),
  };
}
