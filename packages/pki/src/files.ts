/**
 * Writes the two files a Kafka node's SSL settings point at:
 *   ssl.keystore.type=PEM    ssl.keystore.location=<dir>/keystore.pem   (key + leaf + CA, mode 0600)
 *   ssl.truststore.type=PEM  ssl.truststore.location=<dir>/ca.pem       (CA only, mode 0644)
 * Mount the directory (not the single files) into the container: each file is replaced by rename, so a reader never
 * sees a half-written keystore, and a file bind mount would keep showing the old inode.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CertificateAuthority, LeafCertificate } from './index';

export const CA_FILE = 'ca.pem';
export const KEYSTORE_FILE = 'keystore.pem';

/** Writes <dir>/keystore.pem and <dir>/ca.pem atomically, creating the directory. */
export function writeTlsFiles(dir: string, ca: CertificateAuthority, leaf: LeafCertificate): { caPath: string; keystorePath: string } {
  mkdirSync(dir, { recursive: true });
  const caPath = join(dir, CA_FILE);
  const keystorePath = join(dir, KEYSTORE_FILE);
  // Keystore first: a ca.pem that matches the CA then means the keystore next to it was issued by that CA, so a
  // crash between the two writes leaves a mismatch that the next run re-issues, never an old leaf that looks current.
  writeFileAtomic(keystorePath, leaf.keystorePem, 0o600); // holds the unencrypted private key
  writeFileAtomic(caPath, ca.certPem, 0o644); // public: the trust anchor clients also need
  return { caPath, keystorePath };
}

/**
 * Write-then-rename, so a reader never sees half a file; the mode holds even when replacing. An unchanged file is
 * left alone (only its mode is set), so its mtime tells when the content last changed (rolls read it).
 */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) {
    chmodSync(path, mode);
    return;
  }
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
