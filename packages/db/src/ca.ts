import { INTERNAL_COMMON_NAME, certificateInfo, createCertificateAuthority, issueCertificate, type CertificateAuthority } from '@openmsk/pki';
import type { Db } from './client';
import type { SecretBox } from './secrets';

/** The account's CA, created on first use; its key is sealed with the master key like every secret. */
export async function accountCertificateAuthority(db: Db, box: SecretBox, accountId: string): Promise<CertificateAuthority> {
  const row = await db.certificateAuthority.findUnique({ where: { accountId } });
  if (row) {
    return { certPem: row.certPem, keyPem: box.open(row.keyEnc), serial: '', notAfter: certificateInfo(row.certPem).notAfter };
  }
  const ca = await createCertificateAuthority({ commonName: `openmsk CA ${accountId}` });
  // API and worker may race here: the first insert wins and both use the stored one.
  await db.certificateAuthority.createMany({ data: [{ accountId, certPem: ca.certPem, keyEnc: box.seal(ca.keyPem) }], skipDuplicates: true });
  return accountCertificateAuthority(db, box, accountId);
}

/** A certificate and key a client presents. */
export interface ClientIdentity {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

const IDENTITY_DAYS = 30;
const identities = new Map<string, Promise<ClientIdentity>>();

/**
 * openmsk's own client certificate for the account's clusters (the admin seam's, in the API and the worker): issued by
 * the account's CA to `CN=openmsk-internal`, the super user of clusters with an authorizer, kept in memory only and
 * issued anew when less than a third of its 30 days is left. Never written to disk, never handed to a user.
 */
export async function internalClientIdentity(db: Db, box: SecretBox, accountId: string): Promise<ClientIdentity> {
  const cached = identities.get(accountId);
  const fresh = cached && (await cached.catch(() => undefined));
  if (fresh && fresh.notAfter.getTime() - Date.now() > (IDENTITY_DAYS / 3) * 86400_000) return fresh;
  const issuing = (async () => {
    const ca = await accountCertificateAuthority(db, box, accountId);
    const leaf = await issueCertificate(ca, { commonName: INTERNAL_COMMON_NAME, usage: 'client', validDays: IDENTITY_DAYS });
    return { certPem: leaf.certPem, keyPem: leaf.keyPem, notAfter: leaf.notAfter };
  })();
  identities.set(accountId, issuing);
  issuing.catch(() => identities.delete(accountId));
  return issuing;
}
