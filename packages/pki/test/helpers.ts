/** Shared test plumbing: temp dirs, running OpenSSL, and one TLS handshake between node:tls peers on loopback. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';

/** A fresh temp dir with a writer that returns each file's path; `cleanup` in afterAll. */
export function tempDir(prefix = 'openmsk-pki-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name: string, content: string) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs openssl; returns exit status and combined output instead of throwing, so failures can be asserted too. */
export function openssl(...args: string[]): { status: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export interface HandshakeOptions {
  server: tls.TlsOptions;
  client: tls.ConnectionOptions;
}

export interface HandshakeResult {
  ok: boolean;
  error?: string; // the client's error code (or message)
  serverError?: string; // the server's, when it rejected the client (mutual TLS)
  protocol?: string | null;
  echoed?: string;
}

/**
 * Starts a TLS server on 127.0.0.1:<random>, connects once, sends "ping" and expects it echoed. Either side's
 * failure (client verification, or the server rejecting a client certificate) resolves as { ok: false }.
 * A server with requestCert always rejects clients whose certificate does not verify against its `ca`.
 */
export async function handshake({ server, client }: HandshakeOptions): Promise<HandshakeResult> {
  let serverError: string | undefined;
  // With requestCert, the server verifies the client itself instead of node's rejectUnauthorized, which drops the
  // connection without saying why; recording authorizationError lets tests assert the reason.
  const srv = tls.createServer({ ...server, rejectUnauthorized: false }, (socket) => {
    if (server.requestCert && !socket.authorized) {
      serverError = String(socket.authorizationError);
      socket.destroy();
    } else socket.pipe(socket);
  });
  srv.on('tlsClientError', (err: NodeJS.ErrnoException) => (serverError = err.code ?? err.message));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  try {
    const result = await new Promise<HandshakeResult>((resolve) => {
      const sock = tls.connect({ host: '127.0.0.1', port, ...client });
      const done = (r: HandshakeResult) => {
        sock.destroy();
        resolve(r);
      };
      sock.setTimeout(5000, () => done({ ok: false, error: 'TIMEOUT' }));
      sock.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
      sock.on('secureConnect', () => {
        sock.write('ping');
        let data = '';
        sock.on('data', (d) => {
          data += d.toString();
          if (data === 'ping') done({ ok: true, protocol: sock.getProtocol(), echoed: data });
        });
      });
      // With TLS 1.3 a rejected client certificate surfaces only after the client's side of the handshake has
      // completed; the reset or close without an echo is the failure.
      sock.on('close', () => done({ ok: false, error: 'CLOSED' }));
    });
    return serverError ? { ...result, serverError } : result;
  } finally {
    await new Promise((resolve) => srv.close(resolve));
  }
}
