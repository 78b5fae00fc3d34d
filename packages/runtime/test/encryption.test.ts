/**
 * The encryption-at-rest probe against fake /sys, /proc and /dev trees (made under the OS temp directory, removed
 * afterwards): it always answers 'none' and says what the host could support.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEncryption, kernelAtLeast, probeEncryption } from '../src/encryption';

let tmp = '';
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'openmsk-encryption-'));
});
afterAll(async () => {
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

/** A fake host: files (relative path → content; a trailing slash makes a directory) under a fresh root. */
async function host(name: string, files: Record<string, string>) {
  const root = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    if (rel.endsWith('/')) await fsp.mkdir(p, { recursive: true });
    else {
      await fsp.mkdir(path.dirname(p), { recursive: true });
      await fsp.writeFile(p, content);
    }
  }
  return { sysRoot: path.join(root, 'sys'), procRoot: path.join(root, 'proc'), devRoot: path.join(root, 'dev') };
}

// The mask of the machine the experiment in docs/encryption-at-rest.md ran on: every capability but CAP_SYS_RESOURCE.
const CAPS_WITHOUT_SYS_RESOURCE = '000001fffeffffff';
const ALL_CAPS = '000001ffffffffff';
const status = (capEff: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t${capEff}\n`;
const MISC_WITHOUT_DM = ' 62 loop-control\n183 hw_random\n';

describe('probeEncryption', () => {
  test('a host like this one: no device-mapper, ext4 fscrypt, no CAP_SYS_RESOURCE → none, and the reason says so', async () => {
    const roots = await host('fscrypt-only', {
      'proc/misc': MISC_WITHOUT_DM,
      'proc/sys/kernel/osrelease': '6.18.44-fc-v1045\n',
      'proc/self/status': status(CAPS_WITHOUT_SYS_RESOURCE),
      'sys/fs/ext4/features/encryption': 'supported\n',
      'sys/module/loop/': '',
    });
    const probe = await probeEncryption(roots);
    expect(probe.kind).toBe('none');
    expect(probe.host).toEqual({ deviceMapper: false, dmCrypt: false, fscrypt: true, onlineExt4Growth: false, kernel: '6.18.44-fc-v1045' });
    expect(probe.reason).toBe(
      'openmsk does not encrypt broker volumes yet (docs/encryption-at-rest.md); this host: no device-mapper, so no dm-crypt; ' +
        'ext4 fscrypt supported but online ext4 growth is refused (no CAP_SYS_RESOURCE), kernel 6.18.44-fc-v1045',
    );
  });

  test('a host with dm-crypt loaded still reports none: openmsk encrypts nothing yet', async () => {
    const roots = await host('dm-crypt', {
      'proc/misc': `${MISC_WITHOUT_DM}236 device-mapper\n`,
      'proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
      'proc/self/status': status(ALL_CAPS),
      'sys/module/dm_mod/': '',
      'sys/module/dm_crypt/': '',
      'sys/fs/ext4/features/encryption': 'supported\n',
      'dev/mapper/control': '',
    });
    const probe = await probeEncryption(roots);
    expect(probe.kind).toBe('none');
    expect(probe.host).toEqual({ deviceMapper: true, dmCrypt: true, fscrypt: true, onlineExt4Growth: true, kernel: '6.1.0-18-amd64' });
    expect(probe.reason).toBe('openmsk does not encrypt broker volumes yet (docs/encryption-at-rest.md); this host: dm-crypt available; ext4 fscrypt supported, kernel 6.1.0-18-amd64');
  });

  test('device-mapper seen through any one sign; dm_crypt not loaded is said as such', async () => {
    for (const [name, files] of [
      ['misc-only', { 'proc/misc': `236 device-mapper\n` }],
      ['control-only', { 'dev/mapper/control': '' }],
      ['dm-mod-only', { 'sys/module/dm_mod/': '' }],
    ] as const) {
      const probe = await probeEncryption(await host(name, files));
      expect([name, probe.host.deviceMapper, probe.host.dmCrypt]).toEqual([name, true, false]);
      expect(probe.reason).toContain('device-mapper present but the dm_crypt module is not loaded');
    }
  });

  test('nothing readable (an empty tree): none, no device-mapper, no fscrypt, no kernel named', async () => {
    const probe = await probeEncryption(await host('empty', { 'proc/': '' }));
    expect(probe).toEqual({
      kind: 'none',
      host: { deviceMapper: false, dmCrypt: false, fscrypt: false, onlineExt4Growth: false },
      reason: 'openmsk does not encrypt broker volumes yet (docs/encryption-at-rest.md); this host: no device-mapper, so no dm-crypt; no ext4 fscrypt',
    });
  });

  test('ext4 encryption on a kernel older than 5.4 (no v2 policies, no FS_IOC_ADD_ENCRYPTION_KEY) is not fscrypt support', async () => {
    const probe = await probeEncryption(
      await host('old-kernel', { 'proc/sys/kernel/osrelease': '4.19.0-27-amd64\n', 'sys/fs/ext4/features/encryption': 'supported\n' }),
    );
    expect(probe.host.fscrypt).toBe(false);
  });

  test('the probe of the real host answers none', async () => {
    expect((await probeEncryption()).kind).toBe('none');
  });
});

test('kernelAtLeast', () => {
  expect([kernelAtLeast('5.4.0', 5, 4), kernelAtLeast('5.3.18', 5, 4), kernelAtLeast('6.0', 5, 4), kernelAtLeast('10.1', 5, 4), kernelAtLeast('x', 5, 4), kernelAtLeast(undefined, 5, 4)]).toEqual([
    true,
    false,
    true,
    true,
    false,
    false,
  ]);
  expect(describeEncryption({ deviceMapper: false, dmCrypt: false, fscrypt: false, onlineExt4Growth: true })).not.toContain('kernel');
});
