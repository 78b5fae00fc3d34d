import {
  CreateClusterCommand, CreateConfigurationCommand, DeleteConfigurationCommand, DescribeConfigurationCommand,
  DescribeConfigurationRevisionCommand, KafkaClient, ListConfigurationRevisionsCommand, ListConfigurationsCommand,
  UpdateConfigurationCommand, type CreateConfigurationRequest,
} from '@aws-sdk/client-kafka';
import { rowCounts, startApi, type Harness } from './harness';
import { expectError, refused } from './helpers';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const create = (name: string, props: string | Uint8Array, over: Partial<CreateConfigurationRequest> = {}) =>
  kafka.send(new CreateConfigurationCommand({
    Name: name,
    KafkaVersions: ['3.9.x'],
    ServerProperties: typeof props === 'string' ? bytes(props) : props,
    ...over,
  }));
const arnPattern = (name: string) =>
  new RegExp(`^arn:aws:kafka:us-east-1:${h.accountId}:configuration/${name}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\\d+$`);
const recent = (d: Date | undefined) => {
  expect(d).toBeInstanceOf(Date);
  expect(Math.abs(d!.getTime() - Date.now())).toBeLessThan(60_000);
};

/** The MSK per-key error message: a JSON array of {name, value, errorMessages}. */
function parseKeyErrors(message: string): { name: string; value: string; errorMessages: string[] }[] {
  const parsed = JSON.parse(message);
  expect(Array.isArray(parsed)).toBe(true);
  return parsed;
}

describe('CreateConfiguration / DescribeConfiguration', () => {
  test('answers ACTIVE revision 1 with an MSK ARN; Describe returns the same; bytes round-trip exactly', async () => {
    // CRLF, spaces around '=', a tab, a comment with non-ASCII text, a blank line, no final newline.
    const text = '# Orders cluster — tuned\r\nauto.create.topics.enable = true\r\n\r\nnum.partitions=3\r\n\tlog.retention.hours: 48\r\ndefault.replication.factor=3';
    const out = await create('orders-config', text, { Description: 'orders tuning' });
    expect(out.Arn).toMatch(arnPattern('orders-config'));
    expect(out.Name).toBe('orders-config');
    expect(out.State).toBe('ACTIVE');
    expect(out.LatestRevision?.Revision).toBe(1);
    expect(out.LatestRevision?.Description).toBe('orders tuning');
    recent(out.CreationTime);
    recent(out.LatestRevision?.CreationTime);
    expect(out.$metadata.httpStatusCode).toBe(200);

    const d = await kafka.send(new DescribeConfigurationCommand({ Arn: out.Arn }));
    expect(d).toMatchObject({
      Arn: out.Arn,
      Name: 'orders-config',
      Description: 'orders tuning',
      KafkaVersions: ['3.9.x'],
      State: 'ACTIVE',
      LatestRevision: { Revision: 1, Description: 'orders tuning' },
    });
    expect(d.CreationTime?.toISOString()).toBe(out.CreationTime?.toISOString());

    const rev = await kafka.send(new DescribeConfigurationRevisionCommand({ Arn: out.Arn, Revision: 1 }));
    expect(rev).toMatchObject({ Arn: out.Arn, Revision: 1, Description: 'orders tuning' });
    recent(rev.CreationTime);
    expect(Buffer.from(rev.ServerProperties!).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  test('bytes that are not UTF-8 (ISO-8859-1 comment, as Java reads .properties) are stored as sent', async () => {
    const sent = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnum.partitions=2\n')]);
    const out = await create('latin1-config', new Uint8Array(sent));
    const rev = await kafka.send(new DescribeConfigurationRevisionCommand({ Arn: out.Arn, Revision: 1 }));
    expect(Buffer.from(rev.ServerProperties!).toString('hex')).toBe(sent.toString('hex'));
    // A UTF-8 byte-order mark (added invisibly by some editors) is accepted and kept too.
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('num.partitions=2\n')]);
    const up = await kafka.send(new UpdateConfigurationCommand({ Arn: out.Arn, ServerProperties: new Uint8Array(bom) }));
    const rev2 = await kafka.send(new DescribeConfigurationRevisionCommand({ Arn: out.Arn, Revision: up.LatestRevision!.Revision! }));
    expect(Buffer.from(rev2.ServerProperties!).toString('hex')).toBe(bom.toString('hex'));
  });

  test('without kafkaVersions the properties are checked against every catalog version and KafkaVersions is []', async () => {
    const out = await create('any-version', 'num.partitions=2\n', { KafkaVersions: undefined });
    const d = await kafka.send(new DescribeConfigurationCommand({ Arn: out.Arn }));
    expect(d.KafkaVersions).toEqual([]);
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'any-version-zk', ServerProperties: bytes('zookeeper.session.timeout.ms=10000\n'),
    }));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
    const [item] = parseKeyErrors(e.message);
    expect(item.errorMessages[0]).toBe(
      "Key 'zookeeper.session.timeout.ms' is not supported by at least one Apache Kafka version. Key checked against versions: [3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]",
    );
  });

  test('unknown configuration ARN → NotFoundException naming arn', async () => {
    const arn = `arn:aws:kafka:us-east-1:${h.accountId}:configuration/nope/00000000-0000-0000-0000-000000000000-1`;
    expectError(await refused(h, kafka, new DescribeConfigurationCommand({ Arn: arn })), 'NotFoundException', 404, 'arn');
    expectError(await refused(h, kafka, new ListConfigurationRevisionsCommand({ Arn: arn })), 'NotFoundException', 404, 'arn');
    expectError(await refused(h, kafka, new DescribeConfigurationRevisionCommand({ Arn: arn, Revision: 1 })), 'NotFoundException', 404, 'arn');
    expectError(await refused(h, kafka, new UpdateConfigurationCommand({ Arn: arn, ServerProperties: bytes('num.partitions=1\n') })), 'NotFoundException', 404, 'arn');
    expectError(await refused(h, kafka, new DeleteConfigurationCommand({ Arn: arn })), 'NotFoundException', 404, 'arn');
  });
});

describe('CreateConfiguration refusals (nothing written)', () => {
  test.each([
    ['underscore in name', 'bad_name'],
    ['leading hyphen', '-lead'],
    ['65 characters', 'x'.repeat(65)],
  ])('name: %s → BadRequestException naming name', async (_label, name) => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({ Name: name, KafkaVersions: ['3.9.x'], ServerProperties: bytes('num.partitions=1\n') }));
    expectError(e, 'BadRequestException', 400, 'name');
  });

  test('unknown key → MSK JSON array message', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'rebalance', KafkaVersions: ['3.8.x', '3.9.x'], ServerProperties: bytes('num.partitions=3\nauto.leader.rebalance.enable=false\n'),
    }));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
    expect(parseKeyErrors(e.message)).toEqual([{
      name: 'auto.leader.rebalance.enable',
      value: 'false',
      errorMessages: [
        "Key 'auto.leader.rebalance.enable' is not supported by at least one Apache Kafka version. Key checked against versions: [3.8.x, 3.9.x]",
      ],
    }]);
  });

  test('value out of the documented range (replica.lag.time.max.ms=5) → per-key message', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'lag', KafkaVersions: ['3.9.x'], ServerProperties: bytes('replica.lag.time.max.ms=5\n'),
    }));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
    const [item, ...rest] = parseKeyErrors(e.message);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ name: 'replica.lag.time.max.ms', value: '5' });
    expect(item.errorMessages).toHaveLength(1);
    expect(item.errorMessages[0]).toContain('replica.lag.time.max.ms');
    expect(item.errorMessages[0]).toContain('10000');
    expect(item.errorMessages[0]).toContain('30000');
  });

  test('several bad keys are all reported, in file order', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'many', KafkaVersions: ['3.9.x'], ServerProperties: bytes('num.partitions=zero\nlisteners=PLAINTEXT://:9092\nauto.create.topics.enable=true\n'),
    }));
    expect(parseKeyErrors(e.message).map((x) => x.name)).toEqual(['num.partitions', 'listeners']);
  });

  test('control-plane key (listeners) is refused like an unknown key', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'listeners', KafkaVersions: ['3.9.x'], ServerProperties: bytes('listeners=PLAINTEXT://0.0.0.0:9092\n'),
    }));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
    expect(parseKeyErrors(e.message)).toEqual([{
      name: 'listeners',
      value: 'PLAINTEXT://0.0.0.0:9092',
      errorMessages: ["Key 'listeners' is not supported by at least one Apache Kafka version. Key checked against versions: [3.9.x]"],
    }]);
  });

  test('ZooKeeper-only key on a KRaft version is refused', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'zk-on-kraft', KafkaVersions: ['3.9.x.kraft'], ServerProperties: bytes('zookeeper.session.timeout.ms=10000\n'),
    }));
    expect(parseKeyErrors(e.message)[0].name).toBe('zookeeper.session.timeout.ms');
  });

  test('unknown kafkaVersion → BadRequestException naming kafkaVersions', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({
      Name: 'old', KafkaVersions: ['2.1.0'], ServerProperties: bytes('num.partitions=1\n'),
    }));
    expectError(e, 'BadRequestException', 400, 'kafkaVersions');
    expect(e.message).toMatch(/^Unsupported KafkaVersion \[2\.1\.0\]\. Valid values: \[.*3\.9\.x.*\]$/);
  });

  test('missing serverProperties → BadRequestException naming it', async () => {
    const e = await refused(h, kafka, new CreateConfigurationCommand({ Name: 'no-props', KafkaVersions: ['3.9.x'] } as never));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
  });

  test('duplicate name → ConflictException 409', async () => {
    await create('dupe-config', 'num.partitions=1\n');
    const e = await refused(h, kafka, new CreateConfigurationCommand({ Name: 'dupe-config', KafkaVersions: ['3.9.x'], ServerProperties: bytes('num.partitions=2\n') }));
    expectError(e, 'ConflictException', 409, 'name');
  });
});

describe('UpdateConfiguration and revisions', () => {
  test('adds revision 2; revision 1 keeps its bytes; ListConfigurationRevisions pages through both', async () => {
    const v1 = 'num.partitions=1\n';
    const v2 = 'num.partitions=6\nmin.insync.replicas=2\n';
    const { Arn } = await create('evolving', v1, { Description: 'first' });
    const up = await kafka.send(new UpdateConfigurationCommand({ Arn, ServerProperties: bytes(v2), Description: 'second' }));
    expect(up.Arn).toBe(Arn);
    expect(up.LatestRevision).toMatchObject({ Revision: 2, Description: 'second' });
    recent(up.LatestRevision?.CreationTime);

    const d = await kafka.send(new DescribeConfigurationCommand({ Arn }));
    expect(d.LatestRevision).toMatchObject({ Revision: 2, Description: 'second' });
    expect(d.State).toBe('ACTIVE');

    const r1 = await kafka.send(new DescribeConfigurationRevisionCommand({ Arn, Revision: 1 }));
    const r2 = await kafka.send(new DescribeConfigurationRevisionCommand({ Arn, Revision: 2 }));
    expect(Buffer.from(r1.ServerProperties!).toString('utf8')).toBe(v1);
    expect(r1.Description).toBe('first');
    expect(Buffer.from(r2.ServerProperties!).toString('utf8')).toBe(v2);
    expect(r2.Description).toBe('second');

    const all = await kafka.send(new ListConfigurationRevisionsCommand({ Arn }));
    expect(all.Revisions?.map((r) => [r.Revision, r.Description])).toEqual([[1, 'first'], [2, 'second']]);
    expect(all.NextToken).toBeUndefined();

    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await kafka.send(new ListConfigurationRevisionsCommand({ Arn, MaxResults: 1, NextToken: token }));
      expect(p.Revisions).toHaveLength(1);
      seen.push(...p.Revisions!.map((r) => r.Revision!));
      token = p.NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual([1, 2]);
    expect(pages).toBe(2);
  });

  test('an invalid new revision is refused and the latest revision stays', async () => {
    const { Arn } = await create('guarded', 'num.partitions=1\n');
    const e = await refused(h, kafka, new UpdateConfigurationCommand({ Arn, ServerProperties: bytes('auto.leader.rebalance.enable=false\n') }));
    expectError(e, 'BadRequestException', 400, 'serverProperties');
    expect(parseKeyErrors(e.message)[0].errorMessages[0]).toContain('Key checked against versions: [3.9.x]');
    const d = await kafka.send(new DescribeConfigurationCommand({ Arn }));
    expect(d.LatestRevision?.Revision).toBe(1);
  });

  test('unknown revision → NotFoundException naming revision', async () => {
    const { Arn } = await create('one-rev', 'num.partitions=1\n');
    expectError(await refused(h, kafka, new DescribeConfigurationRevisionCommand({ Arn, Revision: 2 })), 'NotFoundException', 404, 'revision');
    expectError(await refused(h, kafka, new DescribeConfigurationRevisionCommand({ Arn, Revision: 0 })), 'NotFoundException', 404, 'revision');
  });
});

describe('ListConfigurations', () => {
  test('MaxResults 1 visits every configuration exactly once, then no NextToken', async () => {
    await create('list-a', 'num.partitions=1\n');
    await create('list-b', 'num.partitions=1\n');
    const total = await h.db.configuration.count({ where: { accountId: h.accountId } });
    expect(total).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await kafka.send(new ListConfigurationsCommand({ MaxResults: 1, NextToken: token }));
      expect(p.Configurations).toHaveLength(1);
      const c = p.Configurations![0];
      expect(c.Arn).toMatch(arnPattern(c.Name!));
      expect(c.State).toBe('ACTIVE');
      expect(c.LatestRevision?.Revision).toBeGreaterThanOrEqual(1);
      seen.push(c.Name!);
      token = p.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(expect.arrayContaining(['list-a', 'list-b', 'orders-config']));
    // Oldest first.
    expect(seen.indexOf('list-a')).toBeLessThan(seen.indexOf('list-b'));

    const one = await kafka.send(new ListConfigurationsCommand({}));
    expect(one.Configurations?.map((c) => c.Name)).toEqual(seen);
    expect(one.NextToken).toBeUndefined();
  });

  test('maxResults out of range and a forged token are refused', async () => {
    expectError(await refused(h, kafka, new ListConfigurationsCommand({ MaxResults: 0 })), 'BadRequestException', 400, 'maxResults');
    expectError(await refused(h, kafka, new ListConfigurationsCommand({ MaxResults: 101 })), 'BadRequestException', 400, 'maxResults');
    expectError(await refused(h, kafka, new ListConfigurationsCommand({ NextToken: 'garbage!' })), 'BadRequestException', 400, 'nextToken');
  });
});

describe('DeleteConfiguration', () => {
  test('in use by a cluster → BadRequestException with MSK text; nothing changes', async () => {
    const { Arn } = await create('in-use', 'num.partitions=1\n');
    await kafka.send(new CreateClusterCommand({
      ClusterName: 'uses-config', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'] },
      ConfigurationInfo: { Arn, Revision: 1 },
    }));
    const e = await refused(h, kafka, new DeleteConfigurationCommand({ Arn }));
    expectError(e, 'BadRequestException', 400);
    expect(e.message).toBe('Configuration is in use by one or more clusters. Dissociate the configuration from the clusters.');
    const d = await kafka.send(new DescribeConfigurationCommand({ Arn }));
    expect(d.State).toBe('ACTIVE');
  });

  test('unused → {Arn, State: DELETING}; then Describe is 404 and it leaves the list', async () => {
    const { Arn } = await create('short-lived', 'num.partitions=1\n');
    await kafka.send(new UpdateConfigurationCommand({ Arn, ServerProperties: bytes('num.partitions=2\n') }));
    const before = await rowCounts(h.db);
    const out = await kafka.send(new DeleteConfigurationCommand({ Arn }));
    expect(out.Arn).toBe(Arn);
    expect(out.State).toBe('DELETING');
    expect(await rowCounts(h.db)).toEqual({ ...before, configurations: before.configurations - 1, revisions: before.revisions - 2 });
    expectError(await refused(h, kafka, new DescribeConfigurationCommand({ Arn })), 'NotFoundException', 404, 'arn');
    expectError(await refused(h, kafka, new DeleteConfigurationCommand({ Arn })), 'NotFoundException', 404, 'arn');
    const list = await kafka.send(new ListConfigurationsCommand({}));
    expect(list.Configurations?.map((c) => c.Arn)).not.toContain(Arn);
    // The name is free again.
    const again = await create('short-lived', 'num.partitions=1\n');
    expect(again.Arn).not.toBe(Arn);
  });
});
