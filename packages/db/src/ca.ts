import { certificateInfo, createCertificateAuthority, type CertificateAuthority } from '@openmsk/pki';
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
