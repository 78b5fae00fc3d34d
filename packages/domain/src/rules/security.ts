/**
 * Client authentication versus encryption in transit, shared by CreateCluster and (later)
 * UpdateSecurity. Valid combinations (docs/msk-behaviour.md §5, doc msk-update-security):
 *   unauthenticated  clientBroker TLS | TLS_PLAINTEXT | PLAINTEXT, inCluster on or off
 *   mTLS             clientBroker TLS | TLS_PLAINTEXT,             inCluster on
 *   SASL/SCRAM, IAM  clientBroker TLS,                             inCluster on
 */
import type { ClientAuthentication, ClientBroker } from '@aws-sdk/client-kafka';
import { badRequest } from '@openmsk/wire/src/errors';
import { assertBoolean } from './common';
import { assertCertificateAuthorityArns } from './formats';

/** Client authentication with every flag explicit, as DescribeCluster reports it. */
export interface NormalizedClientAuthentication {
  Sasl: { Scram: { Enabled: boolean }; Iam: { Enabled: boolean } };
  Tls: { Enabled: boolean; CertificateAuthorityArnList: string[] };
  Unauthenticated: { Enabled: boolean };
}

const flag = (v: boolean | undefined, param: string) => (v === undefined ? undefined : assertBoolean(v, param));

/**
 * Makes every flag explicit. mTLS counts as on when `tls.enabled` is true, or (older clients,
 * which predate the flag) when a CA list is given. Unauthenticated access is on when asked
 * for, or when nothing else is — an absent clientAuthentication means an open cluster.
 */
export function normalizeClientAuthentication(ca: ClientAuthentication | undefined): NormalizedClientAuthentication {
  const scram = flag(ca?.Sasl?.Scram?.Enabled, 'enabled') ?? false;
  const iam = flag(ca?.Sasl?.Iam?.Enabled, 'enabled') ?? false;
  const cas = ca?.Tls?.CertificateAuthorityArnList ?? [];
  if (!Array.isArray(cas)) throw badRequest('The certificateAuthorityArnList parameter must be a list of ARNs.', 'certificateAuthorityArnList');
  assertCertificateAuthorityArns(cas);
  const tls = flag(ca?.Tls?.Enabled, 'enabled') ?? cas.length > 0;
  const unauthenticated = flag(ca?.Unauthenticated?.Enabled, 'enabled') ?? !(scram || iam || tls);
  return {
    Sasl: { Scram: { Enabled: scram }, Iam: { Enabled: iam } },
    Tls: { Enabled: tls, CertificateAuthorityArnList: [...cas] },
    Unauthenticated: { Enabled: unauthenticated },
  };
}

/** Throws unless the authentication methods fit `clientBroker` and `inCluster` (table above). */
export function assertSecurityCombination(auth: NormalizedClientAuthentication, clientBroker: ClientBroker, inCluster: boolean): void {
  const scram = auth.Sasl.Scram.Enabled;
  const iam = auth.Sasl.Iam.Enabled;
  const tls = auth.Tls.Enabled;
  if (!(scram || iam || tls || auth.Unauthenticated.Enabled)) {
    throw badRequest('At least one client authentication method must be enabled.', 'clientAuthentication');
  }
  if (tls && auth.Tls.CertificateAuthorityArnList.length === 0) {
    throw badRequest('TLS client authentication needs at least one certificate authority ARN.', 'certificateAuthorityArnList');
  }
  if ((scram || iam) && clientBroker !== 'TLS') {
    throw badRequest('SASL/SCRAM and IAM client authentication require clientBroker encryption TLS.', 'clientBroker');
  }
  if (tls && clientBroker === 'PLAINTEXT') {
    throw badRequest('TLS client authentication requires clientBroker encryption TLS or TLS_PLAINTEXT.', 'clientBroker');
  }
  if ((scram || iam || tls) && !inCluster) {
    throw badRequest('Client authentication with TLS, SASL/SCRAM or IAM requires encryption within the cluster (inCluster true).', 'inCluster');
  }
}
