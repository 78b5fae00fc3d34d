import { randomUUID } from 'node:crypto';
import { startApi, type Harness } from '../../api/test/harness';
import { parsePrometheus, sampleValue } from '@openmsk/wire';
import { workerMetrics } from '../src/metrics';
import { Abandon, runSteps, type Step } from '../src/record';

// runSteps on a real operation row (no worker runs here, so nothing picks the row up), with steps that only wait.
let h: Harness;
beforeAll(async () => {
  h = await startApi({}, { images: false });
});
afterAll(() => h.close());

async function operationRow(): Promise<string> {
  const clusterId = randomUUID();
  const arn = `arn:aws:kafka:us-east-1:${h.accountId}:cluster/record/${clusterId}-1`;
  await h.db.cluster.create({
    data: { id: clusterId, accountId: h.accountId, region: 'us-east-1', arn, name: `record-${clusterId.slice(0, 8)}`, state: 'CREATING', currentVersion: 'K0', kafkaVersion: '3.9.x', numberOfBrokerNodes: 2, spec: {} },
  });
  const id = randomUUID();
  await h.db.clusterOperation.create({ data: { id, arn: `${arn}/op-${id}`, clusterId, accountId: h.accountId, operationType: 'CREATE', operationState: 'PENDING' } });
  return id;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const step = (name: string, ms: number, error?: Error): Step => ({ name, run: async () => { await sleep(ms); if (error) throw error; } });

describe('runSteps records each step in the metrics', () => {
  test('outcome and duration per step name: success, failure, abandoned; steps after a failure do not run', async () => {
    const metrics = workerMetrics();
    await runSteps(h.db, await operationRow(), [step('FIRST', 30), step('SECOND', 0)], () => {}, 'UPDATE_IN_PROGRESS', metrics);
    await expect(runSteps(h.db, await operationRow(), [step('FIRST', 0), step('BROKEN', 0, new Error('boom')), step('NEVER', 0)], () => {}, 'UPDATE_IN_PROGRESS', metrics)).rejects.toThrow('boom');
    await expect(runSteps(h.db, await operationRow(), [step('GONE', 0, new Abandon('deleted'))], () => {}, 'UPDATE_IN_PROGRESS', metrics)).rejects.toBeInstanceOf(Abandon);

    const m = parsePrometheus(await metrics.registry.metrics());
    const count = (s: string, outcome: string) => sampleValue(m, 'openmsk_worker_steps_total', { step: s, outcome });
    expect([count('FIRST', 'success'), count('SECOND', 'success'), count('BROKEN', 'failure'), count('GONE', 'abandoned'), count('NEVER', 'success'), count('NEVER', 'failure')])
      .toEqual([2, 1, 1, 1, 0, 0]);
    expect(sampleValue(m, 'openmsk_worker_step_duration_seconds_count', { step: 'FIRST' })).toBe(2);
    // One FIRST slept 30 ms: the histogram's sum holds at least that, and the 0.01 s bucket misses it.
    expect(sampleValue(m, 'openmsk_worker_step_duration_seconds_sum', { step: 'FIRST' })).toBeGreaterThanOrEqual(0.025);
    expect(sampleValue(m, 'openmsk_worker_step_duration_seconds_bucket', { step: 'FIRST', le: '0.01' })).toBeLessThan(2);
    expect(sampleValue(m, 'openmsk_worker_step_duration_seconds_bucket', { step: 'FIRST', le: '+Inf' })).toBe(2);
  });

  test("each step's start and end time and its progress are kept on the row (MSK's encoder drops them; the console reads them)", async () => {
    const id = await operationRow();
    let seenMidway: unknown;
    const roll: Step = {
      name: 'ROLL',
      run: async ({ progress }) => {
        await progress(0, 3);
        await progress(1, 3);
        seenMidway = (await h.db.clusterOperation.findUniqueOrThrow({ where: { id } })).steps;
        await sleep(20);
        await progress(3, 3);
      },
    };
    const before = Date.now();
    await runSteps(h.db, id, [step('FIRST', 10), roll], () => {});
    const steps = (await h.db.clusterOperation.findUniqueOrThrow({ where: { id } })).steps as Array<Record<string, any>>;
    expect((seenMidway as Array<Record<string, any>>)[1]).toMatchObject({ StepInfo: { StepStatus: 'IN_PROGRESS' }, Progress: { Done: 1, Total: 3 } });
    expect((seenMidway as Array<Record<string, any>>)[1].EndTime).toBeUndefined();
    expect(steps.map((s) => s.StepInfo.StepStatus)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(steps[0].Progress).toBeUndefined();
    expect(steps[1].Progress).toEqual({ Done: 3, Total: 3 });
    for (const s of steps) {
      expect(Date.parse(s.StartTime)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(s.EndTime)).toBeGreaterThanOrEqual(Date.parse(s.StartTime));
    }
    expect(Date.parse(steps[1].EndTime) - Date.parse(steps[1].StartTime)).toBeGreaterThanOrEqual(15);
  });

  test('job metrics: one series per operation type and outcome', async () => {
    const metrics = workerMetrics();
    const t0 = performance.now();
    await sleep(20);
    metrics.job('CREATE', 'success', t0);
    metrics.job('UPDATE_BROKER_STORAGE', 'failure', t0);
    const m = parsePrometheus(await metrics.registry.metrics());
    expect(sampleValue(m, 'openmsk_worker_jobs_total', { operation_type: 'CREATE', outcome: 'success' })).toBe(1);
    expect(sampleValue(m, 'openmsk_worker_jobs_total', { operation_type: 'UPDATE_BROKER_STORAGE', outcome: 'failure' })).toBe(1);
    expect(sampleValue(m, 'openmsk_worker_job_duration_seconds_sum', { operation_type: 'CREATE' })).toBeGreaterThanOrEqual(0.015);
  });
});
