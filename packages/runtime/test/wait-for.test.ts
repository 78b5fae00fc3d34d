import { waitFor } from '../src/kafka-probe';

const never = () => new Promise<boolean>(() => {});

describe('waitFor', () => {
  test('a check that never answers counts as failed after the check timeout; the next check runs', async () => {
    let calls = 0;
    const t0 = Date.now();
    await waitFor('recovers', async () => (++calls === 1 ? never() : true), 10_000, 10, 1000);
    expect(calls).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test('checks that never answer cannot hold the wait past its deadline', async () => {
    const t0 = Date.now();
    await expect(waitFor('stuck', never, 2000, 10, 60_000)).rejects.toThrow(/^stuck not ready after 2 s: a check did not answer within [12] s$/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test('errors are retried and the last one is reported', async () => {
    await expect(waitFor('failing', async () => { throw new Error('boom'); }, 300, 10)).rejects.toThrow('failing not ready after 0 s: boom');
  });
});
