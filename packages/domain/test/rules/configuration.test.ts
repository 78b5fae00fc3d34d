import { decodeServerProperties, validateCreateConfiguration, validateUpdateConfiguration } from '../../src/rules/configuration';
import { expectBadRequest } from '../helpers';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('validateCreateConfiguration', () => {
  test('returns the checked name, versions, text and effective keys', () => {
    const out = validateCreateConfiguration({
      Name: 'cfg-1',
      Description: 'retention',
      KafkaVersions: ['3.8.x', '3.9.x', '3.8.x'],
      ServerProperties: bytes('log.retention.hours = 24\nnum.partitions=3\n'),
    });
    expect(out).toEqual({
      name: 'cfg-1',
      description: 'retention',
      kafkaVersions: ['3.8.x', '3.9.x'],
      serverProperties: 'log.retention.hours = 24\nnum.partitions=3\n',
      properties: new Map([['log.retention.hours', '24'], ['num.partitions', '3']]),
    });
  });

  test('kafkaVersions and description are optional', () => {
    const out = validateCreateConfiguration({ Name: 'c', ServerProperties: 'num.partitions=1' });
    expect(out.kafkaVersions).toEqual([]);
    expect(out).not.toHaveProperty('description');
  });

  test('name follows the naming rule', () => {
    expectBadRequest(() => validateCreateConfiguration({ Name: 'my config', ServerProperties: '' }), 'The parameter value contains one or more characters that are not valid.', 'name');
    expectBadRequest(() => validateCreateConfiguration({ Name: undefined, ServerProperties: '' }), 'The name parameter is required.', 'name');
    expectBadRequest(() => validateCreateConfiguration({ Name: 'x'.repeat(65), ServerProperties: '' }), 'The name parameter must be between 1 and 64 characters long.', 'name');
  });

  test('every listed Kafka version must be in the catalog', () => {
    expectBadRequest(
      () => validateCreateConfiguration({ Name: 'c', KafkaVersions: ['3.8.x', '2.2.1'], ServerProperties: '' }),
      'Unsupported KafkaVersion [2.2.1]. Valid values: [3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]',
      'kafkaVersions',
    );
    expectBadRequest(
      () => validateCreateConfiguration({ Name: 'c', KafkaVersions: '3.8.x' as never, ServerProperties: '' }),
      'The kafkaVersions parameter must be a list of strings.',
      'kafkaVersions',
    );
  });

  test('serverProperties is required and checked against the listed versions only', () => {
    expectBadRequest(() => validateCreateConfiguration({ Name: 'c', ServerProperties: undefined }), 'The serverProperties parameter is required.', 'serverProperties');
    expect(validateCreateConfiguration({ Name: 'c', KafkaVersions: ['3.9.x'], ServerProperties: 'zookeeper.session.timeout.ms=9000' }).properties.size).toBe(1);
    const err = expectBadRequest(
      () => validateCreateConfiguration({ Name: 'c', ServerProperties: 'zookeeper.session.timeout.ms=9000' }),
      /^\[/,
      'serverProperties',
    );
    expect(JSON.parse(err.message)[0].errorMessages[0]).toBe(
      "Key 'zookeeper.session.timeout.ms' is not supported by at least one Apache Kafka version. Key checked against versions: [3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]",
    );
  });

  test('description is capped at 1024 characters', () => {
    expect(validateCreateConfiguration({ Name: 'c', Description: 'd'.repeat(1024), ServerProperties: '' }).description).toHaveLength(1024);
    expectBadRequest(
      () => validateCreateConfiguration({ Name: 'c', Description: 'd'.repeat(1025), ServerProperties: '' }),
      'The description parameter must be a string of at most 1024 characters.',
      'description',
    );
  });
});

describe('validateUpdateConfiguration', () => {
  test("checks the new revision against the configuration's versions", () => {
    expect(validateUpdateConfiguration({ ServerProperties: bytes('num.partitions=2') }, ['4.1.x.kraft']).properties.get('num.partitions')).toBe('2');
    expectBadRequest(
      () => validateUpdateConfiguration({ ServerProperties: bytes('log.message.timestamp.difference.max.ms=1') }, ['4.1.x.kraft']),
      /Key checked against versions: \[4\.1\.x\.kraft\]/,
      'serverProperties',
    );
    expectBadRequest(() => validateUpdateConfiguration({ ServerProperties: 5 as never }, []), 'The serverProperties parameter must be base64-encoded bytes.', 'serverProperties');
  });
});

test('decodeServerProperties reads UTF-8 bytes and passes text through', () => {
  expect(decodeServerProperties(bytes('a=é'))).toBe('a=é');
  expect(decodeServerProperties('a=b')).toBe('a=b');
});
