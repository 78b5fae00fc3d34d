import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { MskError, badRequest } from '@openmsk/wire';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    rawBody?: Buffer;
  }
}

// AWS-PARITY: AWS documents no body limit for MSK. The largest request it serves is a 100 KiB
// server.properties (about 137 KB in base64); 1 MiB leaves room and bounds JSON.parse (an object
// of many keys parses at about 90 ms per MiB, all of it on the event loop).
export const BODY_LIMIT = 1024 * 1024;

/** Sends an MskError the way both the AWS CLI and the JS SDK read it. */
export function sendError(reply: FastifyReply, err: MskError) {
  return reply
    .code(err.status)
    .header('x-amzn-ErrorType', err.code)
    .type('application/json')
    .send(JSON.stringify(err.body()));
}

function stamp(req: FastifyRequest, reply: FastifyReply) {
  req.requestId = randomUUID();
  reply.header('x-amzn-RequestId', req.requestId);
  reply.header('Date', new Date().toUTCString());
}

/** restJson1 plumbing: raw bodies (SigV4 hashes the bytes), request ids, Date, AWS-shaped errors. */
export const awsProtocol = fp(async (app: FastifyInstance) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });
  app.decorateRequest('requestId', '');
  app.addHook('onRequest', async (req, reply) => stamp(req, reply));
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof MskError) return sendError(reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) return sendError(reply, new MskError('BadRequestException', 'The request body is larger than 1 MiB, the most openmsk accepts.'));
    if (status && status >= 400 && status < 500) return sendError(reply, new MskError('BadRequestException', (err as Error).message));
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, new MskError('InternalServerErrorException', 'We encountered an internal error. Please try again.'));
  });
});

/**
 * Requests fastify refuses before any hook runs (a path that is not percent-encoded UTF-8, an overlong path
 * segment): answered in the same AWS shape, with a request id, instead of fastify's own `FST_ERR_*` body.
 */
function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  stamp(req, reply);
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? 'The request path is too long.'
    : err.code === 'FST_ERR_BAD_URL'
      ? 'The request path is not valid percent-encoding of UTF-8 text.'
      : 'The request is not valid.';
  return sendError(reply, badRequest(message));
}

// AWS-PARITY: AWS's front door answers these with its own statuses and bodies; ours keep the one error
// shape of every other answer (400 BadRequestException), so the SDK and CLI report them like the rest.
const CLIENT_ERRORS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'The request headers are too large.',
  ERR_HTTP_REQUEST_TIMEOUT: 'The request was not received in time.',
};

/**
 * Requests Node's HTTP parser refuses (oversized headers, a request not received in time, malformed
 * HTTP): no fastify request exists, so the AWS-shaped answer is written on the socket itself.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(err);
    return;
  }
  const error = badRequest(CLIENT_ERRORS[err.code ?? ''] ?? 'The request is not valid HTTP.');
  const body = JSON.stringify(error.body());
  // end(), not write() + destroy(): the answer must be flushed before the connection closes.
  socket.end(
    `HTTP/1.1 ${error.status} Bad Request\r\n` +
      `x-amzn-RequestId: ${randomUUID()}\r\n` +
      `x-amzn-ErrorType: ${error.code}\r\n` +
      `Date: ${new Date().toUTCString()}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** Fastify options of the protocol: AWS-shaped answers for what fastify and Node refuse themselves, bounded waits. */
export const awsServerOptions = {
  frameworkErrors,
  clientErrorHandler,
  // The whole request (headers and body) must arrive within 30 s; fastify's default is no limit at all.
  requestTimeout: 30_000,
} satisfies FastifyServerOptions;
