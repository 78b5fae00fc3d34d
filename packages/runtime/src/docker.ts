import Docker from 'dockerode';
import { LABELS } from './names';

export interface ContainerSpec {
  name: string;
  image: string;
  entrypoint?: string[];
  cmd: string[];
  env?: string[];
  labels: Record<string, string>;
  /** host:container[:ro] */
  binds: string[];
  memoryMiB?: number;
  cpus?: number;
}

export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  startedAt?: Date;
  labels: Record<string, string>;
  image: string;
  /** memory limit in bytes (0: none); only from inspect */
  memory?: number;
  /** when it last stopped; only from inspect */
  finishedAt?: Date;
  /** its environment (`KEY=value`); only from inspect */
  env?: string[];
}

export interface ContainerEvent {
  /** Docker's action: die, stop, kill, oom, destroy, start. */
  action: string;
  name: string;
  /** The container's labels (and Docker's own attributes, e.g. exitCode). */
  labels: Record<string, string>;
}

const isNotFound = (e: unknown) => (e as { statusCode?: number }).statusCode === 404;

/** The slice of Docker openmsk uses: containers on the host network, found by name or label. */
export function dockerRuntime(docker = new Docker()) {
  async function inspect(name: string): Promise<ContainerState | undefined> {
    try {
      const c = await docker.getContainer(name).inspect();
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ''),
        running: c.State.Running,
        startedAt: c.State.StartedAt ? new Date(c.State.StartedAt) : undefined,
        labels: c.Config.Labels ?? {},
        image: c.Config.Image,
        memory: c.HostConfig.Memory ?? 0,
        finishedAt: c.State.FinishedAt && !c.State.FinishedAt.startsWith('0001') ? new Date(c.State.FinishedAt) : undefined,
        env: c.Config.Env ?? [],
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  return {
    inspect,
    async ping(): Promise<boolean> {
      return docker.ping().then(() => true, () => false);
    },
    async imageId(tag: string): Promise<string | undefined> {
      return docker.getImage(tag).inspect().then((i) => i.Id, (e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    },
    async imageExists(tag: string): Promise<boolean> {
      return docker.getImage(tag).inspect().then(() => true, (e) => (isNotFound(e) ? false : Promise.reject(e)));
    },
    /** Create-or-start: running twice is harmless. An existing container keeps its configuration. */
    async ensureRunning(spec: ContainerSpec): Promise<ContainerState> {
      let state = await inspect(spec.name);
      if (!state) {
        try {
          await docker.createContainer({
            name: spec.name,
            Image: spec.image,
            Entrypoint: spec.entrypoint,
            Cmd: spec.cmd,
            Env: spec.env,
            Labels: { ...spec.labels, [LABELS.managed]: 'true' },
            HostConfig: {
              NetworkMode: 'host',
              Binds: spec.binds,
              // No restart policy: after a host reboot the reconciler re-mounts volumes first.
              RestartPolicy: { Name: 'no' },
              ...(spec.memoryMiB ? { Memory: spec.memoryMiB * 1024 * 1024 } : {}),
              ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
            },
          });
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode !== 409) throw e; // created meanwhile
        }
        state = (await inspect(spec.name))!;
      }
      if (!state.running) {
        await docker.getContainer(spec.name).start().catch((e) => {
          if ((e as { statusCode?: number }).statusCode !== 304) throw e; // already started
        });
        state = (await inspect(spec.name))!;
      }
      return state;
    },
    /** Graceful stop (SIGTERM, then SIGKILL after `seconds`). */
    async stop(name: string, seconds = 30): Promise<void> {
      await docker.getContainer(name).stop({ t: seconds }).catch((e) => {
        if (!isNotFound(e) && (e as { statusCode?: number }).statusCode !== 304) throw e;
      });
    },
    async remove(name: string): Promise<void> {
      await docker.getContainer(name).remove({ force: true, v: true }).catch((e) => {
        if (!isNotFound(e) && (e as { statusCode?: number }).statusCode !== 409) throw e;
      });
    },
    async listManaged(filter: Record<string, string> = {}): Promise<ContainerState[]> {
      const labels = [`${LABELS.managed}=true`, ...Object.entries(filter).map(([k, v]) => `${k}=${v}`)];
      const list = await docker.listContainers({ all: true, filters: { label: labels } });
      return list.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        running: c.State === 'running',
        labels: c.Labels,
        image: c.Image,
      }));
    },
    async logs(name: string, tail = 50): Promise<string> {
      const buf = (await docker.getContainer(name).logs({ stdout: true, stderr: true, tail })) as unknown as Buffer;
      return demux(buf);
    },
    /**
     * Container lifecycle events (die, stop, kill, oom, destroy, start) of containers carrying these labels, as
     * they happen; the stream is re-opened after an engine restart, and `onReopen` is called then (events of the
     * time in between are lost: the caller looks for itself). Returns a function that stops listening.
     */
    watch(labels: Record<string, string>, onEvent: (e: ContainerEvent) => void, onReopen?: () => void): () => void {
      let stopped = false;
      let opened = false;
      let current: NodeJS.ReadableStream | undefined;
      const open = () => {
        if (stopped) return;
        const filters = { type: ['container'], event: ['die', 'stop', 'kill', 'oom', 'destroy', 'start'], label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
        (docker.getEvents({ filters: JSON.stringify(filters) } as never) as unknown as Promise<NodeJS.ReadableStream>).then((stream) => {
          if (stopped) {
            (stream as unknown as { destroy: () => void }).destroy();
            return;
          }
          current = stream as NodeJS.ReadableStream;
          if (opened) onReopen?.();
          opened = true;
          let buffered = '';
          current.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8');
            let nl: number;
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl);
              buffered = buffered.slice(nl + 1);
              try {
                const ev = JSON.parse(line) as { Action: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
                onEvent({ action: ev.Action, name: ev.Actor?.Attributes?.name ?? '', labels: ev.Actor?.Attributes ?? {} });
              } catch {
                // a partial or foreign line: skip it
              }
            }
          });
          const again = () => {
            current = undefined;
            if (!stopped) setTimeout(open, 1000).unref();
          };
          current.on('end', again);
          current.on('error', again);
        }, () => {
          if (!stopped) setTimeout(open, 1000).unref();
        });
      };
      open();
      return () => {
        stopped = true;
        (current as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      };
    },
    /** Runs a command inside a running container and returns its output (stdout+stderr). */
    async exec(name: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
      const ex = await docker.getContainer(name).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await ex.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((res, rej) => {
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => res());
        stream.on('error', rej);
      });
      const info = await ex.inspect();
      return { exitCode: info.ExitCode ?? -1, output: demux(Buffer.concat(chunks)) };
    },
  };
}

export type DockerRuntime = ReturnType<typeof dockerRuntime>;

/** Docker multiplexes stdout/stderr frames (8-byte headers) when there is no TTY. */
function demux(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && buf[i] <= 2 && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : Buffer.concat(out).toString('utf8');
}
