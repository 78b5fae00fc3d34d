import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** AES-256-GCM with a master key that lives outside the database. Format: v1.<iv>.<tag>.<ciphertext>, base64url. */
export class SecretBox {
  private readonly key: Buffer;
  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.key = masterKey;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /**
   * A credential derived from the master key for one purpose (HMAC-SHA-256 of `label`, base64url): the same in every
   * process that holds the key, so nothing needs storing, and worthless for any other label.
   */
  derive(label: string): string {
    return createHmac('sha256', this.key).update(`openmsk-derived-credential\0${label}`).digest('base64url');
  }

  open(sealed: string): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The master key from OPENMSK_MASTER_KEY (base64), else `<home>/master.key`, created (0600) on first run. */
export function loadOrCreateMasterKey(home: string, fromEnv?: string): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  const file = join(home, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

/** The credential a cluster's brokers present when they ask the API about an IAM token: derived, never stored. */
export const iamVerifierCredential = (box: SecretBox, clusterId: string) => box.derive(`iam-token-verifier:${clusterId}`);

/** openmsk's ZooKeeper super user for one cluster's ensemble (its digest is in zoo.cfg): derived, never stored. */
export const zookeeperSuperUser = (box: SecretBox, clusterId: string) => ({ user: 'openmsk', password: box.derive(`zookeeper-super:${clusterId}`) });

/**
 * The HTTP basic credential of one cluster's exporters (JMX and node exporter) while open monitoring is off for them:
 * openmsk's collector presents it; nobody else has it. Derived, never stored (the nodes hold only its SHA-256).
 */
export const monitoringCredential = (box: SecretBox, clusterId: string) => ({ user: 'openmsk', password: box.derive(`monitoring:${clusterId}`) });
