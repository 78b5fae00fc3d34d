import { execFile as execFileCallback } from 'node:child_process';

export interface ExecOptions {
  /** Kill the process (SIGKILL) after this many milliseconds. Default 60 000. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** A promisified child_process.execFile (no shell). */
export type Exec = (file: string, args: readonly string[], opts?: ExecOptions) => Promise<ExecResult>;

/** A failed command. The message carries the command line, how it failed and its stderr. */
export class ExecError extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    /** Exit status, or an errno string such as 'ENOENT' when the command could not be started. */
    readonly code: number | string | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly timedOut: boolean,
    timeoutMs: number,
  ) {
    const how = timedOut
      ? `timed out after ${timeoutMs} ms`
      : code === 'ENOENT'
        ? 'command not found'
        : typeof code === 'string'
          ? `could not run (${code})`
          : signal
            ? `killed by ${signal}`
            : `exit status ${code}`;
    const detail = stderr.trim() || stdout.trim();
    super(`${[file, ...args].join(' ')}: ${how}${detail ? `: ${detail}` : ''}`);
    this.name = 'ExecError';
  }
}

export const execFile: Exec = (file, args, opts = {}) => {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    execFileCallback(
      file,
      [...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', env: opts.env, cwd: opts.cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: number | string | null; signal?: NodeJS.Signals | null; killed?: boolean };
        const timedOut = Boolean(e.killed) && e.signal === 'SIGKILL';
        reject(new ExecError(file, args, e.code ?? null, e.signal ?? null, stdout ?? '', stderr ?? '', timedOut, timeoutMs));
      },
    );
  });
};
