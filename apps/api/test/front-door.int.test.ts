/**
 * What fastify and Node's HTTP parser refuse before any handler runs (bad URLs, oversized headers, bodies over
 * the limit, malformed HTTP) answers in the same AWS error shape as everything else.
 */
import { connect } from 'node:net';
import { BODY_LIMIT } from '../src/plugins/aws-protocol';
import { rowCounts, startApi, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(() => h.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given on a fresh connection and reads the whole answer (the server closes it or sends Content-Length). */
function http1(request: string | Buffer): Promise<Answer> {
  const { port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4, split + 4 + Number(headers['content-length'] ?? Infinity)) });
    };
    socket.on('data', (d) => {
      chunks.push(d);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split));
      if (split >= 0 && m && Buffer.byteLength(text.slice(split + 4)) >= Number(m[1])) {
        socket.destroy();
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('error', (e) => (chunks.length ? finish() : reject(e)));
    socket.write(request);
  });
}

const get = (path: string, headers: Record<string, string> = {}) =>
  http1(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.token}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`);

function expectAwsShape(a: Answer, status: number, code: string, message: string) {
  expect({ status: a.status, code: a.headers['x-amzn-errortype'], type: a.headers['content-type'] }).toEqual({ status, code, type: expect.stringMatching(/^application\/json/) });
  expect(a.headers['x-amzn-requestid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(Math.abs(new Date(a.headers.date).getTime() - Date.now())).toBeLessThan(60_000);
  expect(JSON.parse(a.body)).toEqual({ message });
}

describe('bad URLs', () => {
  test.each(['/v1/clusters/%zz', '/v1/clusters/%', '/v1/clusters/%FF%FE', '/v1/clusters/%C0%AF', '/api/v2/clusters/%E0%A4', '/v1/tags/%zz?tagKeys=a'])(
    '%s → 400 BadRequestException in the AWS shape (was fastify FST_ERR_BAD_URL)',
    async (path) => {
      expectAwsShape(await get(path), 400, 'BadRequestException', 'The request path is not valid percent-encoding of UTF-8 text.');
    },
  );

  test('a 3,000-character label is an ordinary (missing) ARN, answered in the AWS shape', async () => {
    const a = await get(`/v1/clusters/${'a'.repeat(3000)}`);
    expect([a.status, a.headers['x-amzn-errortype'], JSON.parse(a.body).invalidParameter]).toEqual([404, 'NotFoundException', 'clusterArn']);
  });

  test('a well-formed path still routes', async () => {
    const a = await get('/v1/clusters');
    expect([a.status, a.headers['x-amzn-errortype']]).toEqual([200, undefined]);
  });
});

describe('what Node refuses before fastify sees a request', () => {
  test('a 20 KB header → 400 BadRequestException in the AWS shape (was a bare 431)', async () => {
    expectAwsShape(await get('/v1/clusters', { 'x-padding': 'p'.repeat(20_000) }), 400, 'BadRequestException', 'The request headers are too large.');
  });

  test('a body of exactly 1 MiB is read (and refused for what it holds)', async () => {
    const body = JSON.stringify({ name: 'x', description: 'd'.repeat(BODY_LIMIT - 60), serverProperties: '' });
    const padded = body + ' '.repeat(BODY_LIMIT - Buffer.byteLength(body));
    const head = `POST /v1/configurations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: application/json\r\nContent-Length: ${BODY_LIMIT}\r\nConnection: close\r\n\r\n`;
    const a = await http1(Buffer.concat([Buffer.from(head), Buffer.from(padded)]));
    expect([a.status, JSON.parse(a.body).invalidParameter]).toEqual([400, 'description']);
  });

  test('bytes that are not HTTP → 400 BadRequestException in the AWS shape', async () => {
    expectAwsShape(await http1('NOT HTTP AT ALL\r\n\r\n'), 400, 'BadRequestException', 'The request is not valid HTTP.');
  });

  test('a body over 1 MiB → 400 BadRequestException, nothing written', async () => {
    const before = await rowCounts(h.db);
    const body = Buffer.alloc(BODY_LIMIT + 1, 0x20);
    const head = `POST /v1/configurations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    expectAwsShape(await http1(Buffer.concat([Buffer.from(head), body])), 400, 'BadRequestException', 'The request body is larger than 1 MiB, the most openmsk accepts.');
    expect(await rowCounts(h.db)).toEqual(before);
  });
});
