/**
 * Broker volumes: each broker's log directory is its own file system of exactly `volumeSizeGB` GiB.
 *
 * Layout under `root` (e.g. <OPENMSK_HOME>/volumes):
 *   <clusterId>/<nodeId>.img        sparse backing file holding XFS (xfs-loop volumes)
 *   <clusterId>/<nodeId>.img.tmp    a backing file being created (formatted, then renamed to .img)
 *   <clusterId>/<nodeId>.dir.json   marker of a directory volume: { "sizeGiB": N } (not enforced)
 *   <clusterId>/<nodeId>/           mount point (xfs-loop) or the plain directory (directory)
 *   <clusterId>/<nodeId>/data/      where the broker's data goes (owned by uid 0; containers run as root)
 *
 * xfs-loop: the .img is attached to a loop device and mounted on the host at <nodeId>/; the caller bind-mounts
 * that into the broker container. Growing is online: extend the file, `losetup -c`, `xfs_growfs` on the mounted
 * path, no broker restart (this kernel refuses online ext4 growth, hence XFS).
 *
 * Sizing rule: `df` (statfs f_blocks) does not count XFS's internal log, and that is all it leaves out. So the
 * backing file is `N GiB + 64 MiB` with a fixed 64 MiB log (`-l size=64m`), which makes the file system exactly
 * N GiB as `df -B1` shows it (measured for N = 1 … 4095: difference 0). After mkfs / growfs the result is checked
 * and, should XFS have dropped a tiny trailing allocation group, the file is extended a little further, so the
 * file system is never smaller than N GiB (at most ~1 MiB larger). `sizeGiB` reported back is floor(total / GiB).
 *
 * Where loop devices are unavailable (no /dev/loop-control, losetup/mount not permitted, tools missing) the `auto`
 * mode falls back to plain directories; probe() then says so with a reason, which the caller must print.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { execFile, type Exec, ExecError } from './exec';

export interface StorageOptions {
  root: string /* e.g. <OPENMSK_HOME>/volumes; made absolute */;
  mode?: 'auto' | 'loop' | 'directory';
  /** Sub-directory of the volume created for the broker's data (chowned to 0:0). Default `data`. */
  dataSubdir?: string;
  /** Command runner; tests inject failures through it. Default: execFile from ./exec with sbin dirs on PATH. */
  exec?: Exec;
}

export interface VolumeRef {
  clusterId: string;
  nodeId: string /* e.g. "broker-1" */;
}

export interface VolumeStatus {
  path: string /* host mount point to bind into the container */;
  kind: 'xfs-loop' | 'directory';
  sizeGiB: number;
  loopDevice?: string;
  backingFile?: string;
  /** `<path>/<dataSubdir>`: bind this one (Docker `Mounts` type bind refuses a missing source, so an unmounted volume fails loudly). */
  dataPath: string;
  /** xfs-loop: whether the file system is mounted at `path` (false after a reboot or crash until ensure()). Always true for directories. */
  mounted: boolean;
}

export type StorageKind = 'xfs-loop' | 'directory';

export interface VolumeStorage {
  /** Can we do loop + XFS here? Cached. Mode `loop` rejects when we cannot; `auto` resolves to 'directory' with a reason. */
  probe(): Promise<{ kind: StorageKind; reason?: string }>;
  /** Idempotent create / re-attach / re-mount. Never reformats, never resizes an existing volume. */
  ensure(ref: VolumeRef, sizeGiB: number): Promise<VolumeStatus>;
  /** Online grow; throws when asked to shrink; no-op when equal. */
  grow(ref: VolumeRef, sizeGiB: number): Promise<VolumeStatus>;
  /** undefined when the volume does not exist. Size from statfs when mounted, else from the XFS superblock. */
  status(ref: VolumeRef): Promise<VolumeStatus | undefined>;
  /** Unmount (retrying briefly while busy), detach, delete. Idempotent. */
  remove(ref: VolumeRef): Promise<void>;
  removeCluster(clusterId: string): Promise<void>;
  /** Every volume found in the directory layout (including half-created or half-removed ones). */
  list(): Promise<VolumeRef[]>;
}

export const GiB = 1024 ** 3;
/** Size of the internal XFS log. statfs/df exclude it from the total, so the backing file carries it on top. */
export const XFS_LOG_BYTES = 64 * 1024 ** 2;
/**
 * mkfs.xfs flags.
 * - `-m reflink=0`: with reflink (the mkfs default) XFS reserves per-AG space for the refcount btree up front and
 *   df shows it as used: 7.1 GiB "used" on a fresh 1000 GiB volume instead of 1.1 GiB. Kafka never reflinks, and a
 *   user running df in the broker expects an empty volume to look empty.
 * - `-l size=64m`: a fixed-size internal log (the default scales with the size, ~500 MiB at 1000 GiB) keeps the
 *   sizing rule a constant and is plenty for Kafka's few, large files.
 * - `-q`: quiet. Creating a 1000 GiB file system takes ~0.01 s and ~65 MB of real disk.
 */
export const MKFS_XFS_ARGS: readonly string[] = ['-q', '-m', 'reflink=0', '-l', 'size=64m'];
/**
 * Mount options. `discard`: deleted Kafka segments punch holes in the sparse backing file (the loop driver turns
 * discards into fallocate(PUNCH_HOLE)), so host disk usage follows the data instead of only ever growing.
 */
export const MOUNT_OPTIONS = 'noatime,discard';

/** Bytes of backing file for a file system that df shows as `sizeGiB` GiB. */
export function backingFileBytes(sizeGiB: number): number {
  return sizeGiB * GiB + XFS_LOG_BYTES;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const BUSY_RETRY_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function withSbin(p: string | undefined): string {
  const parts = (p ?? '').split(':').filter(Boolean);
  for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin']) if (!parts.includes(d)) parts.push(d);
  return parts.join(':');
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code as string | undefined;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

function checkSize(sizeGiB: number): void {
  if (!Number.isInteger(sizeGiB) || sizeGiB < 1) throw new Error(`volume size must be a positive whole number of GiB, got ${sizeGiB}`);
}

interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** /proc/self/mountinfo, octal escapes (\040 for space …) decoded. */
async function readMounts(): Promise<MountEntry[]> {
  const text = await fsp.readFile('/proc/self/mountinfo', 'utf8');
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = line.split(' ');
    const sep = f.indexOf('-', 6);
    if (sep < 0) continue;
    out.push({ mountPoint: unescape(f[4]), fsType: f[sep + 1], source: unescape(f[sep + 2] ?? '') });
  }
  return out;
}

interface XfsSuper {
  blockSize: number;
  /** Bytes statfs reports as the total: (dblocks - internal log blocks) * blocksize. */
  totalBytes: number;
}

/** Reads the primary XFS superblock from the start of a backing file; undefined if it is not XFS. */
async function readXfsSuper(file: string): Promise<XfsSuper | undefined> {
  const fh = await fsp.open(file, 'r');
  try {
    const b = Buffer.alloc(512);
    const { bytesRead } = await fh.read(b, 0, 512, 0);
    if (bytesRead < 104 || b.toString('latin1', 0, 4) !== 'XFSB') return undefined;
    const blockSize = b.readUInt32BE(4);
    const dblocks = b.readBigUInt64BE(8);
    const logStart = b.readBigUInt64BE(48);
    const logBlocks = BigInt(b.readUInt32BE(96));
    const total = (dblocks - (logStart !== 0n ? logBlocks : 0n)) * BigInt(blockSize);
    return { blockSize, totalBytes: Number(total) };
  } finally {
    await fh.close();
  }
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fsp.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function statfsTotal(p: string): Promise<number> {
  const s = await fsp.statfs(p, { bigint: true });
  return Number(s.blocks * s.bsize);
}

/** Data-section geometry of a mounted XFS (`xfs_info`): the on-disk superblock may lag behind while mounted. */
async function xfsGeometryWith(run: (f: string, a: readonly string[]) => Promise<{ stdout: string }>, mnt: string) {
  const { stdout } = await run('xfs_info', [mnt]);
  const m = /^data\s+=\s+bsize=(\d+)\s+blocks=(\d+)/m.exec(stdout);
  if (!m) throw new Error(`cannot parse xfs_info ${mnt}: ${stdout}`);
  return { blockSize: Number(m[1]), dataBlocks: Number(m[2]) };
}

async function loopSizeBytes(dev: string): Promise<number> {
  const sectors = await fsp.readFile(`/sys/block/${path.basename(dev)}/size`, 'utf8');
  return Number(sectors.trim()) * 512;
}

export function volumeStorage(opts: StorageOptions): VolumeStorage {
  const mode = opts.mode ?? 'auto';
  const root = path.resolve(opts.root);
  const dataSubdir = opts.dataSubdir ?? 'data';
  if (!SEGMENT.test(dataSubdir)) throw new Error(`invalid dataSubdir ${JSON.stringify(dataSubdir)}`);
  const env = { ...process.env, PATH: withSbin(process.env.PATH) };
  const exec: Exec = opts.exec ?? execFile;
  const run = (file: string, args: readonly string[], timeoutMs = 60_000) => exec(file, args, { env, timeoutMs });
  const xfsGeometry = (mnt: string) => xfsGeometryWith(run, mnt);

  // ---- per-volume serialisation (different volumes proceed in parallel) ----
  const locks = new Map<string, Promise<unknown>>();
  function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return result;
  }

  // ---- paths ----
  // mountinfo shows canonical paths, so everything is based on the real path of root (created on first use).
  let realRoot: Promise<string> | undefined;
  function getRoot(): Promise<string> {
    realRoot ??= (async () => {
      await fsp.mkdir(root, { recursive: true });
      return fsp.realpath(root);
    })();
    realRoot.catch(() => (realRoot = undefined));
    return realRoot;
  }
  function checkRef(ref: VolumeRef): void {
    if (!SEGMENT.test(ref.clusterId)) throw new Error(`invalid clusterId ${JSON.stringify(ref.clusterId)} (letters, digits, - and _ only)`);
    if (!SEGMENT.test(ref.nodeId)) throw new Error(`invalid nodeId ${JSON.stringify(ref.nodeId)} (letters, digits, - and _ only)`);
  }
  async function paths(ref: VolumeRef) {
    checkRef(ref);
    const r = await getRoot();
    const clusterDir = path.join(r, ref.clusterId);
    const mountDir = path.join(clusterDir, ref.nodeId);
    return {
      clusterDir,
      mountDir,
      dataDir: path.join(mountDir, dataSubdir),
      img: path.join(clusterDir, `${ref.nodeId}.img`),
      tmp: path.join(clusterDir, `${ref.nodeId}.img.tmp`),
      marker: path.join(clusterDir, `${ref.nodeId}.dir.json`),
    };
  }
  type Paths = Awaited<ReturnType<typeof paths>>;
  const keyOf = (ref: VolumeRef) => `${ref.clusterId}/${ref.nodeId}`;

  // ---- probe ----
  let probed: Promise<{ kind: StorageKind; reason?: string }> | undefined;
  async function tryLoop(): Promise<string | undefined> {
    try {
      await fsp.access('/dev/loop-control');
    } catch {
      return 'no /dev/loop-control (loop devices are not available here, e.g. an unprivileged container)';
    }
    for (const [tool, pkg] of [['losetup', 'util-linux'], ['mkfs.xfs', 'xfsprogs'], ['xfs_growfs', 'xfsprogs'], ['xfs_info', 'xfsprogs'], ['mount', 'mount'], ['umount', 'mount']] as const) {
      try {
        await run(tool, ['-V'], 10_000);
      } catch (e) {
        if (e instanceof ExecError && e.code === 'ENOENT') return `${tool} not found (install ${pkg})`;
      }
    }
    // The real thing, end to end: a small XFS on a loop device, mounted and unmounted.
    const r = await getRoot();
    const dir = path.join(r, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    const img = path.join(dir, 'probe.img');
    const mnt = path.join(dir, 'mnt');
    let dev: string | undefined;
    let mounted = false;
    try {
      await fsp.mkdir(mnt, { recursive: true });
      await fsp.writeFile(img, '');
      await fsp.truncate(img, 512 * 1024 ** 2); // XFS needs >= 300 MiB
      await run('mkfs.xfs', [...MKFS_XFS_ARGS, img]);
      dev = await attachLoop(img);
      await run('mount', ['-t', 'xfs', '-o', MOUNT_OPTIONS, dev, mnt]);
      mounted = true;
      await fsp.writeFile(path.join(mnt, 'probe'), 'ok');
      return undefined;
    } catch (e) {
      return `loop + XFS does not work here: ${(e as Error).message}`;
    } finally {
      if (mounted) await run('umount', [mnt]).catch(() => undefined);
      if (dev) await run('losetup', ['-d', dev]).catch(() => undefined);
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
  function probe(): Promise<{ kind: StorageKind; reason?: string }> {
    probed ??= (async () => {
      if (mode === 'directory') return { kind: 'directory' as const, reason: 'storage mode is "directory": volume sizes are NOT enforced' };
      const why = await tryLoop();
      if (!why) return { kind: 'xfs-loop' as const };
      if (mode === 'loop') throw new Error(`storage mode is "loop" but ${why}`);
      return { kind: 'directory' as const, reason: `${why}; falling back to plain directories: volume sizes are NOT enforced` };
    })();
    probed.catch(() => (probed = undefined)); // a failed 'loop' probe may be retried
    return probed;
  }

  // ---- loop devices ----
  /** Loop devices attached to `img` (by device + inode, so whatever path was used to attach it). */
  async function loopsOf(img: string): Promise<string[]> {
    const { stdout } = await run('losetup', ['-n', '-l', '-O', 'NAME', '-j', img]);
    return stdout
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort((a, b) => loopNumber(a) - loopNumber(b));
  }
  const loopNumber = (dev: string) => Number(/(\d+)$/.exec(dev)?.[1] ?? Number.MAX_SAFE_INTEGER);

  /** Loop devices whose backing file is `img` or was `img` and has since been deleted (sysfs). */
  async function loopsByBackingPath(img: string): Promise<string[]> {
    const out: string[] = [];
    let names: string[];
    try {
      names = await fsp.readdir('/sys/block');
    } catch {
      return out;
    }
    for (const n of names.filter((x) => /^loop\d+$/.test(x))) {
      try {
        const back = (await fsp.readFile(`/sys/block/${n}/loop/backing_file`, 'utf8')).replace(/\n$/, '');
        if (back === img || back === `${img} (deleted)`) out.push(`/dev/${n}`);
      } catch {
        /* not attached */
      }
    }
    return out;
  }

  /**
   * `losetup -f --show --direct-io=on`: direct I/O to the backing file, so each cached page lives only in the page
   * cache of the XFS inside, not also in that of the backing file (measured: 2.3 GB cached for a 2 GB file instead
   * of 4.4 GB; Kafka lives off the page cache). Retries the `-f` race (EBUSY) with backoff; falls back to buffered
   * I/O if direct I/O is refused. Converges on the lowest-numbered device if someone else attached the same file.
   */
  async function attachLoop(img: string): Promise<string> {
    let dio = 'on';
    let dev: string | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        dev = (await run('losetup', ['-f', '--show', `--direct-io=${dio}`, img])).stdout.trim();
        break;
      } catch (e) {
        const msg = (e as Error).message;
        if (/busy|EBUSY|resource temporarily unavailable/i.test(msg) && attempt < 8) {
          await sleep(20 * 2 ** attempt + Math.random() * 50);
          continue;
        }
        if (dio === 'on' && /direct/i.test(msg) && attempt < 8) {
          dio = 'off';
          continue;
        }
        throw e;
      }
    }
    if (!dev) throw new Error(`losetup printed no device for ${img}`);
    const all = await loopsOf(img);
    if (all.length > 1 && all[0] !== dev) {
      await run('losetup', ['-d', dev]).catch(() => undefined);
      return all[0];
    }
    return dev;
  }

  async function detachLoop(dev: string): Promise<void> {
    try {
      await run('losetup', ['-d', dev]);
    } catch (e) {
      // Already gone (ENXIO "No such device or address") is fine.
      if (!/No such device|not a block device|No such file/i.test((e as Error).message)) throw e;
    }
  }

  // ---- mounts ----
  async function mountsAt(dir: string): Promise<MountEntry[]> {
    return (await readMounts()).filter((m) => m.mountPoint === dir);
  }
  async function mountsUnder(dir: string): Promise<MountEntry[]> {
    return (await readMounts()).filter((m) => m.mountPoint === dir || m.mountPoint.startsWith(`${dir}/`));
  }

  async function unmountWithRetry(dir: string): Promise<void> {
    const deadline = Date.now() + BUSY_RETRY_MS;
    for (;;) {
      try {
        await run('umount', [dir], 30_000);
        return;
      } catch (e) {
        const msg = (e as Error).message;
        if (/not mounted/i.test(msg)) return;
        if (/busy/i.test(msg) && Date.now() < deadline) {
          await sleep(200);
          continue;
        }
        throw new Error(`cannot unmount ${dir}${/busy/i.test(msg) ? ' (still busy: is a broker container still running on it?)' : ''}: ${msg}`);
      }
    }
  }

  async function prepareDataDir(dataDir: string): Promise<void> {
    await fsp.mkdir(dataDir, { recursive: true });
    await fsp.chown(dataDir, 0, 0).catch((e) => {
      if (errnoOf(e) !== 'EPERM') throw e; // directory mode as non-root: leave ownership
    });
  }

  // ---- xfs-loop volumes ----
  /** Creates `<img>` as a formatted XFS of at least `sizeGiB` (via .img.tmp + rename: an .img is always formatted). */
  async function createImage(p: Paths, sizeGiB: number): Promise<void> {
    const target = sizeGiB * GiB;
    await fsp.rm(p.tmp, { force: true });
    await fsp.writeFile(p.tmp, '', { mode: 0o600 });
    let fileBytes = backingFileBytes(sizeGiB);
    for (let i = 0; ; i++) {
      try {
        await fsp.truncate(p.tmp, fileBytes);
      } catch (e) {
        if (errnoOf(e) === 'EFBIG') {
          throw new Error(`a ${sizeGiB} GiB volume needs a ${fileBytes}-byte backing file, larger than the file system holding ${p.clusterDir} allows (ext4: < 16 TiB)`);
        }
        throw e;
      }
      await run('mkfs.xfs', [...MKFS_XFS_ARGS, '-f', p.tmp], 120_000);
      const sb = await readXfsSuper(p.tmp);
      if (!sb) throw new Error(`mkfs.xfs left no XFS superblock in ${p.tmp}`);
      if (sb.totalBytes >= target) break;
      if (i >= 3) throw new Error(`cannot size ${p.img}: XFS total ${sb.totalBytes} < ${target} bytes`);
      fileBytes += target - sb.totalBytes + 1024 ** 2; // mkfs dropped a tiny trailing AG: make it big enough
    }
    await fsyncPath(p.tmp);
    await fsp.rename(p.tmp, p.img);
    await fsyncPath(p.clusterDir);
  }

  /** Attach (once) and mount (once) an existing backing file. Never formats, never resizes the file system. */
  async function attachAndMount(p: Paths): Promise<string> {
    const devs = await loopsOf(p.img);
    let dev = devs[0];
    const atMount = await mountsAt(p.mountDir);
    const ours = atMount.find((m) => devs.includes(m.source));
    if (ours) dev = ours.source;
    else if (atMount.length > 0) {
      throw new Error(`${p.mountDir} has ${atMount.map((m) => `${m.source} (${m.fsType})`).join(', ')} mounted on it, not ${p.img}; refusing to touch it`);
    }
    // Extra devices on the same file (another process raced us) that are not mounted here: detach them.
    const mounted = new Set((await readMounts()).map((m) => m.source));
    for (const d of devs) if (d !== dev && !mounted.has(d)) await detachLoop(d).catch(() => undefined);
    if (!dev) {
      const sb = await readXfsSuper(p.img);
      if (!sb) throw new Error(`${p.img} does not hold an XFS file system; refusing to format or mount it`);
      dev = await attachLoop(p.img);
    } else {
      // The file may have been extended by a grow() that crashed before `losetup -c`: make the device see it all.
      const { size } = await fsp.stat(p.img);
      if ((await loopSizeBytes(dev)) < size) await run('losetup', ['-c', dev]);
    }
    if (!ours) {
      await fsp.mkdir(p.mountDir, { recursive: true });
      await run('mount', ['-t', 'xfs', '-o', MOUNT_OPTIONS, dev, p.mountDir], 120_000);
    }
    await prepareDataDir(p.dataDir);
    return dev;
  }

  async function loopStatus(p: Paths): Promise<VolumeStatus> {
    let devs: string[] = [];
    try {
      devs = await loopsOf(p.img);
    } catch {
      /* losetup unusable here: report unmounted */
    }
    const m = (await mountsAt(p.mountDir)).find((x) => devs.includes(x.source));
    if (m) {
      const total = await statfsTotal(p.mountDir);
      return { path: p.mountDir, dataPath: p.dataDir, kind: 'xfs-loop', sizeGiB: Math.floor(total / GiB), loopDevice: m.source, backingFile: p.img, mounted: true };
    }
    const sb = await readXfsSuper(p.img);
    return {
      path: p.mountDir,
      dataPath: p.dataDir,
      kind: 'xfs-loop',
      sizeGiB: sb ? Math.floor(sb.totalBytes / GiB) : 0,
      loopDevice: devs[0],
      backingFile: p.img,
      mounted: false,
    };
  }

  // ---- directory volumes ----
  async function readMarker(p: Paths): Promise<{ sizeGiB: number } | undefined> {
    try {
      const v = JSON.parse(await fsp.readFile(p.marker, 'utf8')) as { sizeGiB?: unknown };
      if (typeof v.sizeGiB !== 'number') throw new Error(`${p.marker}: no sizeGiB`);
      return { sizeGiB: v.sizeGiB };
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return undefined;
      throw e;
    }
  }
  async function writeMarker(p: Paths, sizeGiB: number): Promise<void> {
    const t = `${p.marker}.${randomBytes(4).toString('hex')}`;
    await fsp.writeFile(t, `${JSON.stringify({ kind: 'directory', sizeGiB })}\n`);
    await fsp.rename(t, p.marker);
  }
  const dirStatus = (p: Paths, sizeGiB: number): VolumeStatus => ({ path: p.mountDir, dataPath: p.dataDir, kind: 'directory', sizeGiB, mounted: true });

  // ---- API ----
  async function ensure(ref: VolumeRef, sizeGiB: number): Promise<VolumeStatus> {
    checkSize(sizeGiB);
    const p = await paths(ref);
    return locked(keyOf(ref), async () => {
      const { kind, reason } = await probe();
      await fsp.mkdir(p.clusterDir, { recursive: true });
      if (await exists(p.img)) {
        if (kind !== 'xfs-loop') throw new Error(`${p.img} is an XFS loop volume but ${reason ?? 'loop devices are unavailable'}`);
        await attachAndMount(p);
        return loopStatus(p);
      }
      const marker = await readMarker(p);
      if (marker) {
        await prepareDataDir(p.dataDir);
        return dirStatus(p, marker.sizeGiB);
      }
      if (kind === 'directory') {
        if ((await mountsUnder(p.mountDir)).length) throw new Error(`${p.mountDir} has something mounted on it; refusing to use it as a directory volume`);
        await prepareDataDir(p.dataDir);
        await writeMarker(p, sizeGiB);
        return dirStatus(p, sizeGiB);
      }
      if ((await mountsAt(p.mountDir)).length) {
        throw new Error(`${p.mountDir} is mounted but its backing file ${p.img} is missing; remove() the volume first`);
      }
      await createImage(p, sizeGiB);
      await attachAndMount(p);
      return loopStatus(p);
    });
  }

  async function grow(ref: VolumeRef, sizeGiB: number): Promise<VolumeStatus> {
    checkSize(sizeGiB);
    const p = await paths(ref);
    return locked(keyOf(ref), async () => {
      const marker = await readMarker(p);
      if (marker && !(await exists(p.img))) {
        if (sizeGiB < marker.sizeGiB) throw new Error(`cannot shrink ${keyOf(ref)} from ${marker.sizeGiB} to ${sizeGiB} GiB`);
        if (sizeGiB > marker.sizeGiB) await writeMarker(p, sizeGiB);
        return dirStatus(p, sizeGiB);
      }
      if (!(await exists(p.img))) throw new Error(`volume ${keyOf(ref)} does not exist`);
      const { kind, reason } = await probe();
      if (kind !== 'xfs-loop') throw new Error(`${p.img} is an XFS loop volume but ${reason ?? 'loop devices are unavailable'}`);
      const dev = await attachAndMount(p);
      const target = sizeGiB * GiB;
      let total = await statfsTotal(p.mountDir);
      const current = Math.floor(total / GiB);
      if (sizeGiB < current) throw new Error(`cannot shrink ${keyOf(ref)} from ${current} to ${sizeGiB} GiB`);
      for (let i = 0; total < target; i++) {
        if (i >= 3) throw new Error(`cannot grow ${p.img}: XFS total ${total} < ${target} bytes after ${i} attempts`);
        // New data-section size from the file system's own geometry, not from the file (a grow that crashed after
        // extending the file must not make this one overshoot). Retries add 1 MiB: a too-small last AG is dropped.
        const geo = await xfsGeometry(p.mountDir);
        const newBlocks = geo.dataBlocks + Math.ceil((target - total + (i > 0 ? 1024 ** 2 : 0)) / geo.blockSize);
        const want = newBlocks * geo.blockSize;
        const { size } = await fsp.stat(p.img);
        if (want > size) {
          try {
            await fsp.truncate(p.img, want); // only ever extends
          } catch (e) {
            if (errnoOf(e) === 'EFBIG') throw new Error(`a ${sizeGiB} GiB volume needs a ${want}-byte backing file, larger than the file system holding ${p.clusterDir} allows (ext4: < 16 TiB)`);
            throw e;
          }
        }
        await run('losetup', ['-c', dev]);
        await run('xfs_growfs', ['-D', String(newBlocks), p.mountDir], 120_000);
        total = await statfsTotal(p.mountDir);
      }
      return loopStatus(p);
    });
  }

  async function status(ref: VolumeRef): Promise<VolumeStatus | undefined> {
    const p = await paths(ref);
    if (await exists(p.img)) return loopStatus(p);
    const marker = await readMarker(p);
    if (marker) return dirStatus(p, marker.sizeGiB);
    return undefined;
  }

  async function removeUnlocked(p: Paths): Promise<void> {
    // Devices on the file (losetup -j, by inode) plus any whose backing file was this path but got deleted (sysfs).
    const devs = new Set<string>(await loopsByBackingPath(p.img));
    if (await exists(p.img)) {
      try {
        for (const d of await loopsOf(p.img)) devs.add(d);
      } catch (e) {
        // losetup unusable here (directory fallback): fine as long as nothing is attached or mounted.
        if (devs.size || (await mountsUnder(p.mountDir)).length) throw e;
      }
    }
    // Unmount everything stacked on the mount point (and anything below it), deepest first.
    for (let i = 0; i < 16; i++) {
      const ms = await mountsUnder(p.mountDir);
      if (!ms.length) break;
      const deepest = ms.sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
      await unmountWithRetry(deepest.mountPoint);
    }
    if ((await mountsUnder(p.mountDir)).length) throw new Error(`${p.mountDir} is still mounted; not deleting it`);
    for (const d of devs) await detachLoop(d);
    await fsp.rm(p.mountDir, { recursive: true, force: true });
    await fsp.rm(p.img, { force: true });
    await fsp.rm(p.tmp, { force: true });
    await fsp.rm(p.marker, { force: true });
  }

  async function remove(ref: VolumeRef): Promise<void> {
    const p = await paths(ref);
    // The (possibly empty) cluster directory stays: deleting it could race an ensure() of a sibling; removeCluster() deletes it.
    await locked(keyOf(ref), () => removeUnlocked(p));
  }

  async function list(): Promise<VolumeRef[]> {
    const r = await getRoot();
    const out: VolumeRef[] = [];
    for (const c of await fsp.readdir(r, { withFileTypes: true })) {
      if (!c.isDirectory() || !SEGMENT.test(c.name)) continue;
      const nodes = new Set<string>();
      for (const e of await fsp.readdir(path.join(r, c.name), { withFileTypes: true })) {
        const m = /^([A-Za-z0-9][A-Za-z0-9_-]*)(\.img|\.img\.tmp|\.dir\.json)$/.exec(e.name);
        if (m && e.isFile()) nodes.add(m[1]);
        else if (e.isDirectory() && SEGMENT.test(e.name)) nodes.add(e.name);
      }
      for (const n of [...nodes].sort()) out.push({ clusterId: c.name, nodeId: n });
    }
    return out.sort((a, b) => a.clusterId.localeCompare(b.clusterId) || a.nodeId.localeCompare(b.nodeId, undefined, { numeric: true }));
  }

  async function removeCluster(clusterId: string): Promise<void> {
    checkRef({ clusterId, nodeId: 'x' });
    const refs = (await list()).filter((r) => r.clusterId === clusterId);
    const results = await Promise.allSettled(refs.map((r) => remove(r)));
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed.length) throw new Error(`removeCluster ${clusterId}: ${failed.map((f) => (f.reason as Error).message).join('; ')}`);
    const dir = path.join(await getRoot(), clusterId);
    if ((await mountsUnder(dir)).length) throw new Error(`removeCluster ${clusterId}: something is still mounted under ${dir}`);
    await fsp.rm(dir, { recursive: true, force: true });
  }

  return { probe, ensure, grow, status, remove, removeCluster, list };
}
