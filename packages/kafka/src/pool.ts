import { KafkaAdmin, type KafkaAdminOptions, type KafkaTarget } from './admin';

interface Entry {
  admin: KafkaAdmin;
  key: string;
  usedAt: number;
}

/**
 * One admin client per cluster, shared by every caller in the process. A client is replaced when its cluster's
 * target changes (brokers added, a new CA), closed after `idleMs` without use, and every one is closed on
 * `closeAll()`; connections therefore never outlive their use.
 */
export class KafkaAdminPool {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: KafkaAdminOptions & { idleMs?: number } = {}) {
    const idleMs = opts.idleMs ?? 60_000;
    this.timer = setInterval(() => this.closeIdle(idleMs), Math.min(idleMs, 10_000));
    this.timer.unref();
  }

  /** The client for cluster `id` at `target`. */
  get(id: string, target: KafkaTarget): KafkaAdmin {
    const key = `${[...target.brokers].sort().join(',')}|${target.caPem ?? ''}|${target.clientCert?.certPem ?? ''}`;
    const e = this.entries.get(id);
    if (e && e.key === key) {
      e.usedAt = Date.now();
      return e.admin;
    }
    if (e) void e.admin.close();
    const admin = new KafkaAdmin(target, this.opts);
    this.entries.set(id, { admin, key, usedAt: Date.now() });
    return admin;
  }

  /** Runs `fn` with cluster `id`'s client. */
  async with<T>(id: string, target: KafkaTarget, fn: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
    return fn(this.get(id, target));
  }

  /** Drops cluster `id`'s client (its cluster is gone). */
  async evict(id: string): Promise<void> {
    const e = this.entries.get(id);
    this.entries.delete(id);
    await e?.admin.close();
  }

  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.admin.close()));
  }

  private closeIdle(idleMs: number) {
    const now = Date.now();
    for (const [id, e] of this.entries) {
      if (now - e.usedAt > idleMs) {
        this.entries.delete(id);
        void e.admin.close();
      }
    }
  }
}
