import { X509Certificate, createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, PrivateCa } from '@openmsk/db';
import {
  CsrError, SIGNING_ALGORITHMS, buildCsr, certificateFromCsr, generateKeyPairFor, issuerOf, parseCsr, subjectName,
  type KeyAlgorithm, type SigningAlgorithm,
} from '@openmsk/pki';
import type { AppDeps, RequestContext } from '../context';
import {
  MSG, PcaError, caArn, checkCaConfiguration, checkIdempotencyToken, checkTags, checkTemplate, checkValidity, epoch,
  intIn, invalidArgs, invalidState, isReservedCommonName, missing, oneOf, pageToken, parseCaArn, parseCertificateArn,
  readPageToken, type CaConfig, type Tag,
} from './rules';

type Input = Record<string, any>;
type Tx = Prisma.TransactionClient;
/** What an operation needs: the caller, the region, the database and the master key (the admin command builds one too). */
export type PcaContext = Pick<RequestContext, 'principal' | 'region'> & { deps: Pick<AppDeps, 'db' | 'box'> };
/** One ACM PCA operation: JSON in, JSON out (AWS's member names). */
export type PcaHandler = (ctx: PcaContext, input: Input) => Promise<object>;

/** AWS's quota of private CAs per account and region (deleted ones count until they are gone for good). */
const MAX_CAS = 200;
const MAX_TAGS = 50;
/** CreateCertificateAuthority tokens last five minutes, IssueCertificate tokens one (AWS's documented windows). */
const CREATE_TOKEN_MS = 5 * 60_000;
const ISSUE_TOKEN_MS = 60_000;
const SHORT_LIVED_MAX_MS = 7 * 86_400_000;

const tx = <T>(ctx: PcaContext, fn: (tx: Tx) => Promise<T>) => ctx.deps.db.$transaction(fn);
const caNotFound = (arn: string) => new PcaError('ResourceNotFoundException', MSG.caNotFound(arn));
const tagsOf = (ca: PrivateCa) => ca.tags as unknown as Tag[];
const configOf = (ca: PrivateCa) => ca.configuration as unknown as CaConfig & { KeyStorageSecurityStandard: string };

// AWS-PARITY: a deleted CA whose restoration period has ended is removed at the first request that meets it (and
// ListCertificateAuthorities no longer shows it), not by a sweeper; from outside it looks the same.
/** The caller's CA that `rawArn` names, locked for the transaction; another account's or region's answers as missing. */
async function findCa(t: Tx, ctx: PcaContext, rawArn: unknown): Promise<PrivateCa> {
  const arn = parseCaArn(rawArn);
  if (arn.accountId !== ctx.principal.accountId || arn.region !== ctx.region) throw caNotFound(arn.arn);
  const rows = await t.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM private_ca WHERE arn = ${arn.arn} AND account_id = ${ctx.principal.accountId} AND region = ${ctx.region} FOR UPDATE`;
  if (rows.length === 0) throw caNotFound(arn.arn);
  const ca = await t.privateCa.findUniqueOrThrow({ where: { id: rows[0].id } });
  if (ca.status === 'DELETED' && ca.restorableUntil && ca.restorableUntil <= new Date()) {
    await t.privateCa.delete({ where: { id: ca.id } });
    throw caNotFound(arn.arn);
  }
  return ca;
}

/** DescribeCertificateAuthority's and ListCertificateAuthorities' view of a CA. */
function describe(ca: PrivateCa) {
  const { KeyStorageSecurityStandard, ...configuration } = configOf(ca);
  return {
    Arn: ca.arn,
    OwnerAccount: ca.accountId,
    CreatedAt: epoch(ca.createdAt),
    LastStateChangeAt: epoch(ca.lastStateChangeAt),
    Type: ca.type,
    ...(ca.serial ? { Serial: ca.serial } : {}),
    Status: ca.status,
    ...(ca.notBefore ? { NotBefore: epoch(ca.notBefore) } : {}),
    ...(ca.notAfter ? { NotAfter: epoch(ca.notAfter) } : {}),
    CertificateAuthorityConfiguration: configuration,
    RevocationConfiguration: { CrlConfiguration: { Enabled: false }, OcspConfiguration: { Enabled: false } },
    ...(ca.status === 'DELETED' && ca.restorableUntil ? { RestorableUntil: epoch(ca.restorableUntil) } : {}),
    KeyStorageSecurityStandard,
    UsageMode: ca.usageMode,
  };
}

// AWS-PARITY: there is no CRL or OCSP; a RevocationConfiguration that enables either is refused, one that disables
// both is accepted and changes nothing.
function checkRevocation(v: unknown) {
  if (v === undefined || v === null) return;
  const r = v as { CrlConfiguration?: { Enabled?: boolean }; OcspConfiguration?: { Enabled?: boolean } };
  if (r?.CrlConfiguration?.Enabled === true || r?.OcspConfiguration?.Enabled === true) {
    throw invalidArgs('openmsk does not publish CRLs or answer OCSP; RevocationConfiguration cannot enable them.');
  }
}

async function createCertificateAuthority(ctx: PcaContext, input: Input) {
  const type = oneOf(input, 'CertificateAuthorityType', ['ROOT', 'SUBORDINATE'] as const);
  const config = checkCaConfiguration(input.CertificateAuthorityConfiguration);
  // AWS-PARITY: only ROOT certificate authorities; SUBORDINATE is refused (InvalidArgsException) until a parent CA's
  // signed certificate and chain can be imported.
  if (type === 'SUBORDINATE') throw invalidArgs(MSG.subordinate);
  checkRevocation(input.RevocationConfiguration);
  const usageMode = oneOf(input, 'UsageMode', ['GENERAL_PURPOSE', 'SHORT_LIVED_CERTIFICATE'] as const, 'GENERAL_PURPOSE');
  // AWS-PARITY: there is no HSM; the key storage standard is recorded and described, every key is sealed with the master key.
  const keyStorage = oneOf(input, 'KeyStorageSecurityStandard', ['FIPS_140_2_LEVEL_2_OR_HIGHER', 'FIPS_140_2_LEVEL_3_OR_HIGHER', 'CCPC_LEVEL_1_OR_HIGHER'] as const, 'FIPS_140_2_LEVEL_3_OR_HIGHER');
  const tags = checkTags(input.Tags);
  if (tags.length > MAX_TAGS) throw new PcaError('TooManyTagsException', `You can attach at most ${MAX_TAGS} tags to a certificate authority.`);
  const token = checkIdempotencyToken(input.IdempotencyToken);

  const { privateKey, publicKey } = await generateKeyPairFor(config.KeyAlgorithm);
  const csrPem = buildCsr({ subject: subjectName(config.Subject), publicKey, privateKey, signingAlgorithm: config.SigningAlgorithm });
  const keyEnc = ctx.deps.box.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const { accountId } = ctx.principal;
  return tx(ctx, async (t) => {
    if (token) {
      // Two creates with one token at once: the second waits here and finds the first.
      const key = createHash('sha256').update(`${accountId}/${ctx.region}/${token}`).digest().readBigInt64BE();
      await t.$executeRaw`SELECT pg_advisory_xact_lock(${key})`;
      const same = await t.privateCa.findFirst({
        where: { accountId, region: ctx.region, idempotencyToken: token, createdAt: { gt: new Date(Date.now() - CREATE_TOKEN_MS) } },
      });
      if (same) return { CertificateAuthorityArn: same.arn };
    }
    if ((await t.privateCa.count({ where: { accountId, region: ctx.region } })) >= MAX_CAS) {
      throw new PcaError('LimitExceededException', `You have reached the limit of ${MAX_CAS} certificate authorities in this region.`);
    }
    const id = randomUUID();
    const ca = await t.privateCa.create({
      data: {
        id, accountId, region: ctx.region, arn: caArn(ctx.region, accountId, id), type, status: 'PENDING_CERTIFICATE', usageMode,
        keyAlgorithm: config.KeyAlgorithm, signingAlgorithm: config.SigningAlgorithm,
        configuration: { ...config, KeyStorageSecurityStandard: keyStorage } as unknown as Prisma.InputJsonValue,
        keyEnc, csrPem, tags: tags as unknown as Prisma.InputJsonValue, idempotencyToken: token ?? null,
      },
    });
    return { CertificateAuthorityArn: ca.arn };
  });
}

const describeCertificateAuthority: PcaHandler = (ctx, input) =>
  tx(ctx, async (t) => ({ CertificateAuthority: describe(await findCa(t, ctx, input.CertificateAuthorityArn)) }));

async function listCertificateAuthorities(ctx: PcaContext, input: Input) {
  const max = intIn(input, 'MaxResults', 1, 1000, 1000);
  const owner = oneOf(input, 'ResourceOwner', ['SELF', 'OTHER_ACCOUNTS'] as const, 'SELF');
  const offset = readPageToken(input.NextToken);
  // Nothing is shared between accounts (no RAM), so OTHER_ACCOUNTS is always empty.
  if (owner === 'OTHER_ACCOUNTS') return { CertificateAuthorities: [] };
  const where = { accountId: ctx.principal.accountId, region: ctx.region };
  await ctx.deps.db.privateCa.deleteMany({ where: { ...where, status: 'DELETED', restorableUntil: { lte: new Date() } } });
  // AWS-PARITY: NextToken is a position in the list ordered by creation time; a CA created or removed between pages can shift a page by one.
  const cas = await ctx.deps.db.privateCa.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: offset, take: max + 1 });
  const page = cas.slice(0, max);
  return { CertificateAuthorities: page.map(describe), ...(cas.length > max ? { NextToken: pageToken(offset + max) } : {}) };
}

const getCertificateAuthorityCsr: PcaHandler = (ctx, input) =>
  tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    if (ca.status === 'DELETED' || ca.status === 'FAILED') throw invalidState(MSG.noCsr(ca.arn));
    return { Csr: ca.csrPem };
  });

const getCertificateAuthorityCertificate: PcaHandler = (ctx, input) =>
  tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    // The message AWS gives here for a DELETED CA names the CSR, oddly; it is kept for a CA without a certificate too.
    if (ca.status === 'DELETED' || !ca.certPem) throw invalidState(MSG.noCsr(ca.arn));
    // A root CA has no chain above it: AWS leaves CertificateChain out.
    return { Certificate: ca.certPem, ...(ca.chainPem ? { CertificateChain: ca.chainPem } : {}) };
  });

/** A blob member (base64 on the wire) holding PEM text. */
function pemBlob(v: unknown, field: string, error: (reason: string) => PcaError): Buffer {
  if (v === undefined || v === null) throw missing(field);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw error('it is not base64');
  const bytes = Buffer.from(v, 'base64');
  if (bytes.length === 0) throw error('it is empty');
  return bytes;
}

const malformedCertificate = (reason: string) => new PcaError('MalformedCertificateException', `The certificate is malformed: ${reason}.`);

async function importCertificateAuthorityCertificate(ctx: PcaContext, input: Input) {
  const bytes = pemBlob(input.Certificate, 'certificate', malformedCertificate);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(bytes);
  } catch {
    throw malformedCertificate('it is not a PEM or DER X.509 certificate');
  }
  if (!cert.ca) throw malformedCertificate('it is not a CA certificate (basicConstraints CA:TRUE is missing)');
  if (!cert.verify(cert.publicKey)) throw malformedCertificate('a root CA certificate must be self-signed');
  if (new Date(cert.validTo).getTime() <= Date.now()) throw malformedCertificate('it has expired');
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    if (ca.status === 'DELETED' || ca.status === 'FAILED') throw invalidState(`The certificate authority ${ca.arn} is in state ${ca.status} and cannot import a certificate.`);
    const key = createPrivateKey(ctx.deps.box.open(ca.keyEnc));
    if (!cert.checkPrivateKey(key)) {
      throw new PcaError('CertificateMismatchException', `The certificate does not match the public key of the certificate authority ${ca.arn}.`);
    }
    const now = new Date();
    await t.privateCa.update({
      where: { id: ca.id },
      data: {
        certPem: cert.toString(), serial: cert.serialNumber.toLowerCase(), notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo),
        ...(ca.status === 'PENDING_CERTIFICATE' || ca.status === 'EXPIRED' ? { status: 'ACTIVE', lastStateChangeAt: now } : {}),
      },
    });
    return {};
  });
}

async function issueCertificate(ctx: PcaContext, input: Input) {
  const malformedCsr = (reason: string) => new PcaError('MalformedCSRException', MSG.malformedCsr(reason));
  parseCaArn(input.CertificateAuthorityArn);
  const csrBytes = pemBlob(input.Csr, 'csr', malformedCsr);
  const signingAlgorithm = oneOf(input, 'SigningAlgorithm', SIGNING_ALGORITHMS) as SigningAlgorithm;
  const { notBefore, notAfter } = checkValidity(input.Validity);
  const template = checkTemplate(input.TemplateArn);
  const token = checkIdempotencyToken(input.IdempotencyToken);
  // AWS-PARITY: ApiPassthrough and ValidityNotBefore are refused (InvalidArgsException); the templates' extensions and an hour of notBefore slack are all openmsk gives.
  if (input.ApiPassthrough !== undefined && input.ApiPassthrough !== null) throw invalidArgs('ApiPassthrough is not supported by openmsk.');
  if (input.ValidityNotBefore !== undefined && input.ValidityNotBefore !== null) throw invalidArgs('ValidityNotBefore is not supported by openmsk.');
  let csr: ReturnType<typeof parseCsr>;
  try {
    csr = parseCsr(csrBytes);
  } catch (e) {
    if (e instanceof CsrError) throw malformedCsr(e.message);
    throw e;
  }
  // openmsk's brokers and admin client authenticate as CN=openmsk-internal, a super user of every cluster: a client
  // certificate with that CN would be one too.
  if (csr.commonNames.some(isReservedCommonName)) throw invalidArgs(MSG.reservedCn);

  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    const key = createPrivateKey(ctx.deps.box.open(ca.keyEnc));
    const caPublic = createPublicKey(key);
    const caSpki = caPublic.export({ type: 'spki', format: 'der' });
    const isRoot = template === 'RootCACertificate/V1';
    if (isRoot) {
      if (ca.status === 'DELETED' || ca.status === 'FAILED' || ca.status === 'DISABLED') throw invalidState(MSG.notIssuing);
      if (!csr.spki.equals(caSpki)) throw invalidArgs('RootCACertificate/V1 signs the certificate authority\'s own CSR only (GetCertificateAuthorityCsr).');
    } else if (ca.status !== 'ACTIVE') {
      throw invalidState(MSG.notIssuing);
    }
    if (signingAlgorithm.endsWith('RSA') !== (ca.keyAlgorithm as KeyAlgorithm).startsWith('RSA_')) {
      throw invalidArgs(`The signing algorithm ${signingAlgorithm} does not match the key algorithm ${ca.keyAlgorithm} of the certificate authority.`);
    }
    if (!isRoot && ca.notAfter && notAfter > ca.notAfter) {
      throw invalidArgs(`The certificate validity cannot extend past the certificate authority's (${ca.notAfter.toISOString()}).`);
    }
    if (ca.usageMode === 'SHORT_LIVED_CERTIFICATE' && notAfter.getTime() - Date.now() > SHORT_LIVED_MAX_MS) {
      throw invalidArgs('A SHORT_LIVED_CERTIFICATE certificate authority issues certificates valid for at most 7 days.');
    }
    if (token) {
      const same = await t.privateCaCertificate.findFirst({ where: { caId: ca.id, idempotencyToken: token, createdAt: { gt: new Date(Date.now() - ISSUE_TOKEN_MS) } } });
      if (same) return { CertificateArn: same.arn };
    }
    const issuer = isRoot ? { subject: csr.subject, keyId: Buffer.alloc(0) } : issuerOf(ca.certPem!);
    const { certPem, serial } = certificateFromCsr({
      csr, template, issuer: issuer.subject, issuerKeyId: issuer.keyId, signingKey: key, signingAlgorithm, notBefore, notAfter,
    });
    if (!new X509Certificate(certPem).verify(caPublic)) throw new Error('IssueCertificate: signature self-check failed');
    const id = randomBytes(16).toString('hex');
    const arn = `${ca.arn}/certificate/${id}`;
    await t.privateCaCertificate.create({ data: { id, caId: ca.id, arn, serial, certPem, template, idempotencyToken: token ?? null } });
    return { CertificateArn: arn };
  });
}

async function getCertificate(ctx: PcaContext, input: Input) {
  const certArn = parseCertificateArn(input.CertificateArn);
  const caArnIn = parseCaArn(input.CertificateAuthorityArn);
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, caArnIn.arn);
    if (certArn.caArn !== ca.arn) throw new PcaError('ResourceNotFoundException', MSG.certNotFound(certArn.arn));
    if (ca.status === 'DELETED') throw invalidState(MSG.noIssued(ca.arn));
    const cert = await t.privateCaCertificate.findFirst({ where: { id: certArn.id, caId: ca.id } });
    if (!cert) throw new PcaError('ResourceNotFoundException', MSG.certNotFound(certArn.arn));
    // The chain is the CA's certificate (and its own chain): what a client needs to reach the root.
    const chain = ca.certPem && cert.template !== 'RootCACertificate/V1' ? ca.certPem + (ca.chainPem ?? '') : undefined;
    return { Certificate: cert.certPem, ...(chain ? { CertificateChain: chain } : {}) };
  });
}

async function updateCertificateAuthority(ctx: PcaContext, input: Input) {
  checkRevocation(input.RevocationConfiguration);
  const status = input.Status === undefined || input.Status === null ? undefined : oneOf(input, 'Status', ['ACTIVE', 'DISABLED'] as const);
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    if (status && status !== ca.status) {
      if (ca.status !== 'ACTIVE' && ca.status !== 'DISABLED') {
        throw invalidState(`The certificate authority ${ca.arn} is in state ${ca.status}; only an ACTIVE or DISABLED certificate authority can change to ${status}.`);
      }
      await t.privateCa.update({ where: { id: ca.id }, data: { status, lastStateChangeAt: new Date() } });
    }
    return {};
  });
}

async function deleteCertificateAuthority(ctx: PcaContext, input: Input) {
  const days = intIn(input, 'PermanentDeletionTimeInDays', 7, 30, 30);
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    if (ca.status === 'ACTIVE') throw invalidState(`The certificate authority ${ca.arn} is ACTIVE; disable it (UpdateCertificateAuthority --status DISABLED) before deleting it.`);
    if (ca.status === 'DELETED') throw invalidState(`The certificate authority ${ca.arn} is already deleted.`);
    const now = new Date();
    await t.privateCa.update({
      where: { id: ca.id },
      data: { status: 'DELETED', statusBeforeDeletion: ca.status, restorableUntil: new Date(now.getTime() + days * 86_400_000), lastStateChangeAt: now },
    });
    return {};
  });
}

async function restoreCertificateAuthority(ctx: PcaContext, input: Input) {
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    if (ca.status !== 'DELETED') throw invalidState(`The certificate authority ${ca.arn} is not in the DELETED state and cannot be restored.`);
    // As on AWS, a CA that could issue before deletion comes back DISABLED; one still waiting for its certificate waits again.
    const status = ca.statusBeforeDeletion === 'PENDING_CERTIFICATE' ? 'PENDING_CERTIFICATE' : 'DISABLED';
    await t.privateCa.update({ where: { id: ca.id }, data: { status, statusBeforeDeletion: null, restorableUntil: null, lastStateChangeAt: new Date() } });
    return {};
  });
}

async function tagCertificateAuthority(ctx: PcaContext, input: Input) {
  if (input.Tags === undefined || input.Tags === null) throw missing('tags');
  const add = checkTags(input.Tags);
  if (add.length === 0) throw new PcaError('ValidationException', "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1");
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    const merged = new Map(tagsOf(ca).map((tag) => [tag.Key, tag]));
    for (const tag of add) merged.set(tag.Key, tag);
    if (merged.size > MAX_TAGS) throw new PcaError('TooManyTagsException', `You can attach at most ${MAX_TAGS} tags to a certificate authority.`);
    await t.privateCa.update({ where: { id: ca.id }, data: { tags: [...merged.values()] as unknown as Prisma.InputJsonValue } });
    return {};
  });
}

async function untagCertificateAuthority(ctx: PcaContext, input: Input) {
  if (input.Tags === undefined || input.Tags === null) throw missing('tags');
  const remove = checkTags(input.Tags);
  return tx(ctx, async (t) => {
    const ca = await findCa(t, ctx, input.CertificateAuthorityArn);
    // A tag named with a Value is removed only when the value matches too.
    const kept = tagsOf(ca).filter((tag) => !remove.some((r) => r.Key === tag.Key && (r.Value === undefined || r.Value === (tag.Value ?? ''))));
    await t.privateCa.update({ where: { id: ca.id }, data: { tags: kept as unknown as Prisma.InputJsonValue } });
    return {};
  });
}

async function listTags(ctx: PcaContext, input: Input) {
  const max = intIn(input, 'MaxResults', 1, 1000, 1000);
  const offset = readPageToken(input.NextToken);
  return tx(ctx, async (t) => {
    const tags = tagsOf(await findCa(t, ctx, input.CertificateAuthorityArn));
    const page = tags.slice(offset, offset + max);
    return { Tags: page, ...(offset + max < tags.length ? { NextToken: pageToken(offset + max) } : {}) };
  });
}

/**
 * openmsk's one-call path (`npm run admin -- private-ca`): AWS's four steps through the same operations, so the CA
 * goes PENDING_CERTIFICATE → ACTIVE exactly as it would with the CLI. Answers the new CA's ARN.
 */
export async function createActiveRootCa(ctx: PcaContext, input: Input): Promise<{ CertificateAuthorityArn: string }> {
  const { CertificateAuthorityArn } = await createCertificateAuthority(ctx, { ...input, CertificateAuthorityType: 'ROOT' });
  const arn = { CertificateAuthorityArn };
  const { Csr } = (await getCertificateAuthorityCsr(ctx, arn)) as { Csr: string };
  const signingAlgorithm = (input.CertificateAuthorityConfiguration as CaConfig).SigningAlgorithm;
  const { CertificateArn } = await issueCertificate(ctx, {
    ...arn, Csr: Buffer.from(Csr).toString('base64'), SigningAlgorithm: signingAlgorithm,
    TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1', Validity: { Type: 'YEARS', Value: 10 },
  });
  const { Certificate } = (await getCertificate(ctx, { ...arn, CertificateArn })) as { Certificate: string };
  await importCertificateAuthorityCertificate(ctx, { ...arn, Certificate: Buffer.from(Certificate).toString('base64') });
  return arn;
}

/** The implemented operations, by the SDK's operation names. */
export const PCA_HANDLERS: Record<string, PcaHandler> = {
  CreateCertificateAuthority: createCertificateAuthority,
  DescribeCertificateAuthority: describeCertificateAuthority,
  ListCertificateAuthorities: listCertificateAuthorities,
  GetCertificateAuthorityCsr: getCertificateAuthorityCsr,
  GetCertificateAuthorityCertificate: getCertificateAuthorityCertificate,
  ImportCertificateAuthorityCertificate: importCertificateAuthorityCertificate,
  IssueCertificate: issueCertificate,
  GetCertificate: getCertificate,
  UpdateCertificateAuthority: updateCertificateAuthority,
  DeleteCertificateAuthority: deleteCertificateAuthority,
  RestoreCertificateAuthority: restoreCertificateAuthority,
  TagCertificateAuthority: tagCertificateAuthority,
  UntagCertificateAuthority: untagCertificateAuthority,
  ListTags: listTags,
};
