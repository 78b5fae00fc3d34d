/**
 * Writes the two files a Kafka node's SSL settings point at:
 *   ssl.keystore.type=PEM    ssl.keystore.location=<dir>/broker-keystore.pem   (key + leaf + CA, mode 0600)
 *   ssl.truststore.type=PEM  ssl.truststore.location=<dir>/ca.pem              (CA only, mode 0644)
 * Mount the directory (not the single files) into the container: each file is replaced by rename, so a reader never
 * sees a half-written keystore, and a file bind mount would keep showing the old inode.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CertificateAuthority, LeafCertificate } from './index';

export const CA_FILE = 'ca.pem';
export const KEYSTORE_FILE = 'broker-keystore.pem';

export function writeTlsFiles(dir: string, ca: CertificateAuthority, leaf: LeafCertificate): { caPath: string; keystorePath: string } {
  mkdirSync(dir, { recursive: true });
  const caPath = join(dir, CA_FILE);
  const keystorePath = join(dir, KEYSTORE_FILE);
  writeAtomically(caPath, ca.certPem, 0o644); // public: the trust anchor clients also need
  writeAtomically(keystorePath, leaf.keystorePem, 0o600); // holds the unencrypted private key
  return { caPath, keystorePath };
}

function writeAtomically(path: string, content: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // `mode` at creation means the key is never briefly world-readable; chmod then undoes whatever the umask took
    // away (a umask of 077 would otherwise leave ca.pem unreadable to a container running as another user).
    writeFileSync(tmp, content, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
