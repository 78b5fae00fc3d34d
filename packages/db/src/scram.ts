/**
 * SASL/SCRAM users of a cluster, kept equal to its associated secrets (table `scram_secret`, filled by
 * BatchAssociateScramSecret): each associated secret's current value (`AWSCURRENT`) is a user on the brokers with that
 * password, and no other SCRAM user exists there. The API syncs right after an association or a new secret value;
 * the worker's sweep syncs every cluster with SCRAM on, so a change the brokers missed (they were down, the API
 * crashed between commit and sync) still arrives.
 */
import { INTERNAL_COMMON_NAME } from '@openmsk/pki';
import type { Db } from './client';
import type { SecretBox } from './secrets';

export interface ScramCredential {
  name: string;
  password: string;
}

/** What the sync needs of the admin seam (packages/kafka's KafkaAdmin has it). */
export interface ScramAdmin {
  scramUsers(): Promise<string[]>;
  alterScramUsers(change: { upsert?: ScramCredential[]; delete?: string[] }): Promise<void>;
}

/**
 * Super users of a cluster: openmsk's own principal `User:CN=openmsk-internal`, and with IAM on the account's IAM
 * principal `User:arn:aws:iam::<account>:root`. A SCRAM user of either name would be a super user too.
 */
const isReservedUsername = (name: string) => name.toLowerCase() === `cn=${INTERNAL_COMMON_NAME}` || name.toLowerCase().startsWith('arn:aws:iam::');

/**
 * The user a secret's value names, as MSK reads it: a JSON object with string `username` and `password`; else why not.
 */
export function scramCredentialOf(secretString: string | undefined): ScramCredential | { invalid: string } {
  if (secretString === undefined) return { invalid: 'The secret has no SecretString.' };
  let v: unknown;
  try {
    v = JSON.parse(secretString);
  } catch {
    return { invalid: 'The secret value is not valid JSON.' };
  }
  const o = v as { username?: unknown; password?: unknown };
  if (!o || typeof o !== 'object' || typeof o.username !== 'string' || typeof o.password !== 'string' || !o.username || !o.password) {
    return { invalid: 'The secret value must be a JSON object with a username and a password.' };
  }
  if (isReservedUsername(o.username)) return { invalid: `The user name ${o.username} is reserved.` };
  return { name: o.username, password: o.password };
}

/** The current value of the caller's secret `arn`, decrypted; undefined when it is missing or scheduled for deletion. */
export async function currentSecretString(db: Pick<Db, 'secret'>, box: SecretBox, arn: string): Promise<{ versionId: string; value?: string } | undefined> {
  const secret = await db.secret.findUnique({ where: { arn }, include: { versions: { where: { stages: { has: 'AWSCURRENT' } } } } });
  const version = secret && !secret.deletedAt ? secret.versions[0] : undefined;
  if (!version) return undefined;
  const value = JSON.parse(box.open(version.valueEnc)) as { SecretString?: string };
  return { versionId: version.versionId, value: value.SecretString };
}

export interface ScramSyncResult {
  upserted: string[];
  deleted: string[];
}

/**
 * Makes the brokers' SCRAM users equal to cluster `clusterId`'s associated secrets. One sync per cluster at a time
 * (a transaction-scoped advisory lock), so API and worker never undo each other. A secret that is gone, scheduled
 * for deletion or no longer a valid credential takes its user away; when two secrets name one user, the earlier
 * association wins.
 */
export async function syncScramUsers(db: Db, box: SecretBox, clusterId: string, admin: ScramAdmin): Promise<ScramSyncResult> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`scram:${clusterId}`}, 0))`;
    const rows = await tx.scramSecret.findMany({ where: { clusterId }, orderBy: { createdAt: 'asc' } });
    const desired = new Map<string, { arn: string; versionId: string; password: string }>();
    for (const row of rows) {
      const current = await currentSecretString(tx, box, row.secretArn);
      const cred = current && scramCredentialOf(current.value);
      if (!current || !cred || 'invalid' in cred || desired.has(cred.name)) continue;
      desired.set(cred.name, { arn: row.secretArn, versionId: current.versionId, password: cred.password });
    }
    const onBrokers = new Set(await admin.scramUsers());
    const applied = new Map(rows.map((r) => [r.secretArn, r]));
    const upsert = [...desired].filter(([name, d]) => {
      const row = applied.get(d.arn)!;
      return !onBrokers.has(name) || row.appliedVersion !== d.versionId || row.appliedUsername !== name;
    });
    const remove = [...onBrokers].filter((name) => !desired.has(name));
    await admin.alterScramUsers({ upsert: upsert.map(([name, d]) => ({ name, password: d.password })), delete: remove });
    for (const row of rows) {
      const entry = [...desired].find(([, d]) => d.arn === row.secretArn);
      const next = { appliedVersion: entry?.[1].versionId ?? null, appliedUsername: entry?.[0] ?? null };
      if (row.appliedVersion !== next.appliedVersion || row.appliedUsername !== next.appliedUsername) {
        await tx.scramSecret.update({ where: { clusterId_secretArn: { clusterId, secretArn: row.secretArn } }, data: next });
      }
    }
    return { upserted: upsert.map(([name]) => name), deleted: remove };
  }, { timeout: 30_000, maxWait: 30_000 });
}
