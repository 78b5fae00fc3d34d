/**
 * Encryption at rest of broker volumes: what openmsk does (nothing yet) and what this host could support.
 *
 * MSK always encrypts broker volumes with a KMS key. openmsk does not encrypt them; probeEncryption() says so, with
 * the host's capabilities in the reason, and the worker reports it the way it reports a storage fallback (start
 * line, worker status, /health). What each capability would allow, and the experiment behind it:
 * docs/encryption-at-rest.md.
 *
 * - dm-crypt needs device-mapper (/proc/misc `device-mapper`, /dev/mapper/control, /sys/module/dm_mod) and the
 *   dm_crypt target (/sys/module/dm_crypt); it would encrypt the loop device under the existing XFS volumes.
 * - fscrypt needs ext4 with encryption (/sys/fs/ext4/features/encryption) and Linux >= 5.4 for v2 policies and
 *   FS_IOC_ADD_ENCRYPTION_KEY; XFS has no fscrypt, so volumes would be ext4. Growing a mounted ext4 needs
 *   CAP_SYS_RESOURCE (ext4_resize_begin), which a sandbox may not grant: without it growth would be offline only.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** How broker volumes are encrypted at rest. Only 'none' today. */
export type EncryptionKind = 'none';

/** What the host offers for encrypting volumes (not what openmsk does). */
export interface HostEncryptionSupport {
  deviceMapper: boolean;
  dmCrypt: boolean;
  /** ext4 encryption with v2 policies (kernel >= 5.4). */
  fscrypt: boolean;
  /** This process may grow a mounted ext4 (CAP_SYS_RESOURCE in its effective set). */
  onlineExt4Growth: boolean;
  kernel?: string;
}

export interface EncryptionProbe {
  kind: EncryptionKind;
  /** Always set: says that volumes are not encrypted and what the host could support. */
  reason: string;
  host: HostEncryptionSupport;
}

/** Roots to look under; tests pass fake trees. */
export interface EncryptionProbeOptions {
  sysRoot?: string /* default /sys */;
  procRoot?: string /* default /proc */;
  devRoot?: string /* default /dev */;
}

/** Bit of CAP_SYS_RESOURCE in /proc/<pid>/status CapEff (a hex mask; bit 24 lies in its last 8 digits). */
const CAP_SYS_RESOURCE_BIT = 24;

async function exists(p: string): Promise<boolean> {
  return fsp.lstat(p).then(() => true, () => false);
}

async function read(p: string): Promise<string | undefined> {
  return fsp.readFile(p, 'utf8').catch(() => undefined);
}

/** True when `release` (e.g. "6.18.44-fc") is at least major.minor. */
export function kernelAtLeast(release: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** What the host supports, from /proc, /sys and /dev. Never throws; an unreadable file counts as absent. */
export async function hostEncryptionSupport(opts: EncryptionProbeOptions = {}): Promise<HostEncryptionSupport> {
  const sys = opts.sysRoot ?? '/sys';
  const proc = opts.procRoot ?? '/proc';
  const dev = opts.devRoot ?? '/dev';
  const [misc, control, dmMod, dmCrypt, ext4Encryption, release, status] = await Promise.all([
    read(path.join(proc, 'misc')),
    exists(path.join(dev, 'mapper', 'control')),
    exists(path.join(sys, 'module', 'dm_mod')),
    exists(path.join(sys, 'module', 'dm_crypt')),
    exists(path.join(sys, 'fs', 'ext4', 'features', 'encryption')),
    read(path.join(proc, 'sys', 'kernel', 'osrelease')),
    read(path.join(proc, 'self', 'status')),
  ]);
  const deviceMapper = control || dmMod || /^\s*\d+\s+device-mapper\s*$/m.test(misc ?? '');
  const kernel = release?.trim() || undefined;
  const capEff = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(status ?? '')?.[1];
  return {
    deviceMapper,
    dmCrypt: deviceMapper && dmCrypt,
    fscrypt: ext4Encryption && kernelAtLeast(kernel, 5, 4),
    onlineExt4Growth: capEff !== undefined && ((parseInt(capEff.slice(-8), 16) >>> CAP_SYS_RESOURCE_BIT) & 1) === 1,
    ...(kernel && { kernel }),
  };
}

/** The sentence for logs and /health: volumes are not encrypted, and what the host could do instead. */
export function describeEncryption(host: HostEncryptionSupport): string {
  const parts: string[] = [];
  if (!host.deviceMapper) parts.push('no device-mapper, so no dm-crypt');
  else parts.push(host.dmCrypt ? 'dm-crypt available' : 'device-mapper present but the dm_crypt module is not loaded');
  if (!host.fscrypt) parts.push('no ext4 fscrypt');
  else parts.push(`ext4 fscrypt supported${host.onlineExt4Growth ? '' : ' but online ext4 growth is refused (no CAP_SYS_RESOURCE)'}`);
  const kernel = host.kernel ? `, kernel ${host.kernel}` : '';
  return `openmsk does not encrypt broker volumes yet (docs/encryption-at-rest.md); this host: ${parts.join('; ')}${kernel}`;
}

/** Encryption of broker volumes at rest: 'none' today, whatever the host supports; the reason says what it could. */
export async function probeEncryption(opts: EncryptionProbeOptions = {}): Promise<EncryptionProbe> {
  const host = await hostEncryptionSupport(opts);
  return { kind: 'none', reason: describeEncryption(host), host };
}
