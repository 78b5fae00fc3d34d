import {
  CreateConfigurationCommand, DeleteConfigurationCommand, DescribeConfigurationCommand, KafkaClient,
  ListConfigurationRevisionsCommand, ListConfigurationsCommand, TagResourceCommand, UntagResourceCommand,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-kafka';
import { startApi, type Harness } from './harness';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const newConfiguration = async (name: string) =>
  (await kafka.send(new CreateConfigurationCommand({ Name: name, KafkaVersions: ['3.9.x'], ServerProperties: bytes('num.partitions=1\n') }))).Arn!;

type Call = [operation: string, Promise<{ $metadata: { httpStatusCode?: number } }>];

/** Every call's operation, HTTP status and outcome (`ok` or the SDK error's name, with its message). */
async function statuses(calls: Call[]) {
  const settled = await Promise.allSettled(calls.map(([, p]) => p));
  return settled.map((s, i) =>
    s.status === 'fulfilled'
      ? { operation: calls[i][0], status: s.value.$metadata.httpStatusCode!, name: 'ok' }
      : {
          operation: calls[i][0],
          status: (s.reason as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0,
          name: `${(s.reason as Error).name}: ${(s.reason as Error).message}`,
        });
}

describe('Concurrent calls on one configuration answer 2xx, 404 or 409, never 5xx', () => {
  test('10 UpdateConfiguration, 6 DeleteConfiguration and 10 TagResource at once; the end state is consistent', async () => {
    for (let round = 0; round < 3; round++) {
      const arn = await newConfiguration(`race-${round}`);
      const calls: Call[] = [
        ...Array.from({ length: 10 }, (_, i): Call => ['UpdateConfiguration', kafka.send(new UpdateConfigurationCommand({ Arn: arn, ServerProperties: bytes(`num.partitions=${i + 2}\n`) }))]),
        ...Array.from({ length: 6 }, (): Call => ['DeleteConfiguration', kafka.send(new DeleteConfigurationCommand({ Arn: arn }))]),
        ...Array.from({ length: 10 }, (_, i): Call => ['TagResource', kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [`k${i}`]: 'v' } }))]),
      ];
      const out = await statuses(calls);
      expect(out.filter((o) => ![200, 204, 404, 409].includes(o.status))).toEqual([]);
      // Exactly one DeleteConfiguration wins; the others find it gone.
      const deletes = out.filter((o) => o.operation === 'DeleteConfiguration');
      expect(deletes.filter((o) => o.status === 200)).toHaveLength(1);
      expect(deletes.filter((o) => o.status !== 200).map((o) => o.name.split(':')[0])).toEqual(Array(5).fill('NotFoundException'));
      // Gone for good: no row, no orphaned revision, and every later call is a 404.
      expect(await h.db.configuration.count({ where: { arn } })).toBe(0);
      const orphans = await h.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM configuration_revision r LEFT JOIN configuration c ON c.id = r.configuration_id WHERE c.id IS NULL`;
      expect(Number(orphans[0].n)).toBe(0);
      await expect(kafka.send(new DescribeConfigurationCommand({ Arn: arn }))).rejects.toMatchObject({ name: 'NotFoundException' });
    }
  });

  test('concurrent updates without a delete: every one succeeds with its own revision, numbered without gaps', async () => {
    const arn = await newConfiguration('race-updates');
    const out = await Promise.all(
      Array.from({ length: 12 }, (_, i) => kafka.send(new UpdateConfigurationCommand({ Arn: arn, ServerProperties: bytes(`num.partitions=${i + 2}\n`) }))),
    );
    const revisions = out.map((o) => o.LatestRevision!.Revision!).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    const described = await kafka.send(new DescribeConfigurationCommand({ Arn: arn }));
    expect(described.LatestRevision!.Revision).toBe(13);
    const listed = await kafka.send(new ListConfigurationRevisionsCommand({ Arn: arn, MaxResults: 100 }));
    expect(listed.Revisions!.map((r) => r.Revision)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  test('Tag, Untag, Describe and List racing a delete: 2xx or 404 only', async () => {
    for (let round = 0; round < 3; round++) {
    const arn = await newConfiguration(`race-tags-${round}`);
    const calls: Call[] = [
      ...Array.from({ length: 8 }, (_, i): Call => ['TagResource', kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [`t${i}`]: 'v' } }))]),
      ...Array.from({ length: 4 }, (_, i): Call => ['UntagResource', kafka.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [`t${i}`] }))]),
      ['DeleteConfiguration', kafka.send(new DeleteConfigurationCommand({ Arn: arn }))],
      ...Array.from({ length: 4 }, (): Call => ['DescribeConfiguration', kafka.send(new DescribeConfigurationCommand({ Arn: arn }))]),
      ['ListConfigurations', kafka.send(new ListConfigurationsCommand({}))],
    ];
    const out = await statuses(calls);
    expect(out.filter((o) => ![200, 204, 404].includes(o.status))).toEqual([]);
    expect(await h.db.configuration.count({ where: { arn } })).toBe(0);
    }
  });
});
