/**
 * The console's pure helpers of the topics pages (apps/console/src/topics/format.ts): a record's bytes as text or hex,
 * topic configs to and from the base64 `configs` member (checked against the API's own parser and encoder), sizes
 * and counts.
 */
import { encodeTopicConfigs as apiEncodeConfigs, parseTopicConfigs } from '@openmsk/domain';
import {
  base64ToBytes, bytesToBase64, bytesToHex, bytesToText, decodeTopicConfigs, encodeTopicConfigs, formatAssignments,
  formatBytes, formatCount, isInternalTopic, isUnderReplicated, messageCount, parseConfigLines, showBytes, totalSize,
} from '../../console/src/topics/format';

const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
const bytes = (...b: number[]) => new Uint8Array(b);

describe('base64 and hex', () => {
  test('base64 round trip, url-safe and unpadded forms accepted', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(base64ToBytes(Buffer.from([0xfb, 0xff]).toString('base64url'))).toEqual(bytes(0xfb, 0xff));
    expect(base64ToBytes('aGk')).toEqual(bytes(0x68, 0x69));
    expect(base64ToBytes('')).toEqual(bytes());
  });

  test('hex is space-separated lowercase pairs', () => {
    expect(bytesToHex(bytes(0x68, 0x69, 0x0a, 0x00, 0xff))).toBe('68 69 0a 00 ff');
    expect(bytesToHex(bytes())).toBe('');
    expect(showBytes(b64('hi'), 'hex')).toBe('68 69');
  });

  test('null stays null; empty is the empty string', () => {
    expect(showBytes(null, 'text')).toBeNull();
    expect(showBytes(undefined, 'hex')).toBeNull();
    expect(showBytes('', 'text')).toBe('');
  });
});

describe('bytes as text', () => {
  test('printable UTF-8 as it is, JSON and backslashes untouched', () => {
    expect(showBytes(b64('{"id":42,"name":"Zoë ✓ 日本 😀"}'), 'text')).toBe('{"id":42,"name":"Zoë ✓ 日本 😀"}');
    expect(bytesToText(Buffer.from('a\\b'))).toBe('a\\b');
  });

  test('controls are escaped', () => {
    expect(bytesToText(Buffer.from('a\nb\tc\rd\u0000e\u0007f\u007f\u0085'))).toBe('a\\nb\\tc\\rd\\0e\\x07f\\x7f\\x85');
  });

  test('invisible and reordering code points are escaped', () => {
    expect(bytesToText(Buffer.from('\ufeffx\u200by\u202ez\u2028'))).toBe('\\u{feff}x\\u{200b}y\\u{202e}z\\u{2028}');
  });

  test('bytes outside well-formed UTF-8 become \\xNN, the rest still decodes', () => {
    expect(bytesToText(bytes(0x68, 0xff, 0x69))).toBe('h\\xffi');
    expect(bytesToText(bytes(0xc3))).toBe('\\xc3'); // truncated sequence
    expect(bytesToText(bytes(0xc3, 0x41))).toBe('\\xc3A'); // bad continuation
    expect(bytesToText(bytes(0xc0, 0xaf))).toBe('\\xc0\\xaf'); // overlong '/'
    expect(bytesToText(bytes(0xe0, 0x80, 0xaf))).toBe('\\xe0\\x80\\xaf'); // overlong 3-byte
    expect(bytesToText(bytes(0xed, 0xa0, 0x80))).toBe('\\xed\\xa0\\x80'); // a UTF-16 surrogate
    expect(bytesToText(bytes(0xf4, 0x90, 0x80, 0x80))).toBe('\\xf4\\x90\\x80\\x80'); // above U+10FFFF
    expect(bytesToText(bytes(0xf0, 0x9f, 0x98, 0x80))).toBe('😀');
    expect(bytesToText(bytes(0x00, 0x00, 0x00, 0x2a))).toBe('\\0\\0\\0*'); // a big-endian int
  });
});

describe('topic configs', () => {
  test('DescribeTopic\'s properties form (what the API answers) decodes to entries', () => {
    const wire = apiEncodeConfigs({ 'retention.ms': '604800000', 'cleanup.policy': 'compact,delete' });
    expect(decodeTopicConfigs(wire)).toEqual([['cleanup.policy', 'compact,delete'], ['retention.ms', '604800000']]);
    expect(decodeTopicConfigs(apiEncodeConfigs({}))).toEqual([]);
    expect(decodeTopicConfigs(undefined)).toEqual([]);
  });

  test('the JSON form (Terraform, Pulumi) decodes too', () => {
    expect(decodeTopicConfigs(b64('{"retention.ms":"1000","min.insync.replicas":2}')))
      .toEqual([['retention.ms', '1000'], ['min.insync.replicas', '2']]);
  });

  test('form lines: comments and blanks skipped, split at the first = or :, trimmed', () => {
    expect(parseConfigLines('# comment\n\n retention.ms = 1000 \r\n! other\nmessage.timestamp.type:LogAppendTime\nx=a=b\nflag'))
      .toEqual([['retention.ms', '1000'], ['message.timestamp.type', 'LogAppendTime'], ['x', 'a=b'], ['flag', '']]);
  });

  test('the form\'s configs are what the API reads, values taken literally', () => {
    const wire = encodeTopicConfigs('retention.ms=604800000\ncleanup.policy=compact\nx.regex=a\\d+\n');
    expect(wire).toBeDefined();
    expect(parseTopicConfigs(wire)).toEqual({ 'retention.ms': '604800000', 'cleanup.policy': 'compact', 'x.regex': 'a\\d+' });
  });

  test('no lines: no configs member at all', () => {
    expect(encodeTopicConfigs('')).toBeUndefined();
    expect(encodeTopicConfigs('  \n# only a comment\n')).toBeUndefined();
  });

  test('what the form does not judge, the API refuses naming configs', () => {
    expect(() => parseTopicConfigs(encodeTopicConfigs('Not A Key=1'))).toThrow(expect.objectContaining({ invalidParameter: 'configs' }));
  });
});

describe('sizes and counts', () => {
  const offsets = [
    { partition: 0, earliestOffset: 0, latestOffset: 10, sizeBytes: 1000 },
    { partition: 1, earliestOffset: '5', latestOffset: '7', sizeBytes: '24' },
  ];

  test('messages are latest − earliest summed over partitions', () => {
    expect(messageCount(offsets)).toBe(12);
    expect(messageCount([])).toBe(0);
  });

  test('size is the sum, unknown when any partition is unknown', () => {
    expect(totalSize(offsets)).toBe(1024);
    expect(totalSize([...offsets, { partition: 2, earliestOffset: 0, latestOffset: 0, sizeBytes: null }])).toBeUndefined();
    expect(totalSize([])).toBe(0);
  });

  test('bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(120 * 1024 ** 3)).toBe('120 GiB');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(null)).toBe('—');
  });

  test('counts with thousands separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount('42')).toBe('42');
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(null)).toBe('—');
  });
});

describe('topics and groups', () => {
  test('internal topics start with __', () => {
    expect(isInternalTopic('__consumer_offsets')).toBe(true);
    expect(isInternalTopic('_schemas')).toBe(false);
    expect(isInternalTopic('orders')).toBe(false);
  });

  test('under-replicated: fewer in-sync replicas than replicas', () => {
    expect(isUnderReplicated({ replicas: [1, 2, 3], isr: [1, 2] })).toBe(true);
    expect(isUnderReplicated({ replicas: [1, 2, 3], isr: [3, 1, 2] })).toBe(false);
  });

  test('assignments by topic, partitions in order', () => {
    expect(formatAssignments([{ topic: 'orders', partitions: [2, 0, 1] }, { topic: 'pay', partitions: [3] }])).toBe('orders: 0, 1, 2; pay: 3');
    expect(formatAssignments([])).toBe('—');
  });
});
