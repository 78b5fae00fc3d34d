/** configDrift: which keys of a broker's file the running broker does not run with, from its DescribeConfigs. */
import { configDrift, type ConfigEntry } from '../src';

const entry = (value: string | null, source: ConfigEntry['source'], staticValue?: string | null, sensitive = false): ConfigEntry =>
  ({ value, source, readOnly: false, sensitive, ...(staticValue !== undefined ? { staticValue } : {}) });

const running = new Map<string, ConfigEntry>([
  ['auto.create.topics.enable', entry('false', 'STATIC_BROKER_CONFIG', 'false')],
  ['log.retention.ms', entry('3600000', 'DYNAMIC_DEFAULT_BROKER_CONFIG', '604800000')],
  ['num.io.threads', entry('8', 'DEFAULT_CONFIG')],
  ['allow.everyone.if.no.acl.found', entry(null, 'STATIC_BROKER_CONFIG', null, true)],
  ['zookeeper.connect', entry('127.0.0.1:1', 'STATIC_BROKER_CONFIG', '127.0.0.1:1')],
]);
const file = (extra: Record<string, string> = {}, drop: string[] = []) => {
  const m = new Map(Object.entries({ 'auto.create.topics.enable': 'false', 'log.retention.ms': '3600000', 'allow.everyone.if.no.acl.found': 'true', 'zookeeper.connect': '127.0.0.1:1', ...extra }));
  for (const k of drop) m.delete(k);
  return m;
};

test('the file the broker runs with: nothing to restart (a key applied dynamically counts as applied)', () => {
  expect(configDrift(file(), running)).toEqual([]);
});

test('a static key changed in the file, a key added that the broker has at its default, a key removed', () => {
  expect(configDrift(file({ 'auto.create.topics.enable': 'true' }), running)).toEqual(['auto.create.topics.enable']);
  expect(configDrift(file({ 'num.io.threads': '16' }), running)).toEqual(['num.io.threads']);
  expect(configDrift(file({}, ['zookeeper.connect']), running)).toEqual(['zookeeper.connect']);
});

test('a dynamic key changed again in the file but not yet applied needs a restart; keys reported without a value are not compared', () => {
  expect(configDrift(file({ 'log.retention.ms': '7200000' }), running)).toEqual(['log.retention.ms']);
  expect(configDrift(file({ 'allow.everyone.if.no.acl.found': 'false' }), running)).toEqual([]);
});

test("a KRaft broker's broker.id, which it derives from node.id, is not a key removed from the file", () => {
  const kraft = new Map([...running, ['broker.id', entry('2', 'STATIC_BROKER_CONFIG', '2')] as [string, ConfigEntry]]);
  expect(configDrift(file({ 'node.id': '2' }), kraft)).toEqual([]);
  expect(configDrift(file({ 'node.id': '3' }), kraft)).toEqual(['broker.id']);
});
