/**
 * Real TLS handshakes between node:tls peers on 127.0.0.1: the server presents the leaf key + chain, the client
 * trusts only the account CA and checks the host name, exactly as a Kafka client dialing a broker would.
 */
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type LeafCertificate } from '../src';
import { handshake } from './helpers';

let ca: CertificateAuthority;
let otherCa: CertificateAuthority;
let broker: LeafCertificate;

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
  otherCa = await createCertificateAuthority({ commonName: 'openmsk CA 210987654321' });
  broker = await issueCertificate(ca, { commonName: 'b-1.demo.openmsk.local', dnsNames: ['b-1.demo.openmsk.local'] });
});

const serverOpts = (leaf: LeafCertificate) => ({ key: leaf.keyPem, cert: leaf.chainPem });

describe('server authentication', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)('completes a %s handshake trusting only ca.pem, servername localhost', async (v) => {
    const r = await handshake({
      server: { ...serverOpts(broker), minVersion: v, maxVersion: v },
      client: { ca: ca.certPem, servername: 'localhost' },
    });
    expect(r).toEqual({ ok: true, protocol: v, echoed: 'ping' });
  });

  it('matches the broker DNS name and the bare IP 127.0.0.1', async () => {
    const dns = await handshake({ server: serverOpts(broker), client: { ca: ca.certPem, servername: 'b-1.demo.openmsk.local' } });
    expect(dns.ok).toBe(true);
    // No servername: node checks the connect host 127.0.0.1 against the iPAddress SANs.
    const ip = await handshake({ server: serverOpts(broker), client: { ca: ca.certPem } });
    expect(ip.ok).toBe(true);
  });

  it('fails when the client trusts a different CA', async () => {
    const r = await handshake({ server: serverOpts(broker), client: { ca: otherCa.certPem, servername: 'localhost' } });
    expect(r.ok).toBe(false);
    // the server sends its CA in the chain, and that CA is not the one the client trusts
    expect(r.error).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('fails for a host name that is not in the SANs', async () => {
    const r = await handshake({ server: serverOpts(broker), client: { ca: ca.certPem, servername: 'b-2.demo.openmsk.local' } });
    expect(r).toMatchObject({ ok: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('fails when the server sends only the leaf and the client trusts another CA (no chain to borrow)', async () => {
    const r = await handshake({
      server: { key: broker.keyPem, cert: broker.certPem },
      client: { ca: otherCa.certPem, servername: 'localhost' },
    });
    expect(r).toMatchObject({ ok: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});

describe('mutual TLS (ssl.client.auth=required)', () => {
  const mtlsServer = (leaf: LeafCertificate, trust: string) => ({ ...serverOpts(leaf), ca: trust, requestCert: true });

  it('accepts a client certificate from the same CA', async () => {
    const client = await issueCertificate(ca, { commonName: 'client-1', usage: 'client' });
    const r = await handshake({
      server: mtlsServer(broker, ca.certPem),
      client: { ca: ca.certPem, servername: 'localhost', key: client.keyPem, cert: client.chainPem },
    });
    expect(r).toEqual({ ok: true, protocol: 'TLSv1.3', echoed: 'ping' });
  });

  it('accepts a broker presenting its own "both" leaf as a client (inter-broker / controller traffic)', async () => {
    const r = await handshake({
      server: mtlsServer(broker, ca.certPem),
      client: { ca: ca.certPem, servername: 'localhost', key: broker.keyPem, cert: broker.chainPem },
    });
    expect(r.ok).toBe(true);
  });

  it('rejects a server-only certificate used as a client (EKU lacks clientAuth)', async () => {
    const serverOnly = await issueCertificate(ca, { commonName: 'not-a-client', usage: 'server' });
    const r = await handshake({
      server: mtlsServer(broker, ca.certPem),
      client: { ca: ca.certPem, servername: 'localhost', key: serverOnly.keyPem, cert: serverOnly.chainPem },
    });
    expect(r).toMatchObject({ ok: false, serverError: 'INVALID_PURPOSE' });
  });

  it('rejects a client certificate from another account’s CA', async () => {
    const stranger = await issueCertificate(otherCa, { commonName: 'stranger', usage: 'client' });
    const r = await handshake({
      server: mtlsServer(broker, ca.certPem),
      client: { ca: ca.certPem, servername: 'localhost', key: stranger.keyPem, cert: stranger.certPem },
    });
    expect(r).toMatchObject({ ok: false, serverError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('a client-only leaf cannot serve (EKU lacks serverAuth)', async () => {
    const clientOnly = await issueCertificate(ca, { commonName: 'client-2', usage: 'client' });
    const r = await handshake({ server: serverOpts(clientOnly), client: { ca: ca.certPem, servername: 'localhost' } });
    expect(r).toMatchObject({ ok: false, error: 'INVALID_PURPOSE' });
  });
});
