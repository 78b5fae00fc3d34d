import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountCertificateAuthority } from '@openmsk/db';
import { CA_FILE, KEYSTORE_FILE, certificateInfo, issueCertificate, writeTlsFiles, type CertificateAuthority } from '@openmsk/pki';
import type { WorkerDeps } from './deps';

/** The account's CA (see @openmsk/db accountCertificateAuthority). */
export const accountCa = (deps: WorkerDeps, accountId: string) => accountCertificateAuthority(deps.db, deps.box, accountId);

/** The leaf certificate in a node's keystore.pem expires within `renewDays` (or there is none): read from the file alone. */
export function leafDue(dir: string, renewDays: number): boolean {
  const keystore = join(dir, KEYSTORE_FILE);
  if (!existsSync(keystore)) return true;
  const leafPem = readFileSync(keystore, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  return !leafPem || certificateInfo(leafPem).notAfter.getTime() <= Date.now() + renewDays * 86400_000;
}

/** The common name of the leaf certificate in a node's keystore.pem. */
function leafCommonName(dir: string): string | undefined {
  const leafPem = readFileSync(join(dir, KEYSTORE_FILE), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  return leafPem ? /^CN=(.*)$/m.exec(certificateInfo(leafPem).subject)?.[1] : undefined;
}

/**
 * keystore.pem (key + cert + CA) and ca.pem for one node; kept while it is for the same CA and has more than
 * `renewDays` left, else issued anew for `validDays`. Returns whether it issued one.
 */
export async function ensureNodeCertificate(
  ca: CertificateAuthority,
  dir: string,
  commonName: string,
  host: string,
  validity: { validDays: number; renewDays: number } = { validDays: 395, renewDays: 7 },
): Promise<boolean> {
  const caFile = join(dir, CA_FILE);
  // Kept while it is for this CA, has time left and carries `commonName` (older nodes had per-node names; the principal
  // of openmsk's own certificates is now CN=openmsk-internal, the super user of clusters with an authorizer).
  if (existsSync(caFile) && readFileSync(caFile, 'utf8') === ca.certPem && !leafDue(dir, validity.renewDays) && leafCommonName(dir) === commonName) return false;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const leaf = await issueCertificate(ca, {
    commonName,
    dnsNames: ['localhost', ...(isIp ? [] : [host])],
    ipAddresses: ['127.0.0.1', ...(isIp && host !== '127.0.0.1' ? [host] : [])],
    usage: 'both',
    validDays: validity.validDays,
  });
  writeTlsFiles(dir, ca, leaf);
  return true;
}
