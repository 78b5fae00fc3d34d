import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { MskError } from '@openmsk/wire';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    rawBody?: Buffer;
  }
}

/** Sends an MskError the way both the AWS CLI and the JS SDK read it. */
export function sendError(reply: FastifyReply, err: MskError) {
  return reply
    .code(err.status)
    .header('x-amzn-ErrorType', err.code)
    .type('application/json')
    .send(JSON.stringify(err.body()));
}

/** restJson1 plumbing: raw bodies (SigV4 hashes the bytes), request ids, Date, AWS-shaped errors. */
export const awsProtocol = fp(async (app: FastifyInstance) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });
  app.decorateRequest('requestId', '');
  app.addHook('onRequest', async (req, reply) => {
    req.requestId = randomUUID();
    reply.header('x-amzn-RequestId', req.requestId);
    reply.header('Date', new Date().toUTCString());
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof MskError) return sendError(reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) return sendError(reply, new MskError('BadRequestException', 'The request body is too large.'));
    if (status && status >= 400 && status < 500) return sendError(reply, new MskError('BadRequestException', (err as Error).message));
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, new MskError('InternalServerErrorException', 'We encountered an internal error. Please try again.'));
  });
});
