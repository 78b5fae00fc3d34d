/**
 * Broker volumes on real loop devices (needs root and /dev/loop-control; the loop suites are skipped with a warning
 * otherwise). Everything lives under /var/tmp/openmsk-test-*, which afterAll scrubs (unmounts, detaches, deletes)
 * even when a test failed half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { execFile, ExecError, type Exec } from '../src/exec';
import { backingFileBytes, GiB, volumeStorage, type VolumeRef } from '../src/storage';

jest.setTimeout(60_000);

const LOOP_OK = process.getuid?.() === 0 && existsSync('/dev/loop-control');
if (!LOOP_OK) console.warn('storage.test: NOT running the loop-device tests (they need root and /dev/loop-control)');
const describeLoop = LOOP_OK ? describe : describe.skip;

const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
const sh = (file: string, ...args: string[]) => execFile(file, args, { env });

let tmp = '';
beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp('/var/tmp/openmsk-test-'));
});
afterAll(async () => {
  if (tmp) await scrub(tmp);
});

/** Whatever state the tests left: unmount everything below `dir`, detach loop devices on files below it, delete it. */
async function scrub(dir: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ms = (await mounts()).filter((m) => m.mountPoint.startsWith(`${dir}/`)).sort((a, b) => b.mountPoint.length - a.mountPoint.length);
    if (!ms.length) break;
    await sh('umount', '-l', ms[0].mountPoint).catch(() => undefined);
  }
  for (const dev of await loopsUnder(dir)) await sh('losetup', '-d', dev).catch(() => undefined);
  await fsp.rm(dir, { recursive: true, force: true });
}

async function mounts(): Promise<{ source: string; mountPoint: string; fsType: string }[]> {
  const text = await fsp.readFile('/proc/mounts', 'utf8');
  const un = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map((f) => ({ source: un(f[0]), mountPoint: un(f[1]), fsType: f[2] }));
}
const mountsAt = async (p: string) => (await mounts()).filter((m) => m.mountPoint === p);

/** Loop devices (sysfs) whose backing file is below `dir`, deleted or not. */
async function loopsUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await fsp.readdir('/sys/block')).filter((x) => /^loop\d+$/.test(x))) {
    const back = await fsp.readFile(`/sys/block/${n}/loop/backing_file`, 'utf8').catch(() => '');
    if (back.startsWith(`${dir}/`)) out.push(`/dev/${n}`);
  }
  return out;
}
/** `losetup -j <file>` device names. */
async function losetupJ(file: string): Promise<string[]> {
  const { stdout } = await sh('losetup', '-n', '-l', '-O', 'NAME', '-j', file);
  return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}
async function statfsTotal(p: string): Promise<number> {
  const s = await fsp.statfs(p, { bigint: true });
  return Number(s.blocks * s.bsize);
}
/** `df -B1` as a user would run it: [total, used]. */
async function df(p: string): Promise<[number, number]> {
  const { stdout } = await sh('df', '-B1', '--output=size,used', p);
  const [size, used] = stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
  return [size, used];
}
/** Real disk usage of a (sparse) file. */
const diskUsage = async (f: string) => (await fsp.stat(f)).blocks * 512;
/** XFS UUID straight from the superblock of the backing file: changes if anything ever reformats it. */
async function xfsUuid(img: string): Promise<string> {
  const fh = await fsp.open(img, 'r');
  try {
    const b = Buffer.alloc(48);
    await fh.read(b, 0, 48, 0);
    expect(b.toString('latin1', 0, 4)).toBe('XFSB');
    return b.subarray(32, 48).toString('hex');
  } finally {
    await fh.close();
  }
}
const sha = async (f: string) => createHash('sha256').update(await fsp.readFile(f)).digest('hex');
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
/** A process holding `file` open for writing, appending a line every 50 ms. */
function holder(file: string): ChildProcess {
  return spawn('sh', ['-c', 'exec 3>>"$1"; while :; do echo x >&3; sleep 0.05; done', 'sh', file], { stdio: 'ignore' });
}
async function stop(c: ChildProcess): Promise<void> {
  if (!alive(c)) return;
  const done = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await done;
}

describeLoop('xfs-loop volumes', () => {
  let root = '';
  let storage: ReturnType<typeof volumeStorage>;
  const ref: VolumeRef = { clusterId: 'c1', nodeId: 'broker-1' };
  let img = '';
  let mnt = '';
  let uuid = '';
  let payloadSha = '';

  beforeAll(() => {
    root = path.join(tmp, 'loop');
    storage = volumeStorage({ root, mode: 'auto' });
    img = path.join(root, 'c1', 'broker-1.img');
    mnt = path.join(root, 'c1', 'broker-1');
  });

  test('probe: loop + XFS works here', async () => {
    expect(await storage.probe()).toEqual({ kind: 'xfs-loop' });
    expect(await loopsUnder(root)).toEqual([]); // the probe cleaned up after itself
    expect(await fsp.readdir(root)).toEqual([]);
  });

  test('ensure 1000 GiB: df shows exactly 1000 GiB, the file costs < 100 MB, mkfs flags as documented', async () => {
    const t0 = Date.now();
    const s = await storage.ensure(ref, 1000);
    const elapsed = Date.now() - t0;
    expect(s).toMatchObject({ kind: 'xfs-loop', sizeGiB: 1000, path: mnt, dataPath: path.join(mnt, 'data'), backingFile: img, mounted: true });
    expect(s.loopDevice).toMatch(/^\/dev\/loop\d+$/);
    expect(await losetupJ(img)).toEqual([s.loopDevice]);
    expect(await mountsAt(mnt)).toEqual([{ source: s.loopDevice, mountPoint: mnt, fsType: 'xfs' }]);

    const total = await statfsTotal(mnt);
    expect(total).toBeGreaterThanOrEqual(1000 * GiB);
    expect(total).toBeLessThan(1001 * GiB);
    expect(total).toBe(1000 * GiB); // the sizing rule makes it exact
    const [dfTotal, dfUsed] = await df(mnt);
    expect(dfTotal).toBe(1000 * GiB);
    expect(dfUsed).toBeLessThan(1.5 * GiB); // reflink=0: ~1.1 GiB (7.1 GiB with reflink)
    expect((await fsp.stat(img)).size).toBe(backingFileBytes(1000));
    expect(await diskUsage(img)).toBeLessThan(100 * 1e6);

    const info = (await sh('xfs_info', mnt)).stdout;
    expect(info).toMatch(/reflink=0/);
    expect(info).toMatch(/log\s+=internal log\s+bsize=4096\s+blocks=16384/); // 64 MiB
    expect(await sh('losetup', '-n', '-l', '-O', 'DIO', s.loopDevice!).then((r) => r.stdout.trim())).toBe('1');
    expect((await mountsAt(mnt)).length).toBe(1);
    const st = await fsp.stat(path.join(mnt, 'data'));
    expect([st.isDirectory(), st.uid, st.gid]).toEqual([true, 0, 0]);
    console.log(`ensure(1000 GiB) took ${elapsed} ms; file uses ${((await diskUsage(img)) / 1e6).toFixed(1)} MB; df used ${(dfUsed / GiB).toFixed(2)} GiB`);
  });

  test('status reads statfs; ensure again is a no-op (same device, one mount); list finds it', async () => {
    const before = await storage.status(ref);
    const again = await storage.ensure(ref, 1000);
    expect(again).toEqual(before);
    expect(await losetupJ(img)).toEqual([before!.loopDevice]);
    expect((await mountsAt(mnt)).length).toBe(1);
    expect(await storage.list()).toEqual([ref]);
    expect(await storage.status({ clusterId: 'c1', nodeId: 'nope' })).toBeUndefined();
  });

  test('write data into it', async () => {
    const payload = randomBytes(8 * 1024 * 1024);
    await fsp.writeFile(path.join(mnt, 'data', 'segment.log'), payload);
    payloadSha = createHash('sha256').update(payload).digest('hex');
    uuid = await xfsUuid(img);
  });

  test('grow to 1500 GiB online while a process keeps a file open and writing', async () => {
    const held = path.join(mnt, 'data', 'held.log');
    const proc = holder(held);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const dev = (await storage.status(ref))!.loopDevice;
      const s = await storage.grow(ref, 1500);
      expect(s).toMatchObject({ kind: 'xfs-loop', sizeGiB: 1500, loopDevice: dev, mounted: true });
      expect(await statfsTotal(mnt)).toBe(1500 * GiB);
      expect((await df(mnt))[0]).toBe(1500 * GiB);
      expect((await fsp.stat(img)).size).toBe(backingFileBytes(1500));
      expect(await diskUsage(img)).toBeLessThan(200 * 1e6);
      // the holder is still alive, still has the file open, and keeps writing to it
      expect(alive(proc)).toBe(true);
      const fds = await fsp.readdir(`/proc/${proc.pid}/fd`);
      const targets = await Promise.all(fds.map((fd) => fsp.readlink(`/proc/${proc.pid}/fd/${fd}`).catch(() => '')));
      expect(targets).toContain(held);
      const n1 = (await fsp.stat(held)).size;
      await new Promise((r) => setTimeout(r, 300));
      expect((await fsp.stat(held)).size).toBeGreaterThan(n1);
      expect(await sha(path.join(mnt, 'data', 'segment.log'))).toBe(payloadSha);
      expect(await losetupJ(img)).toEqual([dev]);
      expect(await xfsUuid(img)).toBe(uuid);
    } finally {
      await stop(proc);
    }
  });

  test('shrinking is refused, equal is a no-op, ensure neither grows nor shrinks', async () => {
    await expect(storage.grow(ref, 1000)).rejects.toThrow(/shrink/);
    await expect(storage.grow(ref, 1499)).rejects.toThrow(/shrink/);
    const stat = await fsp.stat(img);
    const same = await storage.grow(ref, 1500);
    expect(same.sizeGiB).toBe(1500);
    const stat2 = await fsp.stat(img);
    expect([stat2.size, stat2.mtimeMs]).toEqual([stat.size, stat.mtimeMs]);
    expect((await storage.ensure(ref, 1000)).sizeGiB).toBe(1500); // larger: left alone
    expect((await storage.ensure(ref, 2000)).sizeGiB).toBe(1500); // smaller: growing is grow()'s job
    expect(await statfsTotal(mnt)).toBe(1500 * GiB);
  });

  test('crash, unmounted only: ensure re-mounts on the same loop device', async () => {
    const dev = (await storage.status(ref))!.loopDevice!;
    await sh('umount', mnt);
    const st = await storage.status(ref);
    expect(st).toMatchObject({ mounted: false, loopDevice: dev, sizeGiB: 1500 });
    const s = await storage.ensure(ref, 1500);
    expect(s).toMatchObject({ mounted: true, loopDevice: dev, sizeGiB: 1500 });
    expect(await losetupJ(img)).toEqual([dev]);
    expect((await mountsAt(mnt)).length).toBe(1);
    expect(await sha(path.join(mnt, 'data', 'segment.log'))).toBe(payloadSha);
    expect(await xfsUuid(img)).toBe(uuid);
  });

  test('crash / reboot, unmounted and detached: status from the superblock, ensure re-attaches without reformatting', async () => {
    const dev = (await storage.status(ref))!.loopDevice!;
    await sh('umount', mnt);
    await sh('losetup', '-d', dev);
    expect(await losetupJ(img)).toEqual([]);
    const st = await storage.status(ref);
    expect(st).toMatchObject({ kind: 'xfs-loop', mounted: false, sizeGiB: 1500 });
    expect(st!.loopDevice).toBeUndefined();
    const s = await storage.ensure(ref, 1000);
    expect(s).toMatchObject({ mounted: true, sizeGiB: 1500 });
    expect(await losetupJ(img)).toEqual([s.loopDevice]);
    expect(await sha(path.join(mnt, 'data', 'segment.log'))).toBe(payloadSha);
    expect(await xfsUuid(img)).toBe(uuid);
  });

  test('crash in the middle of grow (file extended, fs not): ensure does not grow, grow then lands exactly', async () => {
    await fsp.truncate(img, backingFileBytes(2000)); // as if grow() died right after extending the file
    const s = await storage.ensure(ref, 2000);
    expect(s.sizeGiB).toBe(1500);
    expect(await statfsTotal(mnt)).toBe(1500 * GiB);
    const g = await storage.grow(ref, 2000);
    expect(g.sizeGiB).toBe(2000);
    expect(await statfsTotal(mnt)).toBe(2000 * GiB);
    expect((await fsp.stat(img)).size).toBe(backingFileBytes(2000));
    expect(await sha(path.join(mnt, 'data', 'segment.log'))).toBe(payloadSha);
  });

  test('sizing rule holds across sizes (df total == N GiB exactly)', async () => {
    for (const n of [1, 7, 100, 4096]) {
      const r = { clusterId: 'sizes', nodeId: `n${n}` };
      const s = await storage.ensure(r, n);
      expect([n, s.sizeGiB, await statfsTotal(s.path)]).toEqual([n, n, n * GiB]);
      if (n === 7) {
        const g = await storage.grow(r, 9);
        expect([g.sizeGiB, await statfsTotal(s.path)]).toEqual([9, 9 * GiB]);
      }
    }
    await storage.removeCluster('sizes');
    expect(existsSync(path.join(root, 'sizes'))).toBe(false);
  });

  test('MSK maximum, 16384 GiB: exact, or a clear error where the host file system caps file sizes (ext4 < 16 TiB)', async () => {
    const r = { clusterId: 'max', nodeId: 'broker-1' };
    try {
      const s = await storage.ensure(r, 16384);
      expect(await statfsTotal(s.path)).toBe(16384 * GiB);
    } catch (e) {
      expect((e as Error).message).toMatch(/larger than the file system holding/);
      console.log(`16384 GiB: ${(e as Error).message}`);
    } finally {
      await storage.removeCluster('max');
    }
    expect(await loopsUnder(path.join(root, 'max'))).toEqual([]);
  });

  test('concurrent ensure of different volumes (and of the same one twice)', async () => {
    const refs = [1, 2, 3, 4, 5].map((i) => ({ clusterId: 'c2', nodeId: `broker-${i}` }));
    const all = await Promise.all([...refs.map((r) => storage.ensure(r, 10)), storage.ensure(refs[0], 10), storage.ensure(refs[1], 10)]);
    expect(all.every((s) => s.mounted && s.sizeGiB === 10 && s.kind === 'xfs-loop')).toBe(true);
    const devs = await Promise.all(refs.map(async (r) => losetupJ(path.join(root, 'c2', `${r.nodeId}.img`))));
    expect(devs.every((d) => d.length === 1)).toBe(true);
    expect(new Set(devs.flat()).size).toBe(5);
    for (const r of refs) expect((await mountsAt(path.join(root, 'c2', r.nodeId))).length).toBe(1);
    expect(await storage.list()).toEqual([ref, ...refs]);
  });

  test('remove waits for a busy mount to be released, then leaves no loop device, mount, file or directory', async () => {
    const victim = { clusterId: 'c2', nodeId: 'broker-5' };
    const vimg = path.join(root, 'c2', 'broker-5.img');
    const vmnt = path.join(root, 'c2', 'broker-5');
    const proc = holder(path.join(vmnt, 'data', 'busy.log'));
    await new Promise((r) => setTimeout(r, 200));
    setTimeout(() => void stop(proc), 700);
    await storage.remove(victim);
    expect(alive(proc)).toBe(false);
    expect(await mountsAt(vmnt)).toEqual([]);
    expect(await loopsUnder(path.join(root, 'c2')).then((d) => d.length)).toBe(4);
    expect(existsSync(vimg)).toBe(false);
    expect(existsSync(vmnt)).toBe(false);
    await storage.remove(victim); // idempotent
    expect(await storage.status(victim)).toBeUndefined();
  });

  test('remove gives up (and deletes nothing) when the mount stays busy', async () => {
    const r = { clusterId: 'c2', nodeId: 'broker-4' };
    const proc = holder(path.join(root, 'c2', 'broker-4', 'data', 'busy.log'));
    try {
      await new Promise((res) => setTimeout(res, 200));
      await expect(storage.remove(r)).rejects.toThrow(/busy/);
      expect((await storage.status(r))?.mounted).toBe(true);
      expect(existsSync(path.join(root, 'c2', 'broker-4.img'))).toBe(true);
    } finally {
      await stop(proc);
    }
    await storage.remove(r);
    expect(await storage.status(r)).toBeUndefined();
  }, 30_000);

  test('remove cleans up after a volume whose backing file was deleted behind its back', async () => {
    const r = { clusterId: 'c3', nodeId: 'broker-1' };
    const s = await storage.ensure(r, 5);
    await fsp.rm(s.backingFile!);
    await expect(storage.ensure(r, 5)).rejects.toThrow(/backing file .* is missing/);
    await storage.remove(r);
    expect(await mountsAt(s.path)).toEqual([]);
    expect(await loopsUnder(path.join(root, 'c3'))).toEqual([]);
    expect(await fsp.readdir(path.join(root, 'c3'))).toEqual([]);
    expect(await storage.list()).not.toContainEqual(r);
    await storage.removeCluster('c3');
    expect(existsSync(path.join(root, 'c3'))).toBe(false);
  });

  test('removeCluster removes every volume of the cluster', async () => {
    await storage.removeCluster('c2');
    expect(await loopsUnder(path.join(root, 'c2'))).toEqual([]);
    expect((await mounts()).filter((m) => m.mountPoint.startsWith(path.join(root, 'c2')))).toEqual([]);
    expect(existsSync(path.join(root, 'c2'))).toBe(false);
    expect(await storage.list()).toEqual([ref]);
    await storage.removeCluster('c2'); // idempotent
  });

  test('remove: no loop device (losetup -a / sysfs), no mount (/proc/mounts), no file', async () => {
    const dev = (await storage.status(ref))!.loopDevice!;
    await storage.remove(ref);
    expect(existsSync(img)).toBe(false);
    expect(existsSync(mnt)).toBe(false);
    expect((await mounts()).filter((m) => m.mountPoint.startsWith(root) || m.source === dev)).toEqual([]);
    expect(await loopsUnder(root)).toEqual([]);
    expect((await sh('losetup', '-a')).stdout).not.toContain(root); // losetup's own view (-j needs the file to exist)
    await storage.remove(ref);
    expect(await storage.list()).toEqual([]);
    expect(await fsp.readdir(path.join(root, 'c1'))).toEqual([]);
  });
});

describe('directory volumes', () => {
  test('mode "directory": requested size recorded, grow/shrink rules, remove', async () => {
    const root = path.join(tmp, 'dir');
    const storage = volumeStorage({ root, mode: 'directory' });
    expect(await storage.probe()).toEqual({ kind: 'directory', reason: expect.stringMatching(/NOT enforced/) });
    const ref = { clusterId: 'c1', nodeId: 'broker-1' };
    const s = await storage.ensure(ref, 1000);
    expect(s).toEqual({ kind: 'directory', sizeGiB: 1000, path: path.join(root, 'c1', 'broker-1'), dataPath: path.join(root, 'c1', 'broker-1', 'data'), mounted: true });
    expect((await fsp.stat(s.dataPath)).isDirectory()).toBe(true);
    expect(await mountsAt(s.path)).toEqual([]);
    await fsp.writeFile(path.join(s.dataPath, 'x'), 'x');
    expect((await storage.ensure(ref, 10)).sizeGiB).toBe(1000);
    expect((await storage.grow(ref, 1200)).sizeGiB).toBe(1200);
    await expect(storage.grow(ref, 1100)).rejects.toThrow(/shrink/);
    expect(await storage.status(ref)).toMatchObject({ kind: 'directory', sizeGiB: 1200 });
    expect(await fsp.readFile(path.join(s.dataPath, 'x'), 'utf8')).toBe('x');
    expect(await storage.list()).toEqual([ref]);
    await storage.remove(ref);
    await storage.remove(ref);
    expect(await storage.status(ref)).toBeUndefined();
    expect(await storage.list()).toEqual([]);
    await storage.removeCluster('c1');
    expect(await fsp.readdir(root)).toEqual([]);
  });
});

describeLoop('falling back', () => {
  /** Real commands, except that losetup is denied as in an unprivileged container. */
  const denied: Exec = async (file, args, opts) => {
    if (file === 'losetup' && !args.includes('-V')) {
      throw new ExecError(file, args, 1, null, '', `losetup: ${args[args.length - 1]}: failed to set up loop device: Permission denied`, false, 0);
    }
    return execFile(file, args, opts);
  };

  test('auto: falls back to directories and says why; loop: refuses to start', async () => {
    const root = path.join(tmp, 'fallback');
    const auto = volumeStorage({ root, exec: denied });
    const p = await auto.probe();
    expect(p.kind).toBe('directory');
    expect(p.reason).toMatch(/Permission denied/);
    expect(p.reason).toMatch(/NOT enforced/);
    const s = await auto.ensure({ clusterId: 'c1', nodeId: 'broker-1' }, 100);
    expect(s).toMatchObject({ kind: 'directory', sizeGiB: 100 });

    await expect(volumeStorage({ root, mode: 'loop', exec: denied }).probe()).rejects.toThrow(/mode is "loop".*Permission denied/);
    expect(await loopsUnder(root)).toEqual([]);
    expect((await fsp.readdir(root)).filter((n) => n.startsWith('.probe'))).toEqual([]);
  });

  test('an existing xfs-loop volume is never silently served as a directory', async () => {
    const root = path.join(tmp, 'fallback2');
    const real = volumeStorage({ root });
    const ref = { clusterId: 'c1', nodeId: 'broker-1' };
    await real.ensure(ref, 10);
    await expect(volumeStorage({ root, mode: 'directory' }).ensure(ref, 10)).rejects.toThrow(/is an XFS loop volume/);
    await expect(volumeStorage({ root, exec: denied }).ensure(ref, 10)).rejects.toThrow(/Permission denied/);
    await real.remove(ref);
    expect(await loopsUnder(root)).toEqual([]);
  });
});
