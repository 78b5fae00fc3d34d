import { createServer } from 'node:net';
import type { Db } from '@openmsk/db';

/** True when nothing on this host listens on host:port. */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Reserves `count` ports for one node. Postgres decides who owns a port (primary key), the host
 * decides whether it is really free; a port someone else listens on is skipped, not taken.
 * Idempotent per (cluster, node, purpose).
 */
export async function allocatePorts(
  db: Db,
  range: [number, number],
  host: string,
  clusterId: string,
  nodeId: string,
  purposes: string[],
): Promise<Record<string, number>> {
  const have = await db.portAllocation.findMany({ where: { clusterId, nodeId } });
  const out: Record<string, number> = Object.fromEntries(have.map((p) => [p.purpose, p.port]));
  for (const purpose of purposes) {
    if (out[purpose] !== undefined) continue;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 200) throw new Error(`no free port in ${range[0]}-${range[1]}`);
      const [row] = await db.$queryRaw<{ port: number }[]>`
        SELECT p AS port FROM generate_series(${range[0]}::int, ${range[1]}::int) p
        WHERE NOT EXISTS (SELECT 1 FROM port_allocation a WHERE a.port = p)
        ORDER BY p OFFSET ${attempt}::int LIMIT 1`;
      if (!row) throw new Error(`no free port in ${range[0]}-${range[1]}`);
      if (!(await portFree(host, row.port))) continue;
      try {
        await db.portAllocation.create({ data: { port: row.port, clusterId, nodeId, purpose } });
        out[purpose] = row.port;
        break;
      } catch {
        // taken by a concurrent allocation: try the next one
      }
    }
  }
  return out;
}

export async function releasePorts(db: Db, clusterId: string): Promise<void> {
  await db.portAllocation.deleteMany({ where: { clusterId } });
}
