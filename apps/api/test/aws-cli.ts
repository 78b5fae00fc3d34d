/**
 * The real AWS CLI v2 pointed at a test API. `/usr/bin/aws` is Debian's awscli (v2); the `aws` first on PATH may be a
 * pyenv shim of CLI v1, so the binary is called by its full path. CI installs it; a missing CLI fails, not skips.
 * Credentials and config live in a fresh folder; the environment is clean (no proxies, no inherited AWS settings, no
 * pager). `env` may be changed by a test (another credentials file) and is read on every run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type Harness } from './harness';

export const AWS = '/usr/bin/aws';

export interface Run { code: number; stdout: string; stderr: string }

export interface AwsCli {
  h: Harness;
  /** The folder of the CLI's credentials and config; tests write their input files here too. */
  dir: string;
  env: NodeJS.ProcessEnv;
  aws(...args: string[]): Promise<Run>;
  /** Runs a command that must succeed and returns its parsed JSON output ({} for commands without output). */
  ok(...args: string[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/** The CLI against `api` when given (closing the CLI leaves it running), else against an API of its own. */
export async function startAwsCli(prefix: string, api?: Harness): Promise<AwsCli> {
  if (!existsSync(AWS)) throw new Error(`${AWS} (AWS CLI v2, Debian package awscli) is required by this test; install it (apt-get install awscli).`);
  const h = api ?? (await startApi());
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'credentials'), `[openmsk]\naws_access_key_id = ${h.credentials.accessKeyId}\naws_secret_access_key = ${h.credentials.secretAccessKey}\n`);
  writeFileSync(join(dir, 'config'), '[profile openmsk]\nregion = us-east-1\noutput = json\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_PROFILE: 'openmsk',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const aws = (...args: string[]) => new Promise<Run>((resolve, reject) => {
    execFile(AWS, [...args, '--endpoint-url', h.url, '--output', 'json', '--no-cli-pager'], { env, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${AWS} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
  return {
    h,
    dir,
    env,
    aws,
    async ok(...args) {
      const r = await aws(...args);
      if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
      return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
    },
    async close() {
      if (!api) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
