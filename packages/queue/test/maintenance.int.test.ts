/**
 * The reconciler's queue on real Redis: with two workers on one prefix, one sweep runs per interval and never two at
 * once (a sweep slower than the interval delays the next), and asking twice for a heal of one cluster runs it once.
 */
import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import { redisConnection, startMaintenance, type Maintenance, type MaintenanceJob } from '../src';

const url = process.env.OPENMSK_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-maintenance-${randomUUID()}`;
const connections: IORedis[] = [];
const workers: Maintenance[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  const keys = await connections[0].keys(`${prefix}:*`);
  if (keys.length) await connections[0].del(...keys);
  connections.forEach((c) => c.disconnect());
});

test('two workers: one sweep per interval, never overlapping; a heal asked for twice runs once', async () => {
  const runs: { worker: number; kind: string; start: number; end: number }[] = [];
  let running = 0;
  let overlapped = false;
  const start = async (worker: number) => {
    const c = redisConnection(url);
    connections.push(c);
    workers.push(await startMaintenance(c, prefix, 500, async (job: MaintenanceJob) => {
      if (running++ > 0) overlapped = true;
      const r = { worker, kind: job.kind, start: Date.now(), end: 0 };
      await new Promise((res) => setTimeout(res, job.kind === 'sweep' ? 800 : 100)); // slower than the interval
      r.end = Date.now();
      runs.push(r);
      running--;
    }, { lockMs: 10_000, onError: () => {} }));
  };
  await start(1);
  await start(2);
  await workers[0].requestHeal('cluster-a');
  await workers[1].requestHeal('cluster-a');
  await new Promise((r) => setTimeout(r, 4000));
  expect(overlapped).toBe(false);
  const sweeps = runs.filter((r) => r.kind === 'sweep');
  // 4 s of 800 ms sweeps back to back, one at a time: at most 5, whichever worker ran them.
  expect(sweeps.length).toBeGreaterThanOrEqual(2);
  expect(sweeps.length).toBeLessThanOrEqual(5);
  for (let i = 1; i < runs.length; i++) expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
  expect(runs.filter((r) => r.kind === 'heal')).toHaveLength(1);
});
