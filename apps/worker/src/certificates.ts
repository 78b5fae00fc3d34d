import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateInfo, createCertificateAuthority, issueCertificate, type CertificateAuthority } from '@openmsk/pki';
import type { WorkerDeps } from './deps';

/** The account's CA, created on first use; its key is sealed with the master key like every secret. */
export async function accountCa(deps: WorkerDeps, accountId: string): Promise<CertificateAuthority> {
  const row = await deps.db.certificateAuthority.findUnique({ where: { accountId } });
  if (row) {
    const info = certificateInfo(row.certPem);
    return { certPem: row.certPem, keyPem: deps.box.open(row.keyEnc), serial: '', notAfter: info.notAfter };
  }
  const ca = await createCertificateAuthority({ commonName: `openmsk CA ${accountId}` });
  // Two workers may race here: the first insert wins and both use the stored one.
  await deps.db.certificateAuthority.createMany({
    data: [{ accountId, certPem: ca.certPem, keyEnc: deps.box.seal(ca.keyPem) }],
    skipDuplicates: true,
  });
  return accountCa(deps, accountId);
}

/** keystore.pem (key + cert + CA) and ca.pem for one node; kept while valid for the same CA and host. */
export async function ensureNodeCertificate(
  ca: CertificateAuthority,
  dir: string,
  commonName: string,
  host: string,
): Promise<void> {
  const keystore = join(dir, 'keystore.pem');
  const caFile = join(dir, 'ca.pem');
  if (existsSync(keystore) && existsSync(caFile) && readFileSync(caFile, 'utf8') === ca.certPem) {
    const info = certificateInfo(readFileSync(keystore, 'utf8'));
    if (info.notAfter.getTime() > Date.now() + 7 * 86400_000) return;
  }
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const leaf = await issueCertificate(ca, {
    commonName,
    dnsNames: ['localhost', ...(isIp ? [] : [host])],
    ipAddresses: ['127.0.0.1', ...(isIp && host !== '127.0.0.1' ? [host] : [])],
    usage: 'both',
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keystore, leaf.keystorePem, { mode: 0o600 });
  writeFileSync(caFile, ca.certPem, { mode: 0o644 });
}
